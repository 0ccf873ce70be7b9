import MoreVertIcon from "@mui/icons-material/MoreVert";
import { IconButton, Menu, MenuItem } from "@mui/material";
import { useState } from "react";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { useMenuAnchor } from "../../../hooks/useMenuAnchor";
import type { ModerationMessage, Participant, Role } from "../types";

interface ParticipantActionsProps {
  participant: Participant;
  myRole: Role;
  send: (message: ModerationMessage) => void;
}

/** The host's and co-hosts' menu for one participant. */
export function ParticipantActions({ participant, myRole, send }: ParticipantActionsProps) {
  const menu = useMenuAnchor();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const target = { participant_id: participant.id };
  const isHost = myRole === "host";
  const name = participant.display_name;

  const act = (message: ModerationMessage) => {
    menu.close();
    send(message);
  };

  return (
    <>
      <IconButton
        aria-label={`More actions for ${name}`}
        {...menu.buttonProps}
        edge="end"
      >
        <MoreVertIcon />
      </IconButton>
      <Menu {...menu.menuProps}>
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
              menu.close();
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
        onConfirm={() => {
          send({ type: "remove", ...target });
          setConfirmRemove(false);
        }}
        onClose={() => setConfirmRemove(false)}
      />
    </>
  );
}
