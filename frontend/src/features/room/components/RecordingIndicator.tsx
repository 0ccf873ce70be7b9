import FiberManualRecordIcon from "@mui/icons-material/FiberManualRecord";
import { Chip } from "@mui/material";

/** Shown to everyone while the meeting is being recorded. */
export function RecordingIndicator() {
  return (
    <Chip
      role="status"
      aria-label="Recording"
      size="small"
      color="error"
      icon={<FiberManualRecordIcon fontSize="small" />}
      label="Recording"
    />
  );
}
