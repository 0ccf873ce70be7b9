import { Navigate, Outlet } from "react-router";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { Loading } from "../../../components/states";
import { routeFor } from "../api";
import { useSession } from "../hooks/useSession";

/**
 * Renders its routes only for the wanted kind of session: "authenticated" pages send a
 * signed-out visitor to sign in (or to the step a pending flow needs), "anonymous" pages send
 * a signed-in user to the app.
 */
export function SessionGate({ require }: { require: "authenticated" | "anonymous" }) {
  const session = useSession();
  if (session.isPending) return <Loading label="Checking your session" />;
  if (session.isError) return <FormAlert errors={formErrors(session.error)} />;
  if (session.data.kind !== require) return <Navigate to={routeFor(session.data)} replace />;
  return <Outlet />;
}
