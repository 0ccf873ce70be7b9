import { describe, expect, it, vi } from "vitest";
import { RoomSession } from "./roomSession";
import { FakePeerConnection, FakeWebSocket, fakeStream, fakeTrack, installFakeBrowserMedia } from "../../test/mediaFakes";
import { FakeJanus, sfuGrant } from "./testing/fakeJanus";
import { chatMessage, participant, roomJoin, welcomeExtras } from "./testing/fixtures";
import type { ChatMessage, Participant, RoomJoin, Welcome } from "./types";

function welcome(overrides: Partial<Welcome> = {}): Welcome {
  return {
    type: "welcome",
    participant_id: "me",
    role: "participant",
    status: "joined",
    seq: 4,
    reconnect_ticket: "next",
    meeting: { code: "abcd-efgh-jkmn", title: "Standup", is_locked: false, host_participant_id: "bo" },
    roster: [participant("me"), participant("bo")],
    chat: [],
    ...welcomeExtras(),
    ...overrides,
  };
}

function echo(id: string, clientId: string, text: string, seq: number) {
  const message: ChatMessage = chatMessage(id, { sender_participant_id: "me", sender_name: "Ada", text, client_id: clientId });
  return { type: "chat.message", seq, message } as const;
}

const offer = { description: { type: "offer", sdp: "their offer" } } as const;

async function startSession(join: RoomJoin = roomJoin()) {
  const onExit = vi.fn();
  const session = new RoomSession({
    join,
    localStream: fakeStream([fakeTrack("audio"), fakeTrack("video")]),
    initialAudioOn: true,
    initialVideoOn: true,
    rejoin: vi.fn(async () => roomJoin({ ticket: "again" })),
    onExit,
  });
  session.start();
  await Promise.resolve();
  const ws = FakeWebSocket.latest();
  ws.open();
  return { session, ws, onExit };
}

const chats = (ws: FakeWebSocket) => ws.sent.filter((message) => message.type === "chat");
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

installFakeBrowserMedia();

describe("RoomSession chat", () => {
  it("marks the chat the server refused as failed, the oldest first, and retries it as it was", async () => {
    const { session, ws } = await startSession();
    ws.receive(welcome());
    session.sendChat("one", null);
    session.react("👍");
    session.sendChat("two", "bo");
    const [one, two] = chats(ws);

    ws.receive({ type: "error", code: "rate_limited", message: "Slow down." });
    ws.receive({ type: "error", code: "permission_denied", message: "Only hosts can do that." });
    let { pendingChat } = session.getSnapshot().room;
    expect(pendingChat.map((m) => [m.text, m.failed])).toEqual([["one", true], ["two", false]]);
    expect(session.getSnapshot().room.banners.map((b) => b.text)).toEqual(["Slow down.", "Only hosts can do that."]);

    // The reaction went through; the next refusal is the second chat's.
    ws.receive({ type: "reaction", seq: 5, participant_id: "me", emoji: "👍" });
    ws.receive({ type: "error", code: "invalid_input", message: "Too long." });
    ({ pendingChat } = session.getSnapshot().room);
    expect(pendingChat.map((m) => [m.text, m.failed])).toEqual([["one", true], ["two", true]]);

    session.retryChat(one.client_id as string);
    expect(ws.sent.at(-1)).toEqual({ type: "chat", text: "one", client_id: one.client_id });
    expect(session.getSnapshot().room.pendingChat[0].failed).toBe(false);
    ws.receive(echo("m1", one.client_id as string, "one", 6));
    session.discardChat(two.client_id as string);
    ({ pendingChat } = session.getSnapshot().room);
    expect(pendingChat).toEqual([]);
    expect(session.getSnapshot().room.chat.map((m) => m.text)).toEqual(["one"]);
    session.stop();
  });

  it("fails a private message to someone who has left (not_found), not one to someone still here", async () => {
    const { session, ws } = await startSession();
    ws.receive(welcome({ roster: [participant("me"), participant("bo"), participant("cy")] }));
    session.sendChat("to bo", "bo");
    ws.receive({ type: "error", code: "not_found", message: "No such participant." });
    expect(session.getSnapshot().room.pendingChat[0].failed).toBe(false);
    ws.receive({ type: "participant.left", seq: 5, participant_id: "bo" });
    ws.receive({ type: "error", code: "not_found", message: "No such participant." });
    expect(session.getSnapshot().room.pendingChat[0].failed).toBe(true);
    session.stop();
  });

  it("sends what is still pending again after reconnecting, with the same client_id", async () => {
    vi.useFakeTimers();
    const { session, ws } = await startSession();
    ws.receive(welcome());
    session.sendChat("stored before the drop", null);
    session.sendChat("lost in the drop", null);
    const [stored, lost] = chats(ws);
    ws.drop(1006);
    await vi.advanceTimersByTimeAsync(500);
    const again = FakeWebSocket.latest();
    expect(again).not.toBe(ws);
    again.open();
    // The snapshot has the first (stored with its client_id): only the second goes again.
    again.receive(welcome({ seq: 6, chat: [echo("m1", stored.client_id as string, stored.text as string, 5).message] }));
    expect(chats(again)).toEqual([{ type: "chat", text: "lost in the drop", client_id: lost.client_id }]);
    expect(session.getSnapshot().room.pendingChat.map((m) => m.text)).toEqual(["lost in the drop"]);

    // A fresh welcome on the same socket (a role change) sends nothing twice.
    again.receive(welcome({ seq: 6, role: "cohost" }));
    expect(chats(again)).toHaveLength(1);
    session.stop();
  });
});

describe("RoomSession peers", () => {
  it("keeps signals that come between admitted and the joined welcome, then answers them", async () => {
    const { session, ws } = await startSession();
    ws.receive(welcome({ status: "waiting", roster: [], chat: [] }));
    ws.receive({ type: "admitted" });
    ws.receive({ type: "signal", from: "bo", data: offer });
    ws.receive({ type: "signal", from: "bo", data: { candidate: { candidate: "candidate:1", sdpMid: "0" } } });
    expect(FakePeerConnection.instances).toHaveLength(0);

    ws.receive(welcome());
    await settle();
    expect(FakePeerConnection.instances).toHaveLength(1);
    const [pc] = FakePeerConnection.instances;
    expect(pc.candidates).toEqual([{ candidate: "candidate:1", sdpMid: "0" }]);
    const answers = ws.sent.filter((m) => m.type === "signal" && (m.data as { description?: RTCSessionDescriptionInit }).description?.type === "answer");
    expect(answers).toEqual([{ type: "signal", to: "bo", data: { description: { type: "answer", sdp: "fake answer" } } }]);
    session.stop();
  });

  it("connects to everyone on entering, but waits for a newcomer's offer", async () => {
    const { session, ws } = await startSession();
    ws.receive(welcome({ roster: [participant("me"), participant("bo")] }));
    expect(FakePeerConnection.instances).toHaveLength(1);

    const cy: Participant = participant("cy");
    ws.receive({ type: "participant.joined", seq: 5, participant: cy });
    ws.receive({ type: "participant.updated", seq: 6, participant: { ...cy, audio_on: false } });
    expect(FakePeerConnection.instances).toHaveLength(1);

    ws.receive({ type: "signal", from: "cy", data: offer });
    await settle();
    expect(FakePeerConnection.instances).toHaveLength(2);
    expect(ws.sent.filter((m) => m.type === "signal" && m.to === "cy")).toHaveLength(1);
    session.stop();
  });

  it("connects only within its breakout room, and follows moves into and out of rooms", async () => {
    const { session, ws } = await startSession();
    ws.receive(welcome({ roster: [participant("me"), participant("bo"), participant("cy")] }));
    const [toBo, toCy] = FakePeerConnection.instances;
    expect(FakePeerConnection.instances).toHaveLength(2);

    // Cy goes to room r2: our connection with Cy ends; Bo's stays.
    ws.receive({ type: "breakout.moves", seq: 5, moves: { cy: "r2" } });
    expect([toBo.closed, toCy.closed]).toEqual([false, true]);

    // We are moved to r2: a fresh welcome on the same socket; the one peer there is Cy.
    await settle();
    const signalsTo = (peer: string) => ws.sent.filter((m) => m.type === "signal" && m.to === peer).length;
    const toBoBefore = signalsTo("bo");
    ws.receive({ type: "breakout.moved", room_id: "r2" });
    ws.receive(
      welcome({
        seq: 6,
        roster: [participant("me", { breakout_room_id: "r2" }), participant("bo"), participant("cy", { breakout_room_id: "r2" })],
      }),
    );
    expect(toBo.closed).toBe(true);
    expect(FakePeerConnection.instances).toHaveLength(3);
    await settle();
    expect(FakePeerConnection.instances[2].closed).toBe(false);
    expect(signalsTo("bo")).toBe(toBoBefore);
    session.stop();
  });

  it("gives every connection the join result's ICE servers and transport policy", async () => {
    const turn = { urls: ["turn:10.203.0.1:3478"], username: "u", credential: "c" };
    const { session, ws } = await startSession(roomJoin({ ice_servers: [turn], ice_transport_policy: "relay" }));
    ws.receive(welcome());
    expect(FakePeerConnection.instances.map((pc) => pc.config)).toEqual([{ iceServers: [turn], iceTransportPolicy: "relay" }]);
    session.stop();
  });
});

describe("RoomSession leaving", () => {
  it("says leave when the room goes away (navigation) while in the meeting", async () => {
    const { session, ws } = await startSession();
    ws.receive(welcome());
    session.stop();
    expect(ws.sent.at(-1)).toEqual({ type: "leave" });
    expect(ws.closedWith).toBe(1000);
  });

  it("says leave when the page is hidden for good (tab closed)", async () => {
    const { ws, onExit } = await startSession();
    ws.receive(welcome());
    window.dispatchEvent(new Event("pagehide"));
    expect(ws.sent.at(-1)).toEqual({ type: "leave" });
    expect(onExit).toHaveBeenCalledWith("left", { audioOn: true, videoOn: true });
    window.dispatchEvent(new Event("pagehide"));
    expect(ws.sent.filter((m) => m.type === "leave")).toHaveLength(1);
  });

  it("does not say leave after being removed", async () => {
    const { session, ws, onExit } = await startSession();
    ws.receive(welcome());
    ws.receive({ type: "removed" });
    expect(onExit).toHaveBeenCalledWith("removed", expect.anything());
    session.stop();
    window.dispatchEvent(new Event("pagehide"));
    expect(ws.sent.filter((m) => m.type === "leave")).toEqual([]);
  });

  it("tells how the microphone and camera were at the end", async () => {
    const { session, ws, onExit } = await startSession();
    ws.receive(welcome());
    await session.setAudio(false);
    session.leave();
    expect(onExit).toHaveBeenCalledWith("left", { audioOn: false, videoOn: true });
  });
});

describe("RoomSession in SFU mode", () => {
  async function startSfuSession(join: Partial<RoomJoin> = {}) {
    const janus = new FakeJanus();
    const session = new RoomSession({
      join: roomJoin({ media_mode: "sfu", ice_transport_policy: "relay", ...join }),
      localStream: fakeStream([fakeTrack("audio"), fakeTrack("video")]),
      initialAudioOn: true,
      initialVideoOn: true,
      rejoin: vi.fn(async () => roomJoin({ ticket: "again" })),
      onExit: vi.fn(),
      connectJanus: janus.connect,
    });
    session.start();
    await Promise.resolve();
    const ws = FakeWebSocket.latest();
    ws.open();
    return { session, ws, janus };
  }

  const sfuWelcome = (sfu: Welcome["sfu"]) =>
    welcome({ meeting: { code: "abcd-efgh-jkmn", title: "Standup", is_locked: false, host_participant_id: "bo", media_mode: "sfu" }, sfu });

  it("sends media through Janus with the welcome's grant, not to peers, and mutes at the sender", async () => {
    const { session, ws, janus } = await startSfuSession();
    ws.receive(sfuWelcome(sfuGrant()));
    await vi.waitFor(() => expect(janus.latest()?.handles[0]?.requests("join")).toHaveLength(1));
    expect(janus.latest().options.rtcConfig).toEqual({ iceServers: [], iceTransportPolicy: "relay" });
    janus.latest().handles[0].emit({ videoroom: "joined", id: "me", private_id: 1, publishers: [] });
    await vi.waitFor(() => expect(janus.latest().handles[0].requests("publish")).toHaveLength(1));
    expect(FakePeerConnection.instances).toHaveLength(0);

    await session.setAudio(false);
    const mic = janus.latest().handles[0].transceivers.find((t) => t.mid === "0");
    await vi.waitFor(() => expect(mic?.sender.track).toBeNull());
    session.stop();
    expect(janus.latest().destroyed).toBe(true);
  });

  it("asks for a grant when the welcome has none, shows nothing for sfu_unavailable, and connects with the sfu message", async () => {
    const { session, ws, janus } = await startSfuSession();
    ws.receive(sfuWelcome(null));
    await vi.waitFor(() => expect(ws.sent).toContainEqual({ type: "sfu_refresh" }));
    ws.receive({ type: "error", code: "sfu_unavailable", message: "No media server is available." });
    expect(session.getSnapshot().room.banners).toEqual([]);
    ws.receive({ type: "sfu", sfu: sfuGrant({ server_url: "ws://10.203.0.1:8189/" }) });
    await vi.waitFor(() => expect(janus.connections).toHaveLength(1));
    expect(janus.latest().options.server).toBe("ws://10.203.0.1:8189/");
    session.stop();
  });

  it("shows Reconnecting… while the Janus connection is down, and reconnects to the node the server names", async () => {
    const { session, ws, janus } = await startSfuSession();
    ws.receive(sfuWelcome(sfuGrant()));
    await vi.waitFor(() => expect(janus.latest()?.handles[0]?.requests("join")).toHaveLength(1));
    janus.latest().handles[0].emit({ videoroom: "joined", id: "me", private_id: 1, publishers: [] });
    await vi.waitFor(() => expect(janus.latest().handles[0].requests("publish")).toHaveLength(1));
    expect(session.getSnapshot().mediaReconnecting).toBe(false);

    janus.latest().lose();
    expect(session.getSnapshot().mediaReconnecting).toBe(true);
    await vi.waitFor(() => expect(ws.sent).toContainEqual({ type: "sfu_refresh" }));
    ws.receive({ type: "sfu", sfu: sfuGrant({ server_url: "ws://10.203.0.1:8189/" }) });
    await vi.waitFor(() => expect(janus.connections).toHaveLength(2));
    await vi.waitFor(() => expect(janus.latest().handles[0]?.requests("join")).toHaveLength(1));
    janus.latest().handles[0].emit({ videoroom: "joined", id: "me", private_id: 2, publishers: [] });
    await vi.waitFor(() => expect(session.getSnapshot().mediaReconnecting).toBe(false));
    expect(janus.latest().options.server).toBe("ws://10.203.0.1:8189/");
    session.stop();
  });

  /** Janus lets our camera publisher in (with its private id) and we publish. */
  async function joinJanus(janus: FakeJanus, privateId = 1) {
    const connection = janus.latest();
    await vi.waitFor(() => expect(connection.handles[0]?.requests("join")).toHaveLength(1));
    connection.handles[0].emit({ videoroom: "joined", id: "me", private_id: privateId, publishers: [] });
    await vi.waitFor(() => expect(connection.handles[0].requests("publish")).toHaveLength(1));
    return connection;
  }

  const refreshes = (ws: FakeWebSocket) => ws.sent.filter((m) => m.type === "sfu_refresh");

  it("moves from the mesh to the SFU when an sfu grant comes after a P2P welcome (two first participants raced)", async () => {
    const janus = new FakeJanus();
    const session = new RoomSession({
      join: roomJoin(),
      localStream: fakeStream([fakeTrack("audio"), fakeTrack("video")]),
      initialAudioOn: true,
      initialVideoOn: true,
      rejoin: vi.fn(async () => roomJoin({ ticket: "again" })),
      onExit: vi.fn(),
      connectJanus: janus.connect,
    });
    session.start();
    await Promise.resolve();
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.receive(welcome());
    expect(FakePeerConnection.instances).toHaveLength(1);
    expect(session.getSnapshot().room.mediaMode).toBe("p2p");

    ws.receive({ type: "sfu", sfu: sfuGrant() });
    expect(FakePeerConnection.instances[0].closed).toBe(true);
    expect(session.getSnapshot().room.mediaMode).toBe("sfu");
    await joinJanus(janus);
    expect(janus.latest().options.server).toBe("ws://10.203.0.1:8188/");
    // Late signals from the mesh make no peer connection.
    ws.receive({ type: "signal", from: "bo", data: offer });
    await settle();
    expect(FakePeerConnection.instances).toHaveLength(1);
    session.stop();
  });

  it("stays connected to Janus on a welcome on the same socket, and enters again after a welcome on a new one", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { session, ws, janus } = await startSfuSession();
    ws.receive(sfuWelcome(sfuGrant()));
    const first = await joinJanus(janus);

    // Made co-host: a fresh welcome on the same socket (the server kicked nothing).
    ws.receive({ ...sfuWelcome(sfuGrant({ token: "another" })), role: "cohost" });
    await vi.advanceTimersByTimeAsync(10);
    expect(janus.connections).toHaveLength(1);
    expect(first.destroyed).toBe(false);

    // The socket reconnects: the server kicked our feeds before this welcome.
    ws.drop(1006);
    await vi.advanceTimersByTimeAsync(500);
    const again = FakeWebSocket.latest();
    expect(again).not.toBe(ws);
    again.open();
    again.receive(sfuWelcome(sfuGrant()));
    await vi.waitFor(() => expect(janus.connections).toHaveLength(2));
    expect(first.destroyed).toBe(true);
    session.stop();
  });

  it("asks for one grant at a time, and takes every answer to its refreshes as a reason to connect again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { session, ws, janus } = await startSfuSession();
    ws.receive(sfuWelcome(sfuGrant()));
    await joinJanus(janus);

    janus.latest().lose();
    await vi.advanceTimersByTimeAsync(0);
    expect(refreshes(ws)).toHaveLength(1);
    // The SFU asks again after 1 s and 3 s: the first request is still on its way.
    await vi.advanceTimersByTimeAsync(3000);
    expect(refreshes(ws)).toHaveLength(1);
    // Unanswered for more than 5 s: once more.
    await vi.advanceTimersByTimeAsync(4000);
    expect(refreshes(ws)).toHaveLength(2);

    ws.receive({ type: "sfu", sfu: sfuGrant() });
    await vi.waitFor(() => expect(janus.connections).toHaveLength(2));
    const second = await joinJanus(janus, 2);
    // The second answer: the server kicked the feeds we have just made. Enter again.
    ws.receive({ type: "sfu", sfu: sfuGrant() });
    await vi.waitFor(() => expect(janus.connections).toHaveLength(3));
    expect(second.destroyed).toBe(true);
    await joinJanus(janus, 3);

    // A notice nobody asked for, for the room we are in: nothing to do.
    ws.receive({ type: "sfu", sfu: sfuGrant() });
    await vi.advanceTimersByTimeAsync(10);
    expect(janus.connections).toHaveLength(3);
    expect(janus.latest().destroyed).toBe(false);
    session.stop();
  });

  it("counts sfu_unavailable as the answer to a refresh, so the next one goes without waiting", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { session, ws } = await startSfuSession();
    ws.receive(sfuWelcome(null));
    await vi.advanceTimersByTimeAsync(0);
    expect(refreshes(ws)).toHaveLength(1);
    ws.receive({ type: "error", code: "sfu_unavailable", message: "No media server is available." });
    await vi.advanceTimersByTimeAsync(1000);
    expect(refreshes(ws)).toHaveLength(2);
    session.stop();
  });

  it("takes a refusal that answers a refresh (rate_limited) for the refresh, not for a chat sent after it", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { session, ws } = await startSfuSession();
    ws.receive(sfuWelcome(null));
    await vi.advanceTimersByTimeAsync(0);
    expect(refreshes(ws)).toHaveLength(1);
    session.sendChat("hello", null);
    ws.receive({ type: "error", code: "rate_limited", message: "Too many requests; try again later." });
    expect(session.getSnapshot().room.pendingChat.map((m) => m.failed)).toEqual([false]);
    expect(session.getSnapshot().room.banners).toEqual([]);
    // The chat's own refusal is the next one.
    ws.receive({ type: "error", code: "rate_limited", message: "Slow down." });
    expect(session.getSnapshot().room.pendingChat.map((m) => m.failed)).toEqual([true]);
    session.stop();
  });

  it("connects to Janus with the TURN servers of the latest grant, or the join's when the grant has none", async () => {
    const old = { urls: ["turn:10.203.0.1:3478"], username: "old", credential: "old" };
    const fresh = { urls: ["turn:10.203.0.1:3478"], username: "fresh", credential: "fresh" };
    const { session, ws, janus } = await startSfuSession({ ice_servers: [old] });
    ws.receive(sfuWelcome(sfuGrant({ ice_servers: [fresh] })));
    await joinJanus(janus);
    expect(janus.latest().options.rtcConfig).toEqual({ iceServers: [fresh], iceTransportPolicy: "relay" });

    ws.receive({ type: "sfu", sfu: sfuGrant({ server_url: "ws://10.203.0.1:8189/" }) });
    await vi.waitFor(() => expect(janus.connections).toHaveLength(2));
    expect(janus.latest().options.rtcConfig).toEqual({ iceServers: [old], iceTransportPolicy: "relay" });
    session.stop();
  });
});

describe("RoomSession tab visibility", () => {
  const setHidden = (hidden: boolean) => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event("visibilitychange"));
  };
  const tabs = (ws: FakeWebSocket) => ws.sent.filter((m) => m.type === "tab");

  it("tells the server whether the room's tab is in the background, on welcome and on each change, until it stops", async () => {
    const { session, ws } = await startSession();
    ws.receive(welcome());
    setHidden(true);
    setHidden(false);
    expect(tabs(ws)).toEqual([
      { type: "tab", hidden: false },
      { type: "tab", hidden: true },
      { type: "tab", hidden: false },
    ]);
    session.stop();
    setHidden(true);
    expect(tabs(ws)).toHaveLength(3);
    setHidden(false);
  });
});
