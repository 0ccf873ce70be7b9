import { Box, Button, CircularProgress, Typography } from "@mui/material";

/** The lobby: the socket is open and the host has not admitted us yet. */
export function WaitingScreen({ title, onLeave }: { title: string; onLeave: () => void }) {
  return (
    <Box sx={{ display: "grid", placeItems: "center", minHeight: "100dvh", p: 3 }}>
      <Box sx={{ textAlign: "center", display: "grid", gap: 2, justifyItems: "center" }}>
        <Typography variant="h5" component="h1">
          {title}
        </Typography>
        <CircularProgress aria-hidden="true" />
        <Typography role="status">Waiting for the host to let you in</Typography>
        <Button variant="outlined" onClick={onLeave}>
          Leave
        </Button>
      </Box>
    </Box>
  );
}
