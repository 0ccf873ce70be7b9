import { Box } from "@mui/material";
import { useMicLevel } from "../hooks/useMicLevel";

/** A bar that moves with the voice, so people can see their microphone works before joining. */
export function MicLevelMeter({ stream, on }: { stream: MediaStream | null; on: boolean }) {
  const level = useMicLevel(stream, on);
  return (
    <Box role="meter" aria-label="Microphone level" aria-valuemin={0} aria-valuemax={100} aria-valuenow={level}
      sx={{ height: 6, borderRadius: 3, bgcolor: "action.selected", overflow: "hidden" }}>
      {/* An inline width: a new class per frame would flood the style sheet. */}
      <Box sx={{ height: 1, bgcolor: "success.main", transition: "width 80ms linear" }} style={{ width: `${level}%` }} />
    </Box>
  );
}
