import { createContext, useContext } from "react";
import { ApiError } from "../../../api/errors";

/** Runs an action; if the server wants the user to confirm it's them first, asks, then retries. */
export type WithReauth = <T>(action: () => Promise<T>) => Promise<T>;

export const ReauthContext = createContext<WithReauth>((action) => action());

export function useReauth(): WithReauth {
  return useContext(ReauthContext);
}

/** The reauthentication flows a 401 from a signed-in request offers, or null if it is another error. */
export function reauthFlows(error: unknown): string[] | null {
  if (!(error instanceof ApiError) || error.status !== 401) return null;
  const body = error.body as { data?: { flows?: { id: string }[] }; meta?: { is_authenticated?: boolean } };
  if (!body?.meta?.is_authenticated) return null;
  return (body.data?.flows ?? []).map((flow) => flow.id);
}
