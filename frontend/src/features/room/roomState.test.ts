import { describe, expect, it } from "vitest";
import { initialRoomState, roomReducer, type RoomAction, type RoomState } from "./roomState";
import { chatMessage, closedBreakout, participant, roomJoin, welcomeExtras } from "./testing/fixtures";
import type { ChatMessage, Welcome } from "./types";

const join = roomJoin();

function chat(id: string, from: string, createdAt: string, clientId: string | null = null): ChatMessage {
  return chatMessage(id, { sender_participant_id: from, sender_name: from.toUpperCase(), created_at: createdAt, client_id: clientId });
}

function welcome(overrides: Partial<Welcome> = {}): Welcome {
  return {
    type: "welcome",
    participant_id: "me",
    role: "host",
    status: "joined",
    seq: 3,
    reconnect_ticket: "r",
    meeting: { code: "abcd-efgh-jkmn", title: "Weekly standup", is_locked: false, host_participant_id: "me" },
    roster: [participant("me", { display_name: "Ada L." }), participant("bo")],
    chat: [chat("m1", "bo", "2026-01-01T10:00:00Z")],
    lobby: [],
    ...welcomeExtras(),
    ...overrides,
  };
}

const reduce = (actions: RoomAction[], state: RoomState = initialRoomState(join)) => actions.reduce(roomReducer, state);

describe("roomReducer", () => {
  it("starts from the join result and takes the welcome's snapshot", () => {
    const state = reduce([welcome()]);
    expect(state.phase).toBe("joined");
    expect(state.me).toEqual({ id: "me", role: "host", display_name: "Ada L." });
    expect(state.meeting).toEqual({ title: "Weekly standup", is_locked: false, host_participant_id: "me" });
    expect(state.roster.map((p) => p.id)).toEqual(["me", "bo"]);
    expect(state.chat.map((m) => m.id)).toEqual(["m1"]);
    // History is not unread.
    expect(state.unread).toBe(0);
  });

  it("waits in the lobby until a joined welcome", () => {
    const waiting = reduce([welcome({ status: "waiting", roster: [], chat: [] })]);
    expect(waiting.phase).toBe("waiting");
    const admitted = reduce([{ type: "admitted" }, welcome()], waiting);
    expect(admitted.phase).toBe("joined");
  });

  it("keeps the roster current", () => {
    const state = reduce([
      welcome(),
      { type: "participant.joined", seq: 4, participant: participant("cy") },
      { type: "participant.updated", seq: 5, participant: participant("bo", { audio_on: false, hand_raised: true }) },
      { type: "participant.left", seq: 6, participant_id: "cy" },
      { type: "participant.joined", seq: 7, participant: participant("bo", { audio_on: false, hand_raised: true }) },
    ]);
    expect(state.roster.map((p) => [p.id, p.audio_on, p.hand_raised])).toEqual([
      ["me", true, false],
      ["bo", false, true],
    ]);
  });

  it("merges chat by id, sorted by time, whatever order it arrives in", () => {
    const state = reduce([
      welcome(),
      { type: "chat.message", seq: 4, message: chat("m3", "bo", "2026-01-01T10:02:00Z") },
      { type: "chat.message", seq: 5, message: chat("m2", "bo", "2026-01-01T10:01:00Z") },
      { type: "chat.message", seq: 4, message: chat("m3", "bo", "2026-01-01T10:02:00Z") },
      welcome({ chat: [chat("m1", "bo", "2026-01-01T10:00:00Z"), chat("m4", "bo", "2026-01-01T10:03:00Z")] }),
    ]);
    expect(state.chat.map((m) => m.id)).toEqual(["m1", "m2", "m3", "m4"]);
  });

  it("counts unread messages from others while the chat is closed", () => {
    const closed = reduce([
      welcome(),
      { type: "chat.message", seq: 4, message: chat("m2", "bo", "2026-01-01T10:01:00Z") },
      { type: "chat.message", seq: 5, message: chat("m3", "me", "2026-01-01T10:02:00Z") },
      // Missed while reconnecting: arrives in the next snapshot.
      welcome({ chat: [chat("m4", "bo", "2026-01-01T10:03:00Z")] }),
    ]);
    expect(closed.unread).toBe(2);
    const opened = reduce([{ type: "local.chat_open", open: true }], closed);
    expect(opened.unread).toBe(0);
    const read = reduce([{ type: "chat.message", seq: 6, message: chat("m5", "bo", "2026-01-01T10:04:00Z") }], opened);
    expect(read.unread).toBe(0);
  });

  it("shows our message as sending until its echo (matched by client_id) arrives", () => {
    const sending = reduce([
      welcome(),
      { type: "local.chat_sent", message: { client_id: "c1", text: "hi", to_participant_id: null, failed: false } },
    ]);
    expect(sending.pendingChat).toHaveLength(1);
    const echoed = reduce([{ type: "chat.message", seq: 4, message: chat("m9", "me", "2026-01-01T10:05:00Z", "c1") }], sending);
    expect(echoed.pendingChat).toEqual([]);
    expect(echoed.chat.map((m) => m.id)).toEqual(["m1", "m9"]);
  });

  it("keeps the lobby and announces new knocks only", () => {
    const first = reduce([welcome(), { type: "lobby", waiting: [participant("dee")] }]);
    expect(first.knock?.id).toBe("dee");
    const dismissed = reduce([{ type: "local.knock_dismissed" }], first);
    const second = reduce([{ type: "lobby", waiting: [participant("dee"), participant("eve")] }], dismissed);
    expect(second.knock?.id).toBe("eve");
    const admitted = reduce([{ type: "participant.joined", seq: 4, participant: participant("eve") }], second);
    expect(admitted.lobby.map((p) => p.id)).toEqual(["dee"]);
    expect(admitted.knock).toBeNull();
  });

  it("follows role and meeting changes", () => {
    const state = reduce([
      welcome({ role: "participant" }),
      { type: "role", role: "cohost" },
      { type: "meeting.updated", seq: 4, meeting: { is_locked: true } },
    ]);
    expect(state.me.role).toBe("cohost");
    expect(state.meeting).toMatchObject({ title: "Weekly standup", is_locked: true });
  });

  it("raises one banner per moderation kind and stacks errors", () => {
    const state = reduce([
      welcome(),
      { type: "muted_by_host" },
      { type: "muted_by_host" },
      { type: "video_stopped_by_host" },
      { type: "unmute_requested" },
      { type: "error", code: "permission_denied", message: "Only hosts can do that." },
      { type: "error", code: "rate_limited", message: "Slow down." },
    ]);
    expect(state.banners.map((b) => b.text)).toEqual([
      "The host muted you",
      "The host stopped your video",
      "The host asks you to unmute",
      "Only hosts can do that.",
      "Slow down.",
    ]);
    const dismissed = reduce([{ type: "local.banner_dismissed", id: state.banners[0].id }], state);
    expect(dismissed.banners).toHaveLength(4);
  });

  it("floats reactions until they expire", () => {
    const state = reduce([welcome(), { type: "reaction", seq: 4, participant_id: "bo", emoji: "🎉" }]);
    expect(state.reactions).toEqual([{ id: expect.any(Number), participant_id: "bo", emoji: "🎉" }]);
    expect(reduce([{ type: "local.reaction_expired", id: state.reactions[0].id }], state).reactions).toEqual([]);
  });

  it.each([
    [{ type: "meeting.ended", seq: 4 }, "ended"],
    [{ type: "removed" }, "removed"],
    [{ type: "denied" }, "denied"],
    [{ type: "local.exit", reason: "left" }, "left"],
  ] as const)("exits on %o and then ignores everything", (action, reason) => {
    const state = reduce([welcome(), action, { type: "participant.joined", seq: 9, participant: participant("zed") }, { type: "removed" }]);
    expect(state.phase).toBe("exited");
    expect(state.exit).toBe(reason);
    expect(state.roster.map((p) => p.id)).toEqual(["me", "bo"]);
  });
});

describe("breakout rooms in the room state", () => {
  const rooms = [{ id: "r1", name: "One" }];
  const plan = closedBreakout({ rooms, status: "open", assignments: { me: "r1" } });

  it("counts as unread only what is said in our room, and keeps the plan", () => {
    const inRoom = welcome({ roster: [participant("me", { breakout_room_id: "r1" }), participant("bo")], chat: [], breakout: plan });
    const state = reduce([
      inRoom,
      { type: "chat.message", seq: 4, message: chat("main", "bo", "2026-01-01T10:01:00Z") },
      { type: "chat.message", message: chatMessage("room", { room_id: "r1", sender_participant_id: "cy" }) },
    ]);
    expect(state.unread).toBe(1);
    expect(state.breakouts.plan).toEqual(plan);
  });

  it("moves people between rooms with one event", () => {
    const state = reduce([welcome({ breakout: plan }), { type: "breakout.moves", seq: 4, moves: { me: "r1", bo: "r1" } }]);
    expect(state.roster.map((p) => [p.id, p.breakout_room_id])).toEqual([["me", "r1"], ["bo", "r1"]]);
    const back = reduce([{ type: "breakout.moves", seq: 5, moves: { bo: null } }], state);
    expect(back.roster.map((p) => [p.id, p.breakout_room_id])).toEqual([["me", "r1"], ["bo", null]]);
  });

  it("shows the host's broadcast, and lists (then clears) requests for help, one per person", () => {
    const help = { participant_id: "bo", display_name: "Bo", room_id: "r1", room_name: "One" };
    let state = reduce([
      welcome({ breakout: plan }),
      { type: "breakout.message", seq: 4, text: "2 minutes left", sender_name: "Hema" },
      { type: "breakout.help", ...help },
      { type: "breakout.help", ...help },
    ]);
    expect(state.banners.map((b) => [b.kind, b.text])).toEqual([["broadcast", "Hema to all rooms: 2 minutes left"]]);
    expect(state.breakouts.help.map((h) => h.display_name)).toEqual(["Bo"]);
    state = reduce([{ type: "local.help_dismissed", id: state.breakouts.help[0].id }], state);
    expect(state.breakouts.help).toEqual([]);
    state = reduce([{ type: "breakout.help", ...help }, { type: "breakout.updated", seq: 5, breakout: closedBreakout({ rooms }) }], state);
    expect(state.breakouts.help).toEqual([]);
    expect(state.breakouts.plan.status).toBe("closed");
  });
});
