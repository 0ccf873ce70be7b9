import MoreVertIcon from "@mui/icons-material/MoreVert";
import { IconButton, Menu, MenuItem } from "@mui/material";
import { useState } from "react";
import type { ModerationMessage, Participant, Role } from "../types";
import { ConfirmDialog } from "./ConfirmDialog";

interface ParticipantActionsProps {
  participant: Participant;
  myRole: Role;
  send: (message: ModerationMessage) => void;
}

/** The host's and co-hosts' menu for one participant. */
export function ParticipantActions({ participant, myRole, send }: ParticipantActionsProps) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const target = { participant_id: participant.id };
  const isHost = myRole === "host";
  const name = participant.display_name;

  const act = (message: ModerationMessage) => {
    setAnchor(null);
    send(message);
  };

  return (
    <>
      <IconButton
        aria-label={`More actions for ${name}`}
        aria-haspopup="menu"
        aria-expanded={anchor ? "true" : undefined}
        onClick={(event) => setAnchor(event.currentTarget)}
        edge="end"
      >
        <MoreVertIcon />
      </IconButton>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        <MenuItem onClick={() => act({ type: "mute", ...target })}>Mute</MenuItem>
        <MenuItem onClick={() => act({ type: "ask_unmute", ...target })}>Ask to unmute</MenuItem>
        <MenuItem onClick={() => act({ type: "stop_video", ...target })}>Stop video</MenuItem>
        {isHost && participant.role === "participant" && (
          <MenuItem onClick={() => act({ type: "make_cohost", ...target })}>Make co-host</MenuItem>
        )}
        {isHost && participant.role === "cohost" && (
          <MenuItem onClick={() => act({ type: "remove_cohost", ...target })}>Remove co-host</MenuItem>
        )}
        {isHost && !participant.is_guest && (
          <MenuItem onClick={() => act({ type: "transfer_host", ...target })}>Make host</MenuItem>
        )}
        {participant.role !== "host" && (
          <MenuItem
            onClick={() => {
              setAnchor(null);
              setConfirmRemove(true);
            }}
            sx={{ color: "error.main" }}
          >
            Remove from meeting
          </MenuItem>
        )}
      </Menu>
      <ConfirmDialog
        open={confirmRemove}
        title={`Remove ${name} from the meeting?`}
        text="They will leave the meeting at once and cannot come back with this join."
        confirmLabel="Remove"
        onConfirm={() => send({ type: "remove", ...target })}
        onClose={() => setConfirmRemove(false)}
      />
    </>
  );
}
