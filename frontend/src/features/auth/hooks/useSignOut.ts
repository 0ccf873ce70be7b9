import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { signOut } from "../api";
import { SESSION_KEY } from "./useSession";

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: signOut,
    onSuccess: (session) => {
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, session);
      navigate("/", { replace: true });
    },
  });
}
