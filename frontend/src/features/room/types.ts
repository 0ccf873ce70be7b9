// The realtime protocol of docs/meetings.md, as the web app speaks it.

export type Role = "host" | "cohost" | "participant";

export interface IceServer {
  urls: string[];
  username?: string | null;
  credential?: string | null;
}

/** What the room needs from the REST join result (`POST /meetings/{code}/join`). */
export interface RoomJoin {
  status: "joined" | "waiting";
  participant_id: string;
  role: Role;
  display_name: string;
  ticket: string;
  ws_path: string;
  media_mode: string;
  ice_servers: IceServer[];
  /** "relay" sends media only through the TURN servers in `ice_servers`. */
  ice_transport_policy?: "all" | "relay";
  max_participants: number;
  meeting: { title: string };
}

export interface Participant {
  id: string;
  display_name: string;
  role: Role;
  is_guest: boolean;
  audio_on: boolean;
  video_on: boolean;
  screen_on: boolean;
  hand_raised: boolean;
  connected: boolean;
  /** The breakout room the session is in now; null: the main room. */
  breakout_room_id: string | null;
}

/** A file shared in the chat; ask for a link to open it (docs/meetings.md "Files in chat"). */
export interface Attachment {
  id: string;
  name: string;
  size_bytes: number;
  mime_type: string;
  is_image: boolean;
}

export interface PollResults {
  counts: number[];
  voters: number;
}

/** A poll as everyone sees it: results only once the host shares them. */
export interface Poll {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  status: "draft" | "open" | "closed";
  results_shared: boolean;
  results: PollResults | null;
}

/** A poll as hosts and co-hosts see it: drafts too, live results, who chose what unless anonymous. */
export interface PollHostView extends Poll {
  results: PollResults;
  votes: { name: string; choices: number[] }[] | null;
}

export interface ChatMessage {
  id: string;
  type: "text" | "file" | "system" | "poll";
  /** Null for system messages. */
  sender_participant_id: string | null;
  sender_name: string;
  text: string;
  to_participant_id: string | null;
  /** The breakout room it was said in; null: the main room. */
  room_id: string | null;
  created_at: string;
  client_id: string | null;
  attachments: Attachment[];
  poll: Poll | null;
}

export type BreakoutStatus = "closed" | "open" | "closing";

export interface BreakoutHelp {
  participant_id: string;
  display_name: string;
  room_id: string;
  room_name: string;
}

export interface BreakoutRoom {
  id: string;
  name: string;
}

/** The meeting's breakout rooms (docs/meetings.md "Breakout rooms"). */
export interface Breakout {
  status: BreakoutStatus;
  allow_choosing: boolean;
  duration_minutes: number | null;
  countdown_seconds: number;
  opened_at: string | null;
  ends_at: string | null;
  closes_at: string | null;
  rooms: BreakoutRoom[];
  /** Joined sessions that have a room: participant id -> room id. */
  assignments: Record<string, string>;
}

export interface MeetingInfo {
  title: string;
  is_locked: boolean;
  host_participant_id: string | null;
}

/** Access to this meeting's Janus room for one participant (docs/sfu.md). */
export interface SfuGrant {
  server_url: string;
  token: string;
  room: string;
  pin: string;
  room_token: string;
  publisher_id: string;
  screen_publisher_id: string;
  /**
   * Fresh STUN/TURN servers (the join answer's shape): TURN credentials expire, so each Janus
   * (re)connection uses the latest grant's; absent from older servers (then the join's are used).
   */
  ice_servers?: IceServer[];
}

export interface RecordingStatus {
  active: boolean;
  started_at: string | null;
}

export type SignalData = { description: RTCSessionDescriptionInit } | { candidate: RTCIceCandidateInit | null };

export interface Welcome {
  type: "welcome";
  participant_id: string;
  role: Role;
  status: "joined" | "waiting";
  seq: number;
  reconnect_ticket: string;
  meeting: MeetingInfo & {
    code: string;
    /** "sfu": media goes through Janus (with `sfu`, or without it while no node is up: ask again). */
    media_mode?: string;
    recording?: RecordingStatus;
    recording_allowed?: boolean;
  };
  roster: Participant[];
  chat: ChatMessage[];
  lobby?: Participant[];
  sfu?: SfuGrant | null;
  /** Authorises this session's REST calls in the meeting (files): header `X-Participant-Token`. */
  participant_token: string;
  breakout: Breakout;
  /** Hosts and co-hosts: every poll (drafts, live results); others: []. */
  polls: PollHostView[];
  /** My own votes: poll id -> choice indexes. */
  poll_votes: Record<string, number[]>;
}

/** Events broadcast to every admitted participant; each carries the meeting's next `seq`. */
export type BroadcastEvent = { seq: number } & (
  | { type: "participant.joined"; participant: Participant }
  | { type: "participant.left"; participant_id: string }
  | { type: "participant.updated"; participant: Participant }
  | { type: "chat.message"; message: ChatMessage }
  /** A message changed (a poll closed or its results shared, a file removed). */
  | { type: "chat.updated"; message: ChatMessage }
  | { type: "reaction"; participant_id: string; emoji: string }
  | { type: "meeting.updated"; meeting: Partial<MeetingInfo> & { recording_allowed?: boolean } }
  | { type: "meeting.ended" }
  | { type: "breakout.updated"; breakout: Breakout }
  /** Sessions that changed room: participant id -> breakout room id (null: the main room). */
  | { type: "breakout.moves"; moves: Record<string, string | null> }
  /** The host's message to every breakout room. */
  | { type: "breakout.message"; text: string; sender_name: string }
  | ({ type: "recording" } & RecordingStatus)
);

/** Events sent to one participant only: no `seq`. */
export type DirectEvent =
  | { type: "chat.message"; message: ChatMessage }
  | { type: "chat.updated"; message: ChatMessage }
  /** Hosts and co-hosts: a poll was created or changed (votes too), or a draft deleted. */
  | { type: "poll.updated"; poll: PollHostView }
  | { type: "poll.updated"; poll_id: string; deleted: true }
  /** My own vote, as the server stored it. */
  | { type: "poll.voted"; poll_id: string; choices: number[] }
  | { type: "signal"; from: string; data: SignalData }
  /** We were moved to a breakout room (null: the main room); a fresh welcome follows. */
  | { type: "breakout.moved"; room_id: string | null }
  /** Hosts and co-hosts: someone in a breakout room asks for help. */
  | ({ type: "breakout.help" } & BreakoutHelp)
  | { type: "lobby"; waiting: Participant[] }
  | { type: "admitted" }
  | { type: "denied" }
  | { type: "removed" }
  | { type: "muted_by_host" }
  | { type: "video_stopped_by_host" }
  | { type: "unmute_requested" }
  | { type: "role"; role: Role }
  | { type: "replay"; events: BroadcastEvent[] }
  | { type: "sfu"; sfu: SfuGrant }
  | { type: "error"; code: string; message: string };

export type ServerMessage = Welcome | BroadcastEvent | DirectEvent;

export const REACTIONS = ["👍", "👏", "😂", "😮", "❤️", "🎉"] as const;
export type Reaction = (typeof REACTIONS)[number];

type Target = { participant_id: string };

export type ModerationMessage =
  | ({ type: "admit" } & Target)
  | { type: "admit_all" }
  | ({ type: "deny" } & Target)
  | ({ type: "mute" } & Target)
  | { type: "mute_all" }
  | ({ type: "ask_unmute" } & Target)
  | ({ type: "stop_video" } & Target)
  | ({ type: "remove" } & Target)
  | { type: "lock" }
  | { type: "unlock" }
  | ({ type: "make_cohost" } & Target)
  | ({ type: "remove_cohost" } & Target)
  | ({ type: "transfer_host" } & Target)
  | { type: "end" };

/** Breakout rooms (docs/meetings.md "Breakout rooms"): setting up and running them is for hosts and co-hosts. */
export type BreakoutMessage =
  | {
      type: "breakout_configure";
      rooms: { id?: string; name: string }[];
      allow_choosing?: boolean;
      duration_minutes?: number | null;
      countdown_seconds?: number;
    }
  | { type: "breakout_assign"; participant_id: string; room_id: string | null }
  | { type: "breakout_auto_assign" | "breakout_open" | "breakout_close" | "breakout_help" }
  | { type: "breakout_broadcast"; text: string }
  | { type: "breakout_join"; room_id: string | null };

/** Polls (docs/meetings.md "Polls"): creating and running them is for hosts and co-hosts; anyone votes. */
export type PollMessage =
  | { type: "poll_create"; question: string; options: string[]; multiple: boolean; anonymous: boolean; launch: boolean }
  | { type: "poll_launch" | "poll_close" | "poll_share" | "poll_delete"; poll_id: string }
  | { type: "poll_vote"; poll_id: string; choices: number[] };

export type ClientMessage =
  | { type: "resume"; since: number }
  | { type: "state"; audio_on: boolean; video_on: boolean; screen_on: boolean; screen_track_id?: string }
  | { type: "hand"; raised: boolean }
  | { type: "tab"; hidden: boolean }
  | { type: "reaction"; emoji: Reaction }
  | { type: "chat"; text: string; to?: string; client_id: string }
  | { type: "signal"; to: string; data: SignalData }
  | { type: "leave" }
  | { type: "sfu_refresh" }
  | { type: "recording_start" }
  | { type: "recording_stop" }
  | ModerationMessage
  | PollMessage
  | BreakoutMessage;

/** Why the room closed, as the room shows it; the parent hears the first four. */
export type ExitReason = "left" | "removed" | "ended" | "denied" | "disconnected";
