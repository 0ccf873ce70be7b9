import { Alert, Box, Button } from "@mui/material";
import type { HelpRequest } from "../breakoutState";

interface HelpRequestsProps {
  requests: HelpRequest[];
  onJoin: (request: HelpRequest) => void;
  onDismiss: (request: HelpRequest) => void;
}

/** Hosts and co-hosts: people in breakout rooms asking for help, each with the way to their room. */
export function HelpRequests({ requests, onJoin, onDismiss }: HelpRequestsProps) {
  if (requests.length === 0) return null;
  return (
    <Box sx={{ display: "grid", gap: 1, px: 1, pt: 1 }}>
      {requests.map((request) => (
        <Alert
          key={request.id}
          severity="warning"
          role="alert"
          onClose={() => onDismiss(request)}
          action={
            <Button color="inherit" size="small" onClick={() => onJoin(request)}>
              Join {request.room_name}
            </Button>
          }
        >
          {request.display_name} in {request.room_name} asks for help
        </Alert>
      ))}
    </Box>
  );
}
