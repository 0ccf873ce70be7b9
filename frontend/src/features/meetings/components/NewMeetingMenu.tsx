import Add from "@mui/icons-material/Add";
import { Button, Menu, MenuItem, Stack } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { createMeeting } from "../api";
import { joinPath } from "../meetingLinks";
import { MEETINGS_KEY } from "../queryKeys";
import { ScheduleMeetingDialog } from "./ScheduleMeetingDialog";

/** "New meeting": start one now (and go to it) or schedule one. */
export function NewMeetingMenu({ timeZone }: { timeZone: string }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const startNow = useMutation({
    mutationFn: () => createMeeting({ kind: "instant" }),
    onSuccess: (meeting) => {
      void queryClient.invalidateQueries({ queryKey: MEETINGS_KEY });
      void navigate(joinPath(meeting.code));
    },
  });

  return (
    <Stack spacing={1} sx={{ alignItems: "flex-end" }}>
      <Button variant="contained" startIcon={<Add />} loading={startNow.isPending} aria-haspopup="menu"
        aria-expanded={anchor ? "true" : undefined} aria-controls={anchor ? "new-meeting-menu" : undefined}
        onClick={(event) => setAnchor(event.currentTarget)}>
        New meeting
      </Button>
      <Menu id="new-meeting-menu" anchorEl={anchor} open={Boolean(anchor)} onClose={() => setAnchor(null)}>
        <MenuItem onClick={() => { setAnchor(null); startNow.mutate(); }}>Start an instant meeting</MenuItem>
        <MenuItem onClick={() => { setAnchor(null); setScheduling(true); }}>Schedule a meeting</MenuItem>
      </Menu>
      <FormAlert errors={formErrors(startNow.error)} />
      {scheduling && <ScheduleMeetingDialog timeZone={timeZone} onClose={() => setScheduling(false)} />}
    </Stack>
  );
}
