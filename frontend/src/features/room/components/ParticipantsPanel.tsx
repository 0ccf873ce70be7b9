import MicOffIcon from "@mui/icons-material/MicOff";
import PanToolIcon from "@mui/icons-material/PanTool";
import VideocamOffIcon from "@mui/icons-material/VideocamOff";
import { Avatar, Box, Button, Chip, List, ListItem, ListItemAvatar, ListItemText } from "@mui/material";
import { useState } from "react";
import { initials, roleLabel } from "../participantLabels";
import { isModerator } from "../roomState";
import { roomLabel } from "../breakoutState";
import type { Breakout, ModerationMessage, Participant, Role } from "../types";
import { EndMeetingDialog } from "./EndMeetingDialog";
import { ParticipantActions } from "./ParticipantActions";
import { SidePanel } from "./SidePanel";
import { WaitingRoomSection } from "./WaitingRoomSection";

interface ParticipantsPanelProps {
  me: { id: string; role: Role };
  participants: Participant[];
  lobby: Participant[];
  isLocked: boolean;
  /** While breakout rooms are open each person shows the room they are in. */
  breakout?: Breakout;
  send: (message: ModerationMessage) => void;
  onClose: () => void;
}

function ParticipantStatus({ participant }: { participant: Participant }) {
  return (
    <Box component="span" sx={{ display: "flex", gap: 0.5, color: "text.secondary" }}>
      {participant.hand_raised && <PanToolIcon fontSize="small" color="warning" titleAccess="Hand raised" />}
      {!participant.audio_on && <MicOffIcon fontSize="small" titleAccess="Microphone off" />}
      {!participant.video_on && <VideocamOffIcon fontSize="small" titleAccess="Camera off" />}
    </Box>
  );
}

/** Who is here (and, for the host and co-hosts, who is knocking and what they can do about it). */
export function ParticipantsPanel({ me, participants, lobby, isLocked, breakout, send, onClose }: ParticipantsPanelProps) {
  const [confirmEnd, setConfirmEnd] = useState(false);
  const moderator = isModerator(me.role);
  const rooms = breakout && breakout.status !== "closed" ? breakout : null;
  // Grouped by room while the rooms are open: the main room first, then each room in order.
  const position = (p: Participant) => (rooms ? rooms.rooms.findIndex((room) => room.id === p.breakout_room_id) : 0);
  const listed = rooms ? [...participants].sort((a, b) => position(a) - position(b)) : participants;
  return (
    <SidePanel label="Participants" onClose={onClose}>
      {moderator && (
        <Box sx={{ display: "flex", flexWrap: "wrap", gap: 1, p: 2, borderBottom: 1, borderColor: "divider" }}>
          <Button size="small" variant="outlined" onClick={() => send({ type: "mute_all" })}>
            Mute all
          </Button>
          <Button size="small" variant="outlined" onClick={() => send({ type: isLocked ? "unlock" : "lock" })}>
            {isLocked ? "Unlock meeting" : "Lock meeting"}
          </Button>
          <Button size="small" variant="outlined" color="error" onClick={() => setConfirmEnd(true)}>
            End meeting for all
          </Button>
        </Box>
      )}
      <Box sx={{ flex: 1, overflowY: "auto", minHeight: 0 }}>
        {moderator && lobby.length > 0 && <WaitingRoomSection lobby={lobby} send={send} />}
        <List aria-label="In the meeting">
          {listed.map((participant) => {
            const isMe = participant.id === me.id;
            const role = roleLabel(participant.role);
            return (
              <ListItem
                key={participant.id}
                secondaryAction={
                  moderator && !isMe ? <ParticipantActions participant={participant} myRole={me.role} send={send} /> : undefined
                }
              >
                <ListItemAvatar>
                  <Avatar>{initials(participant.display_name)}</Avatar>
                </ListItemAvatar>
                <ListItemText
                  primary={isMe ? `${participant.display_name} (You)` : participant.display_name}
                  secondary={
                    <Box component="span" sx={{ display: "flex", alignItems: "center", gap: 1, mt: 0.5 }}>
                      {role && <Chip size="small" label={role} component="span" />}
                      {rooms && (
                        <Chip size="small" variant="outlined" label={roomLabel(rooms, participant.breakout_room_id)} component="span" />
                      )}
                      <ParticipantStatus participant={participant} />
                    </Box>
                  }
                  slotProps={{ secondary: { component: "span" } }}
                />
              </ListItem>
            );
          })}
        </List>
      </Box>
      <EndMeetingDialog open={confirmEnd} onEnd={() => send({ type: "end" })} onClose={() => setConfirmEnd(false)} />
    </SidePanel>
  );
}
