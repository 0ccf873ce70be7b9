import { Button, Stack, Typography } from "@mui/material";
import { Link as RouterLink } from "react-router";
import type { Occurrence } from "../api";
import { useNow } from "../../../hooks/useNow";
import { isJoinOpen } from "../occurrences";

/** Join, enabled while `isJoinOpen` (and saying when it opens, before). */
export function JoinOccurrenceButton({ occurrence, to = occurrence.join_path }: { occurrence: Occurrence; to?: string }) {
  const now = useNow();
  const open = isJoinOpen(occurrence, now);
  const isOver = occurrence.status === "ended" || occurrence.status === "cancelled";
  return (
    <Stack spacing={0.5} sx={{ alignItems: "flex-end" }}>
      {open ? (
        <Button component={RouterLink} to={to} variant="contained">Join</Button>
      ) : (
        <Button variant="contained" disabled>Join</Button>
      )}
      {!open && !isOver && Date.parse(occurrence.starts_at) > now && (
        <Typography variant="caption" color="text.secondary">Join opens 10 minutes before</Typography>
      )}
    </Stack>
  );
}
