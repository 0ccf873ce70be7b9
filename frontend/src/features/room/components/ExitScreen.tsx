import { Alert, Box, Button, Typography } from "@mui/material";
import type { ExitReason } from "../types";

const HEADINGS: Record<ExitReason, string> = {
  left: "You left the meeting",
  ended: "The meeting has ended",
  removed: "You were removed from the meeting",
  denied: "The host did not let you in",
  disconnected: "You were disconnected from the meeting",
};

interface ExitScreenProps {
  reason: ExitReason;
  onRejoin: () => void;
  rejoining: boolean;
  error: string | null;
}

/** After the room: why we are out, and a way back in when there is one. */
export function ExitScreen({ reason, onRejoin, rejoining, error }: ExitScreenProps) {
  const canRejoin = reason === "left" || reason === "disconnected";
  return (
    <Box sx={{ display: "grid", placeItems: "center", minHeight: "100dvh", p: 3 }}>
      <Box sx={{ textAlign: "center", display: "grid", gap: 2, justifyItems: "center", maxWidth: 480 }}>
        <Typography variant="h4" component="h1">
          {HEADINGS[reason]}
        </Typography>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        <Box sx={{ display: "flex", gap: 1.5 }}>
          {canRejoin && (
            <Button variant="contained" onClick={onRejoin} loading={rejoining}>
              Rejoin
            </Button>
          )}
          <Button variant="outlined" href="/">
            Go to home page
          </Button>
        </Box>
      </Box>
    </Box>
  );
}
