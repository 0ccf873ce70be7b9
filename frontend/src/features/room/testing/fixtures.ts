// Test data for the room: a participant and a join result, each with the parts a test cares about overridden.
import type { Participant, RoomJoin } from "../types";

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
