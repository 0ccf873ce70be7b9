import type { BroadcastEvent, ClientMessage, ServerMessage } from "../types";

export type SocketStatus = "connecting" | "open" | "reconnecting" | "closed";

/** Why the socket stopped for good: 4403, 4410, or it could not get back in. */
export type SocketEnd = "removed" | "ended" | "lost";

export interface DeliveryMeta {
  /** A replayed event that the latest welcome's snapshot already contains. */
  catchUp: boolean;
}

export interface RoomSocketOptions {
  wsPath: string;
  ticket: string;
  /** A fresh join (and ticket) through REST when the server refuses our ticket. */
  rejoin: () => Promise<{ ticket: string; ws_path: string }>;
  onMessage: (message: ServerMessage, meta: DeliveryMeta) => void;
  onStatus: (status: SocketStatus) => void;
  onEnd: (end: SocketEnd) => void;
  createWebSocket?: (url: string) => WebSocket;
  retryDelaysMs?: readonly number[];
  /** How long to wait for the joined `welcome` after `admitted` before reconnecting to get it. */
  admittedWelcomeTimeoutMs?: number;
  /** Until the first `welcome`: how long one attempt may take before it counts as failed. */
  firstWelcomeTimeoutMs?: number;
  /** Until the first `welcome`: how many failed attempts end the socket ("lost"). */
  maxAttemptsWithoutWelcome?: number;
}

const CLOSE_NORMAL = 1000;
const CLOSE_BAD_TICKET = 4401;
const CLOSE_REMOVED = 4403;
/** This session was taken over by another tab or device of the same person. */
const CLOSE_REPLACED = 4409;
const CLOSE_ENDED = 4410;
const DEFAULT_RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 5000];
const DEFAULT_FIRST_WELCOME_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_ATTEMPTS_WITHOUT_WELCOME = 5;

function isBroadcast(message: ServerMessage): message is BroadcastEvent {
  return message.type !== "welcome" && "seq" in message && typeof message.seq === "number";
}

function roomSocketUrl(wsPath: string, ticket: string): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}${wsPath}?ticket=${encodeURIComponent(ticket)}`;
}

/**
 * The meeting's one WebSocket: delivers server messages in `seq` order exactly once, fills gaps
 * with `resume`, and reconnects (rotating tickets) until the server says the meeting is over for us.
 */
export class RoomSocket {
  private readonly options: RoomSocketOptions;
  private socket: WebSocket | null = null;
  private ticket: string;
  private wsPath: string;
  private status: SocketStatus = "connecting";
  /** The last broadcast event applied; null until the first joined welcome. */
  private lastSeq: number | null = null;
  private snapshotSeq = 0;
  private readonly buffer = new Map<number, BroadcastEvent>();
  private awaitingReplay = false;
  private retries = 0;
  private rejoinUsed = false;
  private stopped = false;
  /** Whether any `welcome` has arrived: before the first, the room gives up after a few attempts. */
  private welcomed = false;
  private connections = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private admittedTimer: ReturnType<typeof setTimeout> | undefined;
  private welcomeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: RoomSocketOptions) {
    this.options = options;
    this.ticket = options.ticket;
    this.wsPath = options.wsPath;
  }

  /** Counts the WebSockets opened: a reply arrives on the one its request went out on, or never. */
  get connection(): number {
    return this.connections;
  }

  connect(): void {
    this.stopped = false;
    this.open();
  }

  /** Sends when the socket is open; returns whether it did. */
  send(message: ClientMessage): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  leave(): void {
    this.send({ type: "leave" });
    this.dispose();
  }

  /** Closes without telling the server we left (it keeps our seat for the grace period). */
  dispose(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.admittedTimer);
    clearTimeout(this.welcomeTimer);
    this.detach()?.close(CLOSE_NORMAL);
    this.setStatus("closed");
  }

  private open(): void {
    const socket = (this.options.createWebSocket ?? ((url) => new WebSocket(url)))(roomSocketUrl(this.wsPath, this.ticket));
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === "string") this.receive(JSON.parse(event.data) as ServerMessage);
    };
    socket.onclose = (event: CloseEvent) => {
      this.socket = null;
      this.handleClose(event.code);
    };
    this.socket = socket;
    this.connections += 1;
    if (!this.welcomed) this.expectFirstWelcome();
  }

  /** An attempt that neither welcomes us nor closes (a stalled connection) counts as failed. */
  private expectFirstWelcome(): void {
    clearTimeout(this.welcomeTimer);
    this.welcomeTimer = setTimeout(() => {
      if (this.stopped || this.welcomed) return;
      this.detach()?.close(CLOSE_NORMAL);
      this.handleClose(1006);
    }, this.options.firstWelcomeTimeoutMs ?? DEFAULT_FIRST_WELCOME_TIMEOUT_MS);
  }

  private detach(): WebSocket | null {
    const socket = this.socket;
    if (socket) socket.onopen = socket.onmessage = socket.onclose = null;
    this.socket = null;
    return socket;
  }

  private setStatus(status: SocketStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }

  private receive(message: ServerMessage): void {
    if (this.stopped) return;
    if (message.type === "welcome") {
      this.ticket = message.reconnect_ticket;
      this.welcomed = true;
      clearTimeout(this.welcomeTimer);
      this.retries = 0;
      this.rejoinUsed = false;
      this.setStatus("open");
      if (message.status === "joined") clearTimeout(this.admittedTimer);
      const reconnected = message.status === "joined" && this.lastSeq !== null;
      if (message.status === "joined" && this.lastSeq === null) this.lastSeq = message.seq;
      this.snapshotSeq = message.seq;
      this.deliver(message);
      // The snapshot may not hold everything we missed (chat is capped): ask for the events too.
      if (reconnected) {
        this.awaitingReplay = false;
        this.requestReplay();
      }
    } else if (message.type === "replay") {
      this.awaitingReplay = false;
      for (const event of message.events) this.sequenced(event, false);
      this.drain();
      this.skipUnfillableGap();
    } else if (isBroadcast(message)) {
      this.sequenced(message, true);
    } else {
      if (message.type === "admitted") this.expectJoinedWelcome();
      this.deliver(message);
    }
  }

  private sequenced(event: BroadcastEvent, mayRequestReplay: boolean): void {
    if (this.lastSeq === null) return this.deliver(event);
    if (event.seq <= this.lastSeq) return;
    if (event.seq === this.lastSeq + 1) {
      this.lastSeq = event.seq;
      this.deliver(event);
      this.drain();
      return;
    }
    this.buffer.set(event.seq, event);
    if (mayRequestReplay) this.requestReplay();
  }

  private requestReplay(): void {
    if (this.awaitingReplay || this.lastSeq === null) return;
    this.awaitingReplay = this.send({ type: "resume", since: this.lastSeq });
  }

  private drain(): void {
    if (this.lastSeq === null) return;
    for (const seq of [...this.buffer.keys()]) if (seq <= this.lastSeq) this.buffer.delete(seq);
    let next = this.buffer.get(this.lastSeq + 1);
    while (next) {
      this.buffer.delete(next.seq);
      this.lastSeq = next.seq;
      this.deliver(next);
      next = this.buffer.get(this.lastSeq + 1);
    }
  }

  /** The replay could not fill the gap (the server no longer has those events): move past it. */
  private skipUnfillableGap(): void {
    if (this.buffer.size === 0) return;
    this.lastSeq = Math.min(...this.buffer.keys()) - 1;
    this.drain();
  }

  private deliver(message: ServerMessage): void {
    this.options.onMessage(message, { catchUp: isBroadcast(message) && message.seq <= this.snapshotSeq });
  }

  private expectJoinedWelcome(): void {
    const timeout = this.options.admittedWelcomeTimeoutMs ?? 2000;
    clearTimeout(this.admittedTimer);
    // A fresh connection with the reconnect ticket always starts with a joined welcome.
    this.admittedTimer = setTimeout(() => {
      if (this.stopped) return;
      this.detach()?.close(CLOSE_NORMAL);
      this.open();
    }, timeout);
  }

  private handleClose(code: number): void {
    clearTimeout(this.admittedTimer);
    clearTimeout(this.welcomeTimer);
    if (this.stopped) return;
    if (code === CLOSE_REMOVED) return this.end("removed");
    if (code === CLOSE_ENDED) return this.end("ended");
    if (code === CLOSE_NORMAL || code === CLOSE_REPLACED) return this.end("lost");
    // The server accepts, then closes with 4401 when the ticket is no good (the seat was given up
    // after its grace period). Anything else is the network: keep retrying with the same ticket,
    // which stays valid far longer than the seat is kept.
    if (code === CLOSE_BAD_TICKET) {
      if (this.rejoinUsed) return this.end("lost");
      return this.rejoinWithFreshTicket();
    }
    this.scheduleRetry();
  }

  private rejoinWithFreshTicket(): void {
    this.rejoinUsed = true;
    this.setStatus("reconnecting");
    this.options.rejoin().then(
      (join) => {
        if (this.stopped) return;
        this.ticket = join.ticket;
        this.wsPath = join.ws_path;
        this.open();
      },
      () => {
        if (!this.stopped) this.end("lost");
      },
    );
  }

  private scheduleRetry(): void {
    // Never let in at all (the server unreachable from the start): stop after a few attempts, so
    // the room can say so and offer to try again, instead of spinning for ever.
    const maxAttempts = this.options.maxAttemptsWithoutWelcome ?? DEFAULT_MAX_ATTEMPTS_WITHOUT_WELCOME;
    if (!this.welcomed && this.retries + 1 >= maxAttempts) return this.end("lost");
    this.setStatus("reconnecting");
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const delay = delays[Math.min(this.retries, delays.length - 1)];
    this.retries += 1;
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private end(end: SocketEnd): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.welcomeTimer);
    this.setStatus("closed");
    this.options.onEnd(end);
  }
}
