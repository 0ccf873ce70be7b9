import { breakoutReducer, NO_BREAKOUTS, roomOf, saidIn, type BreakoutState } from "./breakoutState";
import { NO_POLLS, pollsReducer, type PollsState } from "./pollsState";
import type { ChatMessage, ExitReason, MeetingInfo, Participant, RecordingStatus, Role, RoomJoin, ServerMessage } from "./types";

export type BannerKind = "muted" | "video_stopped" | "unmute_requested" | "broadcast" | "error";

export interface Banner {
  id: number;
  kind: BannerKind;
  text: string;
}

/** A chat message we sent that the server has not echoed back yet (or that it refused: `failed`). */
export interface PendingChat {
  client_id: string;
  text: string;
  to_participant_id: string | null;
  failed: boolean;
}

export interface FloatingReaction {
  id: number;
  participant_id: string;
  emoji: string;
}

export interface RoomState {
  phase: "connecting" | "waiting" | "joined" | "exited";
  exit: ExitReason | null;
  me: { id: string; role: Role; display_name: string };
  meeting: MeetingInfo;
  roster: Participant[];
  /** Hosts and co-hosts only: who is knocking. */
  lobby: Participant[];
  /** The newest knock, for the "wants to join" notice; null once handled. */
  knock: Participant | null;
  chat: ChatMessage[];
  pendingChat: PendingChat[];
  chatOpen: boolean;
  unread: number;
  banners: Banner[];
  reactions: FloatingReaction[];
  /** How media travels: browser to browser, or through the media server (where recording works). */
  mediaMode: "p2p" | "sfu";
  recordingAllowed: boolean;
  recording: RecordingStatus;
  /** "This meeting is being recorded", until dismissed or the recording stops. */
  recordingNotice: boolean;
  nextId: number;
  /** Polls: hosts' live view, my votes, pop-ups closed (pollsState.ts). */
  polls: PollsState;
  /** Breakout rooms: the plan and (hosts) requests for help (breakoutState.ts). */
  breakouts: BreakoutState;
  /** The latest welcome's `participant_token`: our REST calls inside the meeting (files). */
  participantToken: string | null;
}

export type LocalAction =
  | { type: "local.chat_open"; open: boolean }
  | { type: "local.chat_sent"; message: PendingChat }
  /** The server refused it (rate limit, bad input, recipient gone): shown with Retry. */
  | { type: "local.chat_failed"; client_id: string }
  | { type: "local.chat_retried"; client_id: string }
  | { type: "local.chat_discarded"; client_id: string }
  | { type: "local.banner_dismissed"; id: number }
  | { type: "local.reaction_expired"; id: number }
  | { type: "local.knock_dismissed" }
  | { type: "local.recording_notice_dismissed" }
  | { type: "local.error"; text: string }
  | { type: "local.exit"; reason: ExitReason }
  /** A host dealt with (or closed) a request for help from a breakout room. */
  | { type: "local.help_dismissed"; id: number }
  /** A poll's pop-up was closed (its `popUpKey`). */
  | { type: "local.poll_dismissed"; key: string };

export type RoomAction = ServerMessage | LocalAction;

export function initialRoomState(join: RoomJoin): RoomState {
  return {
    phase: "connecting",
    exit: null,
    me: { id: join.participant_id, role: join.role, display_name: join.display_name },
    meeting: { title: join.meeting.title, is_locked: false, host_participant_id: null },
    roster: [],
    lobby: [],
    knock: null,
    chat: [],
    pendingChat: [],
    chatOpen: false,
    unread: 0,
    banners: [],
    reactions: [],
    mediaMode: join.media_mode === "sfu" ? "sfu" : "p2p",
    recordingAllowed: false,
    recording: NOT_RECORDING,
    recordingNotice: false,
    nextId: 1,
    polls: NO_POLLS,
    breakouts: NO_BREAKOUTS,
    participantToken: null,
  };
}

const NOT_RECORDING: RecordingStatus = { active: false, started_at: null };

/** A recording that starts (or is running when we arrive) brings the notice; one that stops takes it away. */
function withRecording(state: RoomState, recording: RecordingStatus): RoomState {
  const started = recording.active && !state.recording.active;
  const recordingNotice = recording.active ? started || state.recordingNotice : false;
  return { ...state, recording: { active: recording.active, started_at: recording.started_at }, recordingNotice };
}

function byCreatedAt(a: ChatMessage, b: ChatMessage): number {
  return Date.parse(a.created_at) - Date.parse(b.created_at) || a.id.localeCompare(b.id);
}

/** Adds `incoming` to the chat (by id, so replays and snapshots never duplicate) and counts what is new. */
function mergeChat(state: RoomState, incoming: ChatMessage[], countUnread: boolean): RoomState {
  const known = new Set(state.chat.map((message) => message.id));
  const added = incoming.filter((message) => !known.has(message.id));
  if (added.length === 0) return state;
  const echoed = new Set(added.map((message) => message.client_id));
  // Only what is said where we are counts as unread (breakout rooms have chats of their own).
  const here = roomOf(state.roster, state.me.id);
  const fromOthers = added.filter((message) => message.sender_participant_id !== state.me.id && saidIn(message, here)).length;
  return {
    ...state,
    chat: [...state.chat, ...added].sort(byCreatedAt),
    pendingChat: state.pendingChat.filter((pending) => !echoed.has(pending.client_id)),
    unread: countUnread && !state.chatOpen ? state.unread + fromOthers : state.unread,
  };
}

function upsert(roster: Participant[], participant: Participant): Participant[] {
  return roster.some((p) => p.id === participant.id)
    ? roster.map((p) => (p.id === participant.id ? participant : p))
    : [...roster, participant];
}

/** One banner per kind (a repeated "muted" replaces the last); errors stack. */
function withBanner(state: RoomState, kind: BannerKind, text: string): RoomState {
  const kept = kind === "error" ? state.banners : state.banners.filter((banner) => banner.kind !== kind);
  return { ...state, banners: [...kept, { id: state.nextId, kind, text }], nextId: state.nextId + 1 };
}

function exited(state: RoomState, reason: ExitReason): RoomState {
  return state.exit ? state : { ...state, phase: "exited", exit: reason };
}

function withLobby(state: RoomState, waiting: Participant[]): RoomState {
  const before = new Set(state.lobby.map((p) => p.id));
  const arrivals = waiting.filter((p) => !before.has(p.id));
  const knock = arrivals.at(-1) ?? (waiting.some((p) => p.id === state.knock?.id) ? state.knock : null);
  return { ...state, lobby: waiting, knock };
}

function withWelcome(state: RoomState, message: Extract<ServerMessage, { type: "welcome" }>): RoomState {
  const wasJoined = state.phase === "joined";
  const { media_mode, recording_allowed, recording } = message.meeting;
  const base: RoomState = {
    ...state,
    mediaMode: message.sfu || media_mode === "sfu" ? "sfu" : "p2p",
    recordingAllowed: recording_allowed ?? state.recordingAllowed,
    me: { ...state.me, id: message.participant_id, role: message.role },
    participantToken: message.participant_token,
    meeting: {
      title: message.meeting.title,
      is_locked: message.meeting.is_locked,
      host_participant_id: message.meeting.host_participant_id,
    },
  };
  if (message.status === "waiting") return { ...base, phase: "waiting" };
  const me = message.roster.find((p) => p.id === message.participant_id);
  const joined: RoomState = {
    ...withLobby(withRecording(base, recording ?? NOT_RECORDING), message.lobby ?? []),
    phase: "joined",
    me: { ...base.me, display_name: me?.display_name ?? base.me.display_name },
    roster: message.roster,
  };
  // History already there on first entry is not "unread"; what arrived while we were away is.
  return mergeChat(joined, message.chat, wasJoined);
}

/** The room as the server describes it, plus what this browser shows about it. */
export function roomReducer(state: RoomState, action: RoomAction): RoomState {
  if (state.exit) return state;
  const polls = pollsReducer(state.polls, action);
  if (polls !== state.polls) state = { ...state, polls };
  const breakouts = breakoutReducer(state.breakouts, action);
  if (breakouts !== state.breakouts) state = { ...state, breakouts };
  switch (action.type) {
    case "welcome":
      return withWelcome(state, action);
    case "participant.joined":
      return {
        ...state,
        roster: upsert(state.roster, action.participant),
        lobby: state.lobby.filter((p) => p.id !== action.participant.id),
        knock: state.knock?.id === action.participant.id ? null : state.knock,
      };
    case "participant.updated": {
      const { participant } = action;
      const isMe = participant.id === state.me.id;
      return {
        ...state,
        roster: upsert(state.roster, participant),
        me: isMe ? { ...state.me, role: participant.role, display_name: participant.display_name } : state.me,
      };
    }
    case "breakout.moves":
      return {
        ...state,
        roster: state.roster.map((p) => (p.id in action.moves ? { ...p, breakout_room_id: action.moves[p.id] } : p)),
      };
    case "participant.left":
      return { ...state, roster: state.roster.filter((p) => p.id !== action.participant_id) };
    case "chat.message":
      return mergeChat(state, [action.message], true);
    case "chat.updated": {
      const { message } = action;
      return { ...state, chat: state.chat.map((m) => (m.id === message.id ? message : m)) };
    }
    case "reaction":
      return {
        ...state,
        reactions: [...state.reactions, { id: state.nextId, participant_id: action.participant_id, emoji: action.emoji }],
        nextId: state.nextId + 1,
      };
    case "meeting.updated": {
      const { title, is_locked, host_participant_id } = { ...state.meeting, ...action.meeting };
      const { recording_allowed } = action.meeting;
      return {
        ...state,
        meeting: { title, is_locked, host_participant_id },
        recordingAllowed: recording_allowed ?? state.recordingAllowed,
      };
    }
    case "recording":
      return withRecording(state, action);
    case "sfu":
      // A grant for a meeting we entered in P2P: it moved to the media server.
      return state.mediaMode === "sfu" ? state : { ...state, mediaMode: "sfu" };
    case "meeting.ended":
      return exited(state, "ended");
    case "lobby":
      return withLobby(state, action.waiting);
    case "denied":
      return exited(state, "denied");
    case "removed":
      return exited(state, "removed");
    case "breakout.message":
      return withBanner(state, "broadcast", `${action.sender_name} to all rooms: ${action.text}`);
    case "muted_by_host":
      return withBanner(state, "muted", "The host muted you");
    case "video_stopped_by_host":
      return withBanner(state, "video_stopped", "The host stopped your video");
    case "unmute_requested":
      return withBanner(state, "unmute_requested", "The host asks you to unmute");
    case "role":
      return { ...state, me: { ...state.me, role: action.role } };
    case "error":
      return withBanner(state, "error", action.message);
    case "local.chat_open":
      return { ...state, chatOpen: action.open, unread: action.open ? 0 : state.unread };
    case "local.chat_sent":
      return { ...state, pendingChat: [...state.pendingChat, action.message] };
    case "local.chat_failed":
    case "local.chat_retried": {
      const failed = action.type === "local.chat_failed";
      const target = state.pendingChat.find((message) => message.client_id === action.client_id);
      if (!target || target.failed === failed) return state;
      return {
        ...state,
        pendingChat: state.pendingChat.map((message) => (message === target ? { ...message, failed } : message)),
      };
    }
    case "local.chat_discarded":
      return { ...state, pendingChat: state.pendingChat.filter((message) => message.client_id !== action.client_id) };
    case "local.banner_dismissed":
      return { ...state, banners: state.banners.filter((banner) => banner.id !== action.id) };
    case "local.reaction_expired":
      return { ...state, reactions: state.reactions.filter((reaction) => reaction.id !== action.id) };
    case "local.knock_dismissed":
      return { ...state, knock: null };
    case "local.recording_notice_dismissed":
      return { ...state, recordingNotice: false };
    case "local.error":
      return withBanner(state, "error", action.text);
    case "local.exit":
      return exited(state, action.reason);
    default:
      // signal, admitted and replay are handled by the media and the socket.
      return state;
  }
}

export function isModerator(role: Role): boolean {
  return role === "host" || role === "cohost";
}
