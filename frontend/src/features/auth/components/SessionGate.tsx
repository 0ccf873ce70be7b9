import { Navigate, Outlet, useLocation, useSearchParams } from "react-router";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { Loading } from "../../../components/states";
import { PROVIDER_CALLBACK_PATH, routeFor } from "../api";
import { useSession } from "../hooks/useSession";

/**
 * Renders its routes only for the wanted kind of session: "authenticated" pages send a
 * signed-out visitor to sign in (or to the step a pending flow needs) and back here after,
 * "anonymous" pages send a signed-in user on to the page asked for (`?next=`) or to the app
 * (except the provider callback, which finishes a new social sign-in itself and then sends them on).
 */
export function SessionGate({ require }: { require: "authenticated" | "anonymous" }) {
  const session = useSession();
  const location = useLocation();
  const [params] = useSearchParams();
  if (session.isPending) return <Loading label="Checking your session" />;
  if (session.isError) return <FormAlert errors={formErrors(session.error)} />;
  const finishesItself = require === "anonymous" && location.pathname === PROVIDER_CALLBACK_PATH;
  if (session.data.kind !== require && !finishesItself) {
    const next = require === "authenticated" ? location.pathname + location.search : params.get("next");
    return <Navigate to={routeFor(session.data, next)} replace />;
  }
  return <Outlet />;
}
