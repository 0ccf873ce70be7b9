import LinkIcon from "@mui/icons-material/Link";
import LockIcon from "@mui/icons-material/Lock";
import { Box, Button, Chip, CircularProgress, Typography, useMediaQuery, useTheme } from "@mui/material";
import { useCallback, useEffect, useState } from "react";
import { CopyLinkButton } from "../../../components/CopyLinkButton";
import { NO_REMOTE_MEDIA } from "../media/remoteMedia";
import { useActiveSpeaker } from "../hooks/useActiveSpeaker";
import { useMediaShortcuts } from "../hooks/useMediaShortcuts";
import { useRoomSession } from "../hooks/useRoomSession";
import type { RoomSessionOptions, RoomSnapshot } from "../roomSession";
import { isModerator, type FloatingReaction } from "../roomState";
import { pollToPopUp, popUpKey } from "../pollsState";
import type { Participant } from "../types";
import { roomOf, saidIn } from "../breakoutState";
import { BreakoutBanner } from "./BreakoutBanner";
import { BreakoutPanel } from "./BreakoutPanel";
import { ChatPanel } from "./ChatPanel";
import { HelpRequests } from "./HelpRequests";
import { ControlsToolbar } from "./ControlsToolbar";
import { KnockSnackbar } from "./KnockSnackbar";
import { ParticipantsPanel } from "./ParticipantsPanel";
import { PollCard } from "./PollCard";
import { PollPopup } from "./PollPopup";
import { PollsPanel } from "./PollsPanel";
import { RecordingIndicator } from "./RecordingIndicator";
import { RoomBanners } from "./RoomBanners";
import { VideoGrid, type TileSpec } from "./VideoGrid";
import { WaitingScreen } from "./WaitingScreen";

interface LiveRoomProps extends RoomSessionOptions {
  code: string;
}

type Panel = "chat" | "participants" | "polls" | "breakouts" | null;

const canShareScreen = typeof navigator.mediaDevices?.getDisplayMedia === "function";

/** The link to share: the passcode travels in the fragment when this page was opened with one. */
function meetingLink(code: string): string {
  const passcode = location.hash.startsWith("#p=") ? location.hash : "";
  return `${location.origin}/m/${code}${passcode}`;
}

function tilesOf(snapshot: RoomSnapshot, speaker: string | null, onReactionDone: (id: number) => void): TileSpec[] {
  const { room } = snapshot;
  const reactionsOf = (id: string): FloatingReaction[] => room.reactions.filter((r) => r.participant_id === id);
  const meInRoster = room.roster.find((p) => p.id === room.me.id);
  const tiles: TileSpec[] = [
    {
      key: "self",
      label: "You",
      name: `${room.me.display_name} (You)`,
      stream: snapshot.cameraPreview,
      self: true,
      showVideo: snapshot.videoOn && snapshot.cameraPreview !== null,
      audioOff: !snapshot.audioOn,
      handRaised: meInRoster?.hand_raised,
      speaking: speaker === room.me.id,
      reactions: reactionsOf(room.me.id),
      onReactionDone,
    },
  ];
  if (snapshot.screenStream) {
    tiles.unshift({ key: "self-screen", label: "You (screen)", name: "Your screen", stream: snapshot.screenStream, self: true, screen: true, showVideo: true });
  }
  const here = roomOf(room.roster, room.me.id);
  for (const participant of room.roster) {
    // Only the people in our room (a breakout room, or the main room) are on screen.
    if (participant.id === room.me.id || (participant.breakout_room_id ?? null) !== here) continue;
    const { camera, screen } = snapshot.remote.get(participant.id) ?? NO_REMOTE_MEDIA;
    const name = participant.display_name;
    tiles.push({
      key: participant.id,
      label: name,
      name,
      participantId: participant.id,
      stream: camera,
      showVideo: participant.video_on && (camera?.getVideoTracks().length ?? 0) > 0,
      audioOff: !participant.audio_on,
      handRaised: participant.hand_raised,
      speaking: speaker === participant.id,
      reactions: reactionsOf(participant.id),
      onReactionDone,
    });
    if (participant.screen_on && screen) {
      tiles.unshift({
        key: `${participant.id}-screen`,
        label: `${name} (screen)`,
        name: `${name} (screen)`,
        participantId: participant.id,
        stream: screen,
        screen: true,
        showVideo: true,
      });
    }
  }
  return tiles;
}

/** Everyone in the room, ourselves first (the server's roster may or may not list us). */
function participantsOf(snapshot: RoomSnapshot): Participant[] {
  const { room } = snapshot;
  if (room.roster.some((p) => p.id === room.me.id)) return room.roster;
  const me: Participant = {
    id: room.me.id,
    display_name: room.me.display_name,
    role: room.me.role,
    is_guest: true,
    audio_on: snapshot.audioOn,
    video_on: snapshot.videoOn,
    screen_on: snapshot.screenStream !== null,
    hand_raised: false,
    connected: true,
    breakout_room_id: null,
  };
  return [me, ...room.roster];
}

/** One stay in the meeting, from connecting to leaving. */
export function LiveRoom({ code, ...sessionOptions }: LiveRoomProps) {
  const { session, snapshot } = useRoomSession(sessionOptions);
  const speaker = useActiveSpeaker(session);
  // SFU mode: the speaker's camera comes in high quality.
  useEffect(() => session.setActiveSpeaker(speaker), [session, speaker]);
  const [panel, setPanel] = useState<Panel>(null);
  const theme = useTheme();
  // Below md a panel is a drawer over everything: a notice there would cover its controls.
  const panelCoversRoom = !useMediaQuery(theme.breakpoints.up("md")) && panel !== null;
  const { room } = snapshot;

  const toggleAudio = useCallback(() => void session.setAudio(!session.getSnapshot().audioOn), [session]);
  const toggleVideo = useCallback(() => void session.setVideo(!session.getSnapshot().videoOn), [session]);
  const onReactionDone = useCallback((id: number) => session.dispatch({ type: "local.reaction_expired", id }), [session]);
  useMediaShortcuts(toggleAudio, toggleVideo);

  const openPanel = (next: Panel) => {
    setPanel(next);
    session.dispatch({ type: "local.chat_open", open: next === "chat" });
    if (next === "participants") session.dispatch({ type: "local.knock_dismissed" });
  };

  if (room.phase === "connecting" || room.phase === "exited") {
    // The socket gives up (and the room shows "disconnected" with Rejoin) after a few failed attempts.
    const retrying = snapshot.connection === "reconnecting";
    return (
      <Box sx={{ display: "grid", placeItems: "center", minHeight: "100dvh", gap: 2, alignContent: "center" }}>
        <CircularProgress aria-hidden="true" />
        <Typography role="status">{retrying ? "Reconnecting…" : "Joining the meeting…"}</Typography>
        {room.phase === "connecting" && (
          <Button variant="outlined" onClick={() => session.leave()}>
            Leave
          </Button>
        )}
      </Box>
    );
  }
  if (room.phase === "waiting") return <WaitingScreen title={room.meeting.title} onLeave={() => session.leave()} />;

  const moderator = isModerator(room.me.role);
  const canRecord = moderator && room.mediaMode === "sfu" && room.recordingAllowed;
  const participants = participantsOf(snapshot);
  const here = roomOf(room.roster, room.me.id);
  const { plan, help } = room.breakouts;
  // Chat and private messages stay within our room.
  const others = room.roster.filter((p) => p.id !== room.me.id && (p.breakout_room_id ?? null) === here);
  const canChooseRoom = !moderator && plan.status === "open" && plan.allow_choosing;
  const handRaised = participants.find((p) => p.id === room.me.id)?.hand_raised ?? false;
  const popUp = pollToPopUp(room.chat, room.polls);
  const vote = (pollId: string, choices: number[]) => session.sendPoll({ type: "poll_vote", poll_id: pollId, choices });
  return (
    <Box sx={{ display: "flex", flexDirection: "column", height: "100dvh", bgcolor: "background.default" }}>
      <Box sx={{ display: "flex", alignItems: "center", flexWrap: "wrap", gap: 1, px: 2, py: 1, borderBottom: 1, borderColor: "divider" }}>
        <Typography variant="h6" component="h1" noWrap sx={{ flexGrow: 1, minWidth: 0 }}>
          {room.meeting.title}
        </Typography>
        {room.recording.active && <RecordingIndicator />}
        {room.meeting.is_locked && <Chip size="small" icon={<LockIcon />} label="This meeting is locked" />}
        <CopyLinkButton
          link={meetingLink(code)}
          size="small"
          variant="outlined"
          startIcon={<LinkIcon />}
          noteAnchor={{ vertical: "top", horizontal: "center" }}
        />
      </Box>
      <BreakoutBanner
        plan={plan}
        myRoomId={here}
        assignedRoomId={plan.assignments[room.me.id] ?? null}
        moderator={moderator}
        onJoin={(roomId) => session.send({ type: "breakout_join", room_id: roomId })}
        onAskForHelp={() => session.send({ type: "breakout_help" })}
        onChooseRoom={() => openPanel("breakouts")}
      />
      {moderator && (
        <HelpRequests
          requests={help}
          onJoin={(request) => {
            session.send({ type: "breakout_join", room_id: request.room_id });
            session.dispatch({ type: "local.help_dismissed", id: request.id });
          }}
          onDismiss={(request) => session.dispatch({ type: "local.help_dismissed", id: request.id })}
        />
      )}
      <RoomBanners
        connection={snapshot.connection}
        mediaReconnecting={snapshot.mediaReconnecting}
        recordingNotice={room.recordingNotice}
        banners={room.banners}
        onDismiss={(id) => session.dispatch({ type: "local.banner_dismissed", id })}
        onDismissRecordingNotice={() => session.dispatch({ type: "local.recording_notice_dismissed" })}
        onUnmute={() => void session.setAudio(true)}
      />
      <Box sx={{ display: "flex", flex: 1, minHeight: 0 }}>
        <VideoGrid tiles={tilesOf(snapshot, speaker, onReactionDone)} />
        {panel === "chat" && (
          <ChatPanel
            meId={room.me.id}
            others={others}
            messages={room.chat.filter((message) => saidIn(message, here))}
            pending={room.pendingChat}
            canSend={snapshot.connection === "open"}
            onSend={(text, to) => session.sendChat(text, to)}
            onRetry={(clientId) => session.retryChat(clientId)}
            onDiscard={(clientId) => session.discardChat(clientId)}
            onClose={() => openPanel(null)}
            files={{ auth: room.participantToken ? { code, token: room.participantToken } : null, canRemove: moderator }}
            renderPoll={({ poll }) =>
              poll && (
                <PollCard
                  poll={poll}
                  myVote={room.polls.myVotes[poll.id]}
                  canVote={snapshot.connection === "open"}
                  onVote={(choices) => vote(poll.id, choices)}
                />
              )
            }
          />
        )}
        {panel === "polls" && moderator && (
          <PollsPanel
            polls={room.polls.hosted}
            canSend={snapshot.connection === "open"}
            send={(message) => session.sendPoll(message)}
            onClose={() => openPanel(null)}
          />
        )}
        {panel === "breakouts" && (moderator || canChooseRoom) && (
          <BreakoutPanel
            plan={plan}
            me={room.me}
            participants={participants}
            send={(message) => session.send(message)}
            onClose={() => openPanel(null)}
          />
        )}
        {panel === "participants" && (
          <ParticipantsPanel
            me={room.me}
            participants={participants}
            lobby={room.lobby}
            isLocked={room.meeting.is_locked}
            breakout={plan}
            send={(message) => session.send(message)}
            onClose={() => openPanel(null)}
          />
        )}
      </Box>
      <ControlsToolbar
        audioOn={snapshot.audioOn}
        videoOn={snapshot.videoOn}
        screenOn={snapshot.screenStream !== null}
        canShareScreen={canShareScreen}
        handRaised={handRaised}
        unread={room.unread}
        waitingCount={moderator ? room.lobby.length : 0}
        chatOpen={panel === "chat"}
        participantsOpen={panel === "participants"}
        polls={moderator ? { open: panel === "polls", onToggle: () => openPanel(panel === "polls" ? null : "polls") } : null}
        breakouts={
          moderator || canChooseRoom
            ? { open: panel === "breakouts", onToggle: () => openPanel(panel === "breakouts" ? null : "breakouts") }
            : null
        }
        canEndForAll={moderator}
        recording={
          canRecord
            ? {
                active: room.recording.active,
                onStart: () => session.send({ type: "recording_start" }),
                onStop: () => session.send({ type: "recording_stop" }),
              }
            : null
        }
        onToggleAudio={toggleAudio}
        onToggleVideo={toggleVideo}
        onToggleScreen={() => void (snapshot.screenStream ? session.stopScreen() : session.startScreen())}
        onToggleChat={() => openPanel(panel === "chat" ? null : "chat")}
        onToggleParticipants={() => openPanel(panel === "participants" ? null : "participants")}
        onToggleHand={() => session.setHandRaised(!handRaised)}
        onReact={(emoji) => session.react(emoji)}
        onLeave={() => session.leave()}
        onEndForAll={() => session.send({ type: "end" })}
      />
      {popUp && panel !== "chat" && panel !== "polls" && !panelCoversRoom && (
        <PollPopup
          poll={popUp}
          myVote={room.polls.myVotes[popUp.id]}
          canVote={snapshot.connection === "open"}
          onVote={(choices) => vote(popUp.id, choices)}
          onDismiss={() => session.dispatch({ type: "local.poll_dismissed", key: popUpKey(popUp) })}
        />
      )}
      {moderator && panel !== "participants" && !panelCoversRoom && (
        <KnockSnackbar
          knock={room.knock}
          onAdmit={(person) => {
            session.send({ type: "admit", participant_id: person.id });
            session.dispatch({ type: "local.knock_dismissed" });
          }}
          onView={() => openPanel("participants")}
          onDismiss={() => session.dispatch({ type: "local.knock_dismissed" })}
        />
      )}
    </Box>
  );
}
