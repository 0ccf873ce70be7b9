import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { forgetPushOnSignOut } from "../../notifications/push";
import { signOut } from "../api";
import { SESSION_KEY } from "./useSession";

/** How long sign-out waits for this browser's push subscription to be dropped. */
const PUSH_CLEANUP_MS = 3_000;

/**
 * Signs out, first dropping this browser's push subscription (it needs the session still) so the
 * next person here gets none of these pushes. That is best effort: it never fails or stalls sign-out.
 */
async function signOutHere() {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, PUSH_CLEANUP_MS)));
  await Promise.race([forgetPushOnSignOut().catch(() => undefined), timeout]);
  clearTimeout(timer);
  return signOut();
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: signOutHere,
    onSuccess: (session) => {
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, session);
      navigate("/", { replace: true });
    },
  });
}
