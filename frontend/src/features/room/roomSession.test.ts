import { describe, expect, it, vi } from "vitest";
import { RoomSession } from "./roomSession";
import { FakePeerConnection, FakeWebSocket, fakeStream, fakeTrack, installFakeBrowserMedia } from "../../test/mediaFakes";
import { participant, roomJoin } from "./testing/fixtures";
import type { ChatMessage, Participant, Welcome } from "./types";

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
    ...overrides,
  };
}

function echo(id: string, clientId: string, text: string, seq: number) {
  const message: ChatMessage = {
    id,
    sender_participant_id: "me",
    sender_name: "Ada",
    text,
    to_participant_id: null,
    created_at: "2026-01-01T10:00:00Z",
    client_id: clientId,
  };
  return { type: "chat.message", seq, message } as const;
}

const offer = { description: { type: "offer", sdp: "their offer" } } as const;

async function startSession() {
  const onExit = vi.fn();
  const session = new RoomSession({
    join: roomJoin(),
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
