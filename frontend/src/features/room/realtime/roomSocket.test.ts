import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../../../test/mediaFakes";
import type { BroadcastEvent, ServerMessage, Welcome } from "../types";
import { welcomeExtras } from "../testing/fixtures";
import { RoomSocket, type RoomSocketOptions, type SocketEnd, type SocketStatus } from "./roomSocket";

const latest = () => FakeWebSocket.latest();

function welcome(seq: number, reconnectTicket: string, status: Welcome["status"] = "joined"): Welcome {
  return {
    type: "welcome",
    participant_id: "p1",
    role: "participant",
    status,
    seq,
    reconnect_ticket: reconnectTicket,
    meeting: { code: "abcd-efgh-jkmn", title: "Standup", is_locked: false, host_participant_id: "p0" },
    roster: [],
    chat: [],
    ...welcomeExtras(),
  };
}

function reaction(seq: number): BroadcastEvent {
  return { type: "reaction", seq, participant_id: "p2", emoji: "👍" };
}

function setup(overrides: Partial<RoomSocketOptions> = {}) {
  const delivered: { message: ServerMessage; catchUp: boolean }[] = [];
  const statuses: SocketStatus[] = [];
  const ends: SocketEnd[] = [];
  const rejoin = vi.fn(async () => ({ ticket: "fresh-ticket", ws_path: "/ws/meetings/abcd-efgh-jkmn/" }));
  const socket = new RoomSocket({
    wsPath: "/ws/meetings/abcd-efgh-jkmn/",
    ticket: "first ticket",
    rejoin,
    onMessage: (message, meta) => delivered.push({ message, catchUp: meta.catchUp }),
    onStatus: (status) => statuses.push(status),
    onEnd: (end) => ends.push(end),
    createWebSocket: (url) => new FakeWebSocket(url) as unknown as WebSocket,
    ...overrides,
  });
  socket.connect();
  const seqs = () => delivered.flatMap(({ message }) => ("seq" in message && message.type !== "welcome" ? [message.seq] : []));
  return { socket, delivered, statuses, ends, rejoin, seqs };
}

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("RoomSocket", () => {
  it("connects to the page's host with the ticket and reports open on welcome", () => {
    const { statuses } = setup();
    expect(latest().url).toBe(`ws://${location.host}/ws/meetings/abcd-efgh-jkmn/?ticket=first%20ticket`);
    latest().open();
    latest().receive(welcome(5, "r1"));
    expect(statuses).toEqual(["open"]);
  });

  it("applies broadcast events once, in seq order", () => {
    const { seqs } = setup();
    latest().open();
    latest().receive(welcome(5, "r1"));
    for (const seq of [6, 6, 5, 7]) latest().receive(reaction(seq));
    expect(seqs()).toEqual([6, 7]);
    expect(latest().sent).toEqual([]);
  });

  it("asks for a replay on a gap, holds later events, and applies everything in order", () => {
    const { seqs } = setup();
    const ws = latest();
    ws.open();
    ws.receive(welcome(5, "r1"));
    ws.receive(reaction(8));
    ws.receive(reaction(9));
    expect(ws.sent).toEqual([{ type: "resume", since: 5 }]);
    expect(seqs()).toEqual([]);

    ws.receive({ type: "replay", events: [reaction(6), reaction(7), reaction(8)] });
    expect(seqs()).toEqual([6, 7, 8, 9]);
    ws.receive(reaction(10));
    expect(seqs()).toEqual([6, 7, 8, 9, 10]);
  });

  it("delivers direct events (no seq) at once", () => {
    const { delivered } = setup();
    latest().open();
    latest().receive(welcome(5, "r1"));
    latest().receive({ type: "muted_by_host" });
    expect(delivered.map(({ message }) => message.type)).toEqual(["welcome", "muted_by_host"]);
  });

  it("reconnects with backoff and the rotated ticket, then resumes from the last event it applied", () => {
    const { statuses, seqs, delivered } = setup();
    latest().open();
    latest().receive(welcome(5, "reconnect one"));
    latest().receive(reaction(6));
    latest().drop(1006);
    expect(statuses).toEqual(["open", "reconnecting"]);

    vi.advanceTimersByTime(499);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    const second = latest();
    expect(second.url).toContain("?ticket=reconnect%20one");

    second.open();
    second.receive(welcome(8, "reconnect two"));
    expect(second.sent).toEqual([{ type: "resume", since: 6 }]);
    second.receive(reaction(9));
    second.receive({ type: "replay", events: [reaction(7), reaction(8), reaction(9)] });
    expect(seqs()).toEqual([6, 7, 8, 9]);
    // Replayed events the new snapshot already holds are marked, so one-off effects can skip them.
    expect(delivered.filter(({ catchUp }) => catchUp).map(({ message }) => ("seq" in message ? message.seq : null))).toEqual([7, 8]);
    expect(statuses.at(-1)).toBe("open");
  });

  it("backs off longer after each failed attempt, up to 5 s", () => {
    setup({ rejoin: vi.fn(async () => new Promise<never>(() => undefined)) });
    latest().open();
    latest().receive(welcome(1, "r1"));
    const waits: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = FakeWebSocket.instances.length;
      latest().open();
      latest().drop(1011);
      let waited = 0;
      while (FakeWebSocket.instances.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 5000]);
  });

  it("gets a fresh ticket through rejoin() once when the reconnect ticket is refused (4401)", async () => {
    const { rejoin, ends } = setup();
    latest().open();
    latest().receive(welcome(5, "r1"));
    latest().drop(1006);
    vi.advanceTimersByTime(500);
    latest().drop(4401);
    expect(rejoin).toHaveBeenCalledTimes(1);
    await vi.runAllTimersAsync();
    expect(latest().url).toContain("?ticket=fresh-ticket");

    latest().drop(4401);
    await vi.runAllTimersAsync();
    expect(rejoin).toHaveBeenCalledTimes(1);
    expect(ends).toEqual(["lost"]);
  });

  it("keeps its seat through a long network outage: retries with the same ticket, never rejoins", async () => {
    const { rejoin } = setup();
    latest().open();
    latest().receive(welcome(5, "kept"));
    for (let attempt = 0; attempt < 10; attempt++) {
      latest().drop(1006);
      await vi.advanceTimersByTimeAsync(5000);
    }
    expect(rejoin).not.toHaveBeenCalled();
    expect(latest().url).toContain("?ticket=kept");
  });

  it("stops without rejoining when another tab takes the seat (4409)", async () => {
    const { rejoin, ends } = setup();
    latest().open();
    latest().receive(welcome(5, "r1"));
    latest().drop(4409);
    await vi.runAllTimersAsync();
    expect(rejoin).not.toHaveBeenCalled();
    expect(ends).toEqual(["lost"]);
  });

  it.each([
    [4403, "removed"],
    [4410, "ended"],
  ] as const)("stops for good on %i", (code, end) => {
    const { ends, statuses } = setup();
    latest().open();
    latest().receive(welcome(5, "r1"));
    latest().drop(code);
    vi.advanceTimersByTime(10_000);
    expect(ends).toEqual([end]);
    expect(statuses.at(-1)).toBe("closed");
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("says leave and closes normally when the user leaves, without reconnecting", () => {
    const { socket, ends } = setup();
    const ws = latest();
    ws.open();
    ws.receive(welcome(5, "r1"));
    socket.leave();
    expect(ws.sent).toEqual([{ type: "leave" }]);
    expect(ws.closedWith).toBe(1000);
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(ends).toEqual([]);
  });

  it("reconnects to get the joined welcome if admitted brings none", () => {
    const { delivered } = setup({ admittedWelcomeTimeoutMs: 1000 });
    latest().open();
    latest().receive(welcome(0, "lobby ticket", "waiting"));
    latest().receive({ type: "admitted" });
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.instances[0].closedWith).toBe(1000);
    expect(latest().url).toContain("?ticket=lobby%20ticket");

    latest().open();
    latest().receive(welcome(12, "r2"));
    latest().receive(reaction(13));
    // First joined welcome: nothing to resume, the snapshot is the starting point.
    expect(latest().sent).toEqual([]);
    expect(delivered.map(({ message }) => message.type)).toEqual(["welcome", "admitted", "welcome", "reaction"]);
  });

  it("gives up (lost) after five attempts that never get a welcome", () => {
    const { ends, statuses } = setup();
    latest().drop(1006);
    expect(statuses).toEqual(["reconnecting"]);
    for (const delay of [500, 1000, 2000, 4000]) {
      vi.advanceTimersByTime(delay);
      latest().drop(1006);
    }
    expect(FakeWebSocket.instances).toHaveLength(5);
    expect(ends).toEqual(["lost"]);
    expect(statuses.at(-1)).toBe("closed");
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(5);
  });

  it("counts an attempt that stalls without a welcome as failed", () => {
    const { ends } = setup({ firstWelcomeTimeoutMs: 3000, maxAttemptsWithoutWelcome: 2 });
    const first = latest();
    first.open();
    vi.advanceTimersByTime(3000);
    expect(first.closedWith).toBe(1000);
    vi.advanceTimersByTime(500);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(3000);
    expect(ends).toEqual(["lost"]);
  });

  it("keeps trying for ever once it has been let in (the seat is kept)", () => {
    const { ends } = setup();
    latest().open();
    latest().receive(welcome(0, "lobby", "waiting"));
    for (let attempt = 0; attempt < 8; attempt++) {
      latest().drop(1006);
      vi.advanceTimersByTime(5000);
    }
    expect(ends).toEqual([]);
    expect(FakeWebSocket.instances).toHaveLength(9);
  });

  it("numbers its connections", () => {
    const { socket } = setup();
    expect(socket.connection).toBe(1);
    latest().open();
    latest().receive(welcome(1, "r1"));
    latest().drop(1006);
    vi.advanceTimersByTime(500);
    expect(socket.connection).toBe(2);
  });

  it("waits for nothing more when the joined welcome follows admitted on the same socket", () => {
    setup({ admittedWelcomeTimeoutMs: 1000 });
    latest().open();
    latest().receive(welcome(0, "lobby ticket", "waiting"));
    latest().receive({ type: "admitted" });
    latest().receive(welcome(12, "r2"));
    vi.advanceTimersByTime(5000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});
