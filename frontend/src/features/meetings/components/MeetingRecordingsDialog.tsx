import { Button, Dialog, DialogActions, DialogContent, DialogTitle } from "@mui/material";
import { useId } from "react";
import { RecordingList } from "./RecordingList";

interface Props {
  code: string;
  title: string;
  timeZone: string;
  onClose: () => void;
}

/** One meeting's recordings, from its place in the meetings list. */
export function MeetingRecordingsDialog({ code, title, timeZone, onClose }: Props) {
  const titleId = useId();
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <DialogTitle id={titleId}>Recordings of {title}</DialogTitle>
      <DialogContent>
        <RecordingList meetingCode={code} timeZone={timeZone} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
