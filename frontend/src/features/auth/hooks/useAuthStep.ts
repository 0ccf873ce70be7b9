import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useSearchParams } from "react-router";
import { routeFor, type Session } from "../api";
import { SESSION_KEY } from "./useSession";

/**
 * Runs one auth request, stores the session it answers with and goes to the page that
 * session belongs on (the page asked for, the app, or the step a pending flow needs). The
 * page asked for (`?next=`) and `notice` travel along.
 */
export function useAuthStep<Vars>(step: (vars: Vars) => Promise<Session>, notice?: string) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return useMutation({
    mutationFn: step,
    onSuccess: (session) => {
      if (session.kind === "authenticated") {
        // Nothing cached for an earlier user may show for this one.
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
      }
      queryClient.setQueryData(SESSION_KEY, session);
      navigate(routeFor(session, params.get("next")), notice ? { state: { notice } } : undefined);
    },
  });
}
