import ChatIcon from "@mui/icons-material/ChatOutlined";
import MeetingRoomIcon from "@mui/icons-material/MeetingRoomOutlined";
import MicIcon from "@mui/icons-material/Mic";
import MicOffIcon from "@mui/icons-material/MicOff";
import PanToolIcon from "@mui/icons-material/PanToolOutlined";
import PollIcon from "@mui/icons-material/PollOutlined";
import PeopleIcon from "@mui/icons-material/PeopleOutlined";
import PresentToAllIcon from "@mui/icons-material/PresentToAll";
import StopScreenShareIcon from "@mui/icons-material/StopScreenShare";
import VideocamIcon from "@mui/icons-material/Videocam";
import VideocamOffIcon from "@mui/icons-material/VideocamOff";
import { Badge, Box, IconButton, Tooltip } from "@mui/material";
import type { KeyboardEvent, ReactNode } from "react";
import type { Reaction } from "../types";
import { LeaveButton } from "./LeaveButton";
import { ReactionsButton } from "./ReactionsButton";
import { RecordButton } from "./RecordButton";

interface ControlsToolbarProps {
  audioOn: boolean;
  videoOn: boolean;
  screenOn: boolean;
  canShareScreen: boolean;
  handRaised: boolean;
  unread: number;
  waitingCount: number;
  chatOpen: boolean;
  participantsOpen: boolean;
  canEndForAll: boolean;
  /** Shown only when we may record (moderator, SFU mode, meeting allows it). */
  recording: { active: boolean; onStart: () => void; onStop: () => void } | null;
  /** The polls panel's button: hosts and co-hosts only. */
  polls?: { open: boolean; onToggle: () => void } | null;
  /** The breakout rooms panel's button: hosts and co-hosts, and others while they may pick a room. */
  breakouts?: { open: boolean; onToggle: () => void } | null;
  onToggleAudio: () => void;
  onToggleVideo: () => void;
  onToggleScreen: () => void;
  onToggleChat: () => void;
  onToggleParticipants: () => void;
  onToggleHand: () => void;
  onReact: (emoji: Reaction) => void;
  onLeave: () => void;
  onEndForAll: () => void;
}

interface ControlProps {
  label: string;
  hint?: string;
  active?: boolean;
  warn?: boolean;
  expanded?: boolean;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}

function Control({ label, hint, active, warn, expanded, disabled, onClick, children }: ControlProps) {
  const button = (
    <IconButton
      aria-label={label}
      aria-expanded={expanded}
      onClick={onClick}
      disabled={disabled}
      size="large"
      sx={{
        bgcolor: warn ? "error.main" : active ? "primary.light" : "action.hover",
        color: warn || active ? "common.white" : "text.primary",
        "&:hover": { bgcolor: warn ? "error.dark" : active ? "primary.main" : "action.selected" },
      }}
    >
      {children}
    </IconButton>
  );
  // A disabled button gets no tooltip events: wrap only enabled ones.
  return disabled ? (
    button
  ) : (
    <Tooltip title={hint ? `${label} (${hint})` : label} describeChild>
      {button}
    </Tooltip>
  );
}

const shortcutKey = /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl+";

/** Arrow keys move between the toolbar's buttons (Tab still reaches each one). */
function moveFocus(event: KeyboardEvent<HTMLElement>) {
  if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>("button:not(:disabled)")];
  const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (index < 0) return;
  event.preventDefault();
  const step = event.key === "ArrowRight" ? 1 : -1;
  buttons[(index + step + buttons.length) % buttons.length].focus();
}

/** The meeting's controls: devices, screen, panels, hand, reactions, leave. */
export function ControlsToolbar(props: ControlsToolbarProps) {
  const { audioOn, videoOn, screenOn, handRaised } = props;
  return (
    <Box
      role="toolbar"
      aria-label="Meeting controls"
      onKeyDown={moveFocus}
      sx={{
        display: "flex",
        flexWrap: "wrap",
        justifyContent: "center",
        alignItems: "center",
        gap: { xs: 1, sm: 1.5 },
        p: 1.5,
        borderTop: 1,
        borderColor: "divider",
        bgcolor: "background.paper",
      }}
    >
      <Control
        label={audioOn ? "Turn off microphone" : "Turn on microphone"}
        hint={`${shortcutKey}D`}
        warn={!audioOn}
        onClick={props.onToggleAudio}
      >
        {audioOn ? <MicIcon /> : <MicOffIcon />}
      </Control>
      <Control
        label={videoOn ? "Turn off camera" : "Turn on camera"}
        hint={`${shortcutKey}E`}
        warn={!videoOn}
        onClick={props.onToggleVideo}
      >
        {videoOn ? <VideocamIcon /> : <VideocamOffIcon />}
      </Control>
      <Control
        label={screenOn ? "Stop sharing" : "Share screen"}
        active={screenOn}
        disabled={!props.canShareScreen}
        onClick={props.onToggleScreen}
      >
        {screenOn ? <StopScreenShareIcon /> : <PresentToAllIcon />}
      </Control>
      <Control label={handRaised ? "Lower hand" : "Raise hand"} active={handRaised} onClick={props.onToggleHand}>
        <PanToolIcon />
      </Control>
      <ReactionsButton onReact={props.onReact} />
      {props.recording && (
        <RecordButton recording={props.recording.active} onStart={props.recording.onStart} onStop={props.recording.onStop} />
      )}
      <Control
        label="Chat"
        hint={props.unread ? `${props.unread} unread` : undefined}
        active={props.chatOpen}
        expanded={props.chatOpen}
        onClick={props.onToggleChat}
      >
        <Badge badgeContent={props.unread} color="error" max={99}>
          <ChatIcon />
        </Badge>
      </Control>
      {props.polls && (
        <Control label="Polls" active={props.polls.open} expanded={props.polls.open} onClick={props.polls.onToggle}>
          <PollIcon />
        </Control>
      )}
      {props.breakouts && (
        <Control label="Breakout rooms" active={props.breakouts.open} expanded={props.breakouts.open} onClick={props.breakouts.onToggle}>
          <MeetingRoomIcon />
        </Control>
      )}
      <Control
        label="Participants"
        hint={props.waitingCount ? `${props.waitingCount} waiting` : undefined}
        active={props.participantsOpen}
        expanded={props.participantsOpen}
        onClick={props.onToggleParticipants}
      >
        <Badge badgeContent={props.waitingCount} color="warning">
          <PeopleIcon />
        </Badge>
      </Control>
      <LeaveButton canEndForAll={props.canEndForAll} onLeave={props.onLeave} onEndForAll={props.onEndForAll} />
    </Box>
  );
}
