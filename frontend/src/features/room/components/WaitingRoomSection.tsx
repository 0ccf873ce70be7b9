import { Box, Button, List, ListItem, ListItemText, Typography } from "@mui/material";
import type { ModerationMessage, Participant } from "../types";

interface WaitingRoomSectionProps {
  lobby: Participant[];
  send: (message: ModerationMessage) => void;
}

/** People knocking, for the host and co-hosts to admit or deny. */
export function WaitingRoomSection({ lobby, send }: WaitingRoomSectionProps) {
  return (
    <Box sx={{ borderBottom: 1, borderColor: "divider", pb: 1 }}>
      <Box sx={{ display: "flex", alignItems: "center", px: 2, pt: 1.5 }}>
        <Typography variant="subtitle1" component="h3" sx={{ flexGrow: 1, fontWeight: 600 }}>
          Waiting room ({lobby.length})
        </Typography>
        <Button size="small" onClick={() => send({ type: "admit_all" })}>
          Admit all
        </Button>
      </Box>
      <List aria-label="Waiting room" dense>
        {lobby.map((person) => (
          <ListItem key={person.id} sx={{ gap: 1 }}>
            <ListItemText primary={person.display_name} secondary={person.is_guest ? "Guest" : null} />
            <Button
              size="small"
              variant="contained"
              aria-label={`Admit ${person.display_name}`}
              onClick={() => send({ type: "admit", participant_id: person.id })}
            >
              Admit
            </Button>
            <Button
              size="small"
              color="error"
              aria-label={`Deny ${person.display_name}`}
              onClick={() => send({ type: "deny", participant_id: person.id })}
            >
              Deny
            </Button>
          </ListItem>
        ))}
      </List>
    </Box>
  );
}
