import Add from "@mui/icons-material/Add";
import { Button, Menu, MenuItem, Stack } from "@mui/material";
import { useState } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { useMenuAnchor } from "../../../hooks/useMenuAnchor";
import { useStartInstantMeeting } from "../hooks/useStartInstantMeeting";
import { ScheduleMeetingDialog } from "./ScheduleMeetingDialog";

/** "New meeting": start one now (and go to it) or schedule one. */
export function NewMeetingMenu({ timeZone }: { timeZone: string }) {
  const menu = useMenuAnchor();
  const [scheduling, setScheduling] = useState(false);
  const startNow = useStartInstantMeeting();

  return (
    <Stack spacing={1} sx={{ alignItems: "flex-end" }}>
      <Button variant="contained" startIcon={<Add />} loading={startNow.isPending} {...menu.buttonProps}
        aria-controls={menu.open ? "new-meeting-menu" : undefined}>
        New meeting
      </Button>
      <Menu id="new-meeting-menu" {...menu.menuProps}>
        <MenuItem onClick={() => { menu.close(); startNow.mutate(); }}>Start an instant meeting</MenuItem>
        <MenuItem onClick={() => { menu.close(); setScheduling(true); }}>Schedule a meeting</MenuItem>
      </Menu>
      <FormAlert errors={formErrors(startNow.error)} />
      {scheduling && <ScheduleMeetingDialog timeZone={timeZone} onClose={() => setScheduling(false)} />}
    </Stack>
  );
}
