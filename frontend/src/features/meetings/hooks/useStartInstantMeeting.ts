import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { createMeeting } from "../api";
import { joinPath } from "../meetingLinks";
import { MEETINGS_KEY } from "../queryKeys";

/** Starts an instant meeting and goes to it. */
export function useStartInstantMeeting() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => createMeeting({ kind: "instant" }),
    onSuccess: (meeting) => {
      void queryClient.invalidateQueries({ queryKey: MEETINGS_KEY });
      void navigate(joinPath(meeting.code));
    },
  });
}
