// Test data for the room: a participant and a join result, each with the parts a test cares about overridden.
import { CLOSED_PLAN } from "../breakoutState";
import type { Breakout, ChatMessage, Participant, RoomJoin, Welcome } from "../types";

/** Someone connected with microphone and camera on; named after the id in capitals unless told otherwise. */
export function participant(id: string, overrides: Partial<Participant> = {}): Participant {
  return {
    id,
    display_name: id.toUpperCase(),
    role: "participant",
    is_guest: false,
    audio_on: true,
    video_on: true,
    screen_on: false,
    hand_raised: false,
    connected: true,
    breakout_room_id: null,
    ...overrides,
  };
}

/** "Ada" let into the meeting "Standup" as a participant. */
export function roomJoin(overrides: Partial<RoomJoin> = {}): RoomJoin {
  return {
    status: "joined",
    participant_id: "me",
    role: "participant",
    display_name: "Ada",
    ticket: "t",
    ws_path: "/ws/meetings/abcd-efgh-jkmn/",
    media_mode: "p2p",
    ice_servers: [],
    max_participants: 6,
    meeting: { title: "Standup" },
    ...overrides,
  };
}

/** No breakout rooms set up (the plan a welcome carries before the host makes any). */
export function closedBreakout(overrides: Partial<Breakout> = {}): Breakout {
  return { ...CLOSED_PLAN, ...overrides };
}

/** The parts of a welcome most tests don't look at: no breakout rooms, no polls. */
export function welcomeExtras(): Pick<Welcome, "participant_token" | "breakout" | "polls" | "poll_votes"> {
  return { participant_token: "participant-token", breakout: closedBreakout(), polls: [], poll_votes: {} };
}

/** A text message in the main room from "bo" ("Bo"), unless told otherwise. */
export function chatMessage(id: string, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id,
    type: "text",
    sender_participant_id: "bo",
    sender_name: "Bo",
    text: `hello ${id}`,
    to_participant_id: null,
    room_id: null,
    created_at: "2026-01-01T10:00:00Z",
    client_id: null,
    attachments: [],
    poll: null,
    ...overrides,
  };
}
