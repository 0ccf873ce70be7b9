import FiberManualRecordIcon from "@mui/icons-material/FiberManualRecord";
import StopCircleIcon from "@mui/icons-material/StopCircleOutlined";
import { IconButton, Tooltip } from "@mui/material";

interface RecordButtonProps {
  recording: boolean;
  onStart: () => void;
  onStop: () => void;
}

/** Hosts and co-hosts start and stop the server-side recording. */
export function RecordButton({ recording, onStart, onStop }: RecordButtonProps) {
  const label = recording ? "Stop recording" : "Start recording";
  return (
    <Tooltip title={label} describeChild>
      <IconButton
        aria-label={label}
        onClick={recording ? onStop : onStart}
        size="large"
        sx={{
          bgcolor: recording ? "error.main" : "action.hover",
          color: recording ? "common.white" : "error.main",
          "&:hover": { bgcolor: recording ? "error.dark" : "action.selected" },
        }}
      >
        {recording ? <StopCircleIcon /> : <FiberManualRecordIcon />}
      </IconButton>
    </Tooltip>
  );
}
