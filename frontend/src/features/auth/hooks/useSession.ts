import { useQuery } from "@tanstack/react-query";
import { getSession } from "../api";

export const SESSION_KEY = ["auth", "session"] as const;

/** The session as the server sees it; every auth step writes its answer here. */
export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: getSession, staleTime: 5 * 60_000 });
}
