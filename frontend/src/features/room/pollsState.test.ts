import { describe, expect, it } from "vitest";
import { NO_POLLS, launchedPolls, pollToPopUp, pollsReducer, popUpKey, type PollsState } from "./pollsState";
import { initialRoomState, roomReducer, type RoomAction } from "./roomState";
import { chatMessage, roomJoin, welcomeExtras } from "./testing/fixtures";
import type { ChatMessage, Poll, PollHostView, Welcome } from "./types";

function poll(id: string, overrides: Partial<Poll> = {}): Poll {
  return {
    id,
    question: `Question ${id}?`,
    options: ["Yes", "No"],
    multiple: false,
    anonymous: false,
    status: "open",
    results_shared: false,
    results: null,
    ...overrides,
  };
}

function hosted(id: string, overrides: Partial<PollHostView> = {}): PollHostView {
  return { ...poll(id), results: { counts: [0, 0], voters: 0 }, votes: [], ...overrides };
}

function pollMessage(p: Poll, createdAt = "2026-01-01T10:00:00Z"): ChatMessage {
  return chatMessage(`m-${p.id}`, { type: "poll", text: p.question, poll: p, created_at: createdAt });
}

function welcome(overrides: Partial<Welcome> = {}): Welcome {
  return {
    type: "welcome",
    participant_id: "me",
    role: "host",
    status: "joined",
    seq: 1,
    reconnect_ticket: "r",
    meeting: { code: "abcd-efgh-jkmn", title: "Standup", is_locked: false, host_participant_id: "me" },
    roster: [],
    chat: [],
    lobby: [],
    ...welcomeExtras(),
    ...overrides,
  };
}

describe("pollsReducer", () => {
  it("takes the hosts' polls and my votes from the welcome, and replaces them on the next", () => {
    let state = pollsReducer(NO_POLLS, welcome({ polls: [hosted("p1")], poll_votes: { p1: [0] } }));
    expect(state).toEqual({ hosted: [hosted("p1")], myVotes: { p1: [0] }, dismissed: [] });
    // A role change brings a fresh welcome: no longer a host, no host view.
    state = pollsReducer(state, welcome({ role: "participant", polls: [], poll_votes: { p1: [0] } }));
    expect(state.hosted).toEqual([]);
    // The waiting room's welcome says nothing about polls.
    expect(pollsReducer(state, welcome({ status: "waiting" }))).toBe(state);
  });

  it("adds, updates and deletes hosted polls, and records my votes", () => {
    let state: PollsState = NO_POLLS;
    state = pollsReducer(state, { type: "poll.updated", poll: hosted("p1", { status: "draft" }) });
    state = pollsReducer(state, { type: "poll.updated", poll: hosted("p2") });
    const counted = hosted("p2", { results: { counts: [1, 0], voters: 1 }, votes: [{ name: "Bo", choices: [0] }] });
    state = pollsReducer(state, { type: "poll.updated", poll: counted });
    expect(state.hosted).toEqual([hosted("p1", { status: "draft" }), counted]);
    state = pollsReducer(state, { type: "poll.updated", poll_id: "p1", deleted: true });
    expect(state.hosted).toEqual([counted]);
    state = pollsReducer(state, { type: "poll.voted", poll_id: "p2", choices: [1] });
    state = pollsReducer(state, { type: "poll.voted", poll_id: "p2", choices: [0] });
    expect(state.myVotes).toEqual({ p2: [0] });
  });

  it("is part of the room's state", () => {
    const actions: RoomAction[] = [welcome({ polls: [hosted("p1")] }), { type: "poll.voted", poll_id: "p1", choices: [1] }];
    const room = actions.reduce(roomReducer, initialRoomState(roomJoin()));
    expect(room.polls.hosted.map((p) => p.id)).toEqual(["p1"]);
    expect(room.polls.myVotes).toEqual({ p1: [1] });
  });

  it("keeps a poll's chat message up to date from chat.updated", () => {
    const open = poll("p1");
    const closed = poll("p1", { status: "closed", results_shared: true, results: { counts: [2, 1], voters: 3 } });
    const actions: RoomAction[] = [welcome({ chat: [pollMessage(open)] }), { type: "chat.updated", message: pollMessage(closed) }];
    const room = actions.reduce(roomReducer, initialRoomState(roomJoin()));
    expect(launchedPolls(room.chat)).toEqual([closed]);
  });
});

describe("pollToPopUp", () => {
  const early = poll("p1");
  const late = poll("p2");
  const chat = [pollMessage(early, "2026-01-01T10:00:00Z"), chatMessage("t1"), pollMessage(late, "2026-01-01T10:05:00Z")];

  it("pops up the newest open poll I have not answered", () => {
    expect(pollToPopUp(chat, NO_POLLS)).toEqual(late);
    expect(pollToPopUp(chat, { ...NO_POLLS, myVotes: { p2: [0] } })).toEqual(early);
    expect(pollToPopUp(chat, { ...NO_POLLS, myVotes: { p1: [0], p2: [1] } })).toBeNull();
  });

  it("stays away once dismissed, and comes back when the results are shared", () => {
    const dismissed: PollsState = { ...NO_POLLS, dismissed: [popUpKey(late), popUpKey(early)] };
    expect(pollToPopUp(chat, dismissed)).toBeNull();
    const shared = poll("p2", { status: "closed", results_shared: true, results: { counts: [1, 1], voters: 2 } });
    const later = [pollMessage(early), pollMessage(shared, "2026-01-01T10:05:00Z")];
    expect(pollToPopUp(later, { ...dismissed, myVotes: { p2: [0] } })).toEqual(shared);
    expect(pollToPopUp(later, { ...dismissed, dismissed: [...dismissed.dismissed, popUpKey(shared)] })).toBeNull();
  });

  it("never pops up a closed poll whose results are not shared", () => {
    expect(pollToPopUp([pollMessage(poll("p3", { status: "closed" }))], NO_POLLS)).toBeNull();
  });
});
