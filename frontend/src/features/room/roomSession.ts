import { LocalMedia, MediaUnavailableError } from "./media/localMedia";
import { PeerMesh } from "./media/peerMesh";
import { RoomSocket, type DeliveryMeta, type SocketEnd, type SocketStatus } from "./realtime/roomSocket";
import { initialRoomState, roomReducer, type LocalAction, type PendingChat, type RoomAction, type RoomState } from "./roomState";
import type { ClientMessage, ExitReason, IceServer, Reaction, RoomJoin, ServerMessage, SignalData } from "./types";

/** Whether the microphone and camera were on: what a rejoin starts with. */
export interface MediaState {
  audioOn: boolean;
  videoOn: boolean;
}

export interface RoomSessionOptions {
  join: RoomJoin;
  localStream: MediaStream;
  initialAudioOn: boolean;
  initialVideoOn: boolean;
  rejoin: () => Promise<RoomJoin>;
  /** The room is over for us; `media` is how we last had the microphone and camera. */
  onExit: (reason: ExitReason, media: MediaState) => void;
}

export interface RoomSnapshot {
  room: RoomState;
  connection: SocketStatus;
  audioOn: boolean;
  videoOn: boolean;
  /** Our own camera for the self view; null while we have no camera track. */
  cameraPreview: MediaStream | null;
  screenStream: MediaStream | null;
  remote: ReadonlyMap<string, readonly MediaStream[]>;
}

function rtcIceServers(servers: IceServer[]): RTCIceServer[] {
  return servers.map(({ urls, username, credential }) => ({
    urls,
    ...(username ? { username } : {}),
    ...(credential ? { credential } : {}),
  }));
}

/** A random UUID; randomUUID exists only on https pages, getRandomValues everywhere. */
function newClientId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Error codes the server answers a refused `chat` (or `reaction`) with. */
const MESSAGE_REFUSALS = new Set(["rate_limited", "invalid_input"]);
/** Signals kept while there is no mesh yet (between `admitted` and the joined `welcome`). */
const MAX_EARLY_SIGNALS = 500;

/** A chat (its client_id) or a reaction (null) sent on socket `connection`, not answered yet. */
interface Unanswered {
  clientId: string | null;
  to: string | null;
  connection: number;
}

function previewOf(track: MediaStreamTrack | null): MediaStream | null {
  return track ? new MediaStream([track]) : null;
}

/**
 * One stay in the meeting: the socket, the room state, our media and the peer connections,
 * kept together outside React and exposed as an external store.
 */
export class RoomSession {
  private readonly options: RoomSessionOptions;
  private join: RoomJoin;
  private readonly media: LocalMedia;
  private socket: RoomSocket | null = null;
  private mesh: PeerMesh | null = null;
  private starts = 0;
  /** Signals that came before the mesh, replayed once it exists. */
  private earlySignals: { from: string; data: SignalData }[] = [];
  /** Chats and reactions in the order sent: the server answers a socket's messages in order. */
  private unanswered: Unanswered[] = [];
  private readonly listeners = new Set<() => void>();
  private snapshot: RoomSnapshot;

  constructor(options: RoomSessionOptions) {
    this.options = options;
    this.join = options.join;
    this.media = new LocalMedia(options.localStream, options.initialAudioOn, options.initialVideoOn);
    this.snapshot = {
      room: initialRoomState(options.join),
      connection: "connecting",
      audioOn: this.media.isOn("audio"),
      videoOn: this.media.isOn("video"),
      cameraPreview: previewOf(this.media.track("video")),
      screenStream: null,
      remote: new Map(),
    };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): RoomSnapshot => this.snapshot;

  start(): void {
    this.media.applyEnabled();
    window.addEventListener("pagehide", this.onPageHide);
    // After the current task (a microtask, not a timer, so joining waits for nothing): React's
    // development double mount runs start, stop, start in one go and only the last one connects,
    // so the one-time ticket is spent once.
    const run = ++this.starts;
    queueMicrotask(() => {
      if (run === this.starts) this.connect();
    });
  }

  /** The room unmounts (the user navigated away): leave properly unless we are out already. */
  stop(): void {
    this.starts++;
    if (!this.snapshot.room.exit) this.socket?.leave();
    this.teardown();
  }

  /** Closing the tab or leaving the page: tell the server now rather than after the grace period. */
  private readonly onPageHide = (): void => {
    if (this.socket && !this.snapshot.room.exit) this.leave();
  };

  send(message: ClientMessage): boolean {
    return this.socket?.send(message) ?? false;
  }

  sendChat(text: string, to: string | null): void {
    const clientId = newClientId();
    if (this.sendChatMessage({ client_id: clientId, text, to_participant_id: to })) {
      this.dispatch({ type: "local.chat_sent", message: { client_id: clientId, text, to_participant_id: to, failed: false } });
    } else {
      this.dispatch({ type: "local.error", text: "Not connected: the message was not sent" });
    }
  }

  /** Sends a message the server refused once more (same client_id: it was not stored). */
  retryChat(clientId: string): void {
    const pending = this.snapshot.room.pendingChat.find((message) => message.client_id === clientId);
    if (!pending?.failed) return;
    if (this.sendChatMessage(pending)) this.dispatch({ type: "local.chat_retried", client_id: clientId });
    else this.dispatch({ type: "local.error", text: "Not connected: the message was not sent" });
  }

  discardChat(clientId: string): void {
    this.dispatch({ type: "local.chat_discarded", client_id: clientId });
  }

  react(emoji: Reaction): void {
    if (this.send({ type: "reaction", emoji })) this.expectAnswer(null, null);
  }

  setHandRaised(raised: boolean): void {
    this.send({ type: "hand", raised });
  }

  async setAudio(on: boolean): Promise<void> {
    await this.setDevice("audio", on);
  }

  async setVideo(on: boolean): Promise<void> {
    await this.setDevice("video", on);
  }

  async startScreen(): Promise<void> {
    const stream = await this.media.startScreen(() => this.stopScreen());
    const track = stream?.getVideoTracks()[0];
    // Null too when a request was under way already or the room closed meanwhile (media stops those).
    if (!stream || !track) return;
    this.mesh?.startScreen(track, stream);
    this.update({ screenStream: stream });
    this.sendState();
  }

  stopScreen(): void {
    if (!this.media.screenStream()) return;
    this.mesh?.stopScreen();
    this.media.stopScreen();
    this.update({ screenStream: null });
    this.sendState();
  }

  leave(): void {
    if (!this.snapshot.room.exit) this.socket?.leave();
    this.dispatch({ type: "local.exit", reason: "left" });
  }

  dispatch(action: LocalAction): void {
    this.apply(action);
  }

  audioLevels(): Promise<Map<string, number>> {
    return this.mesh?.audioLevels() ?? Promise.resolve(new Map());
  }

  private connect(): void {
    this.socket = new RoomSocket({
      wsPath: this.join.ws_path,
      ticket: this.join.ticket,
      rejoin: async () => {
        this.join = await this.options.rejoin();
        return this.join;
      },
      onMessage: (message, meta) => this.receive(message, meta),
      onStatus: (connection) => this.update({ connection }),
      onEnd: (end) => this.socketEnded(end),
    });
    this.socket.connect();
  }

  private receive(message: ServerMessage, { catchUp }: DeliveryMeta): void {
    if (message.type === "signal") {
      if (this.mesh) void this.mesh.handleSignal(message.from, message.data);
      else if (this.earlySignals.length < MAX_EARLY_SIGNALS) this.earlySignals.push({ from: message.from, data: message.data });
      return;
    }
    this.noteAnswer(message, catchUp);
    // A reaction from before we reconnected is old news.
    if (message.type === "reaction" && catchUp) return;
    this.apply(message);
    if (message.type === "welcome") this.welcomed(message.status === "joined");
    if (message.type === "participant.left") this.mesh?.removePeer(message.participant_id);
    if (message.type === "muted_by_host") void this.setAudio(false);
    if (message.type === "video_stopped_by_host") void this.setVideo(false);
  }

  private welcomed(joined: boolean): void {
    const { room } = this.snapshot;
    if (room.exit) return;
    if (!joined) {
      this.earlySignals = [];
      return this.closeMesh();
    }
    // A rejoin through REST may have made us a new participant: start the mesh over.
    if (this.mesh?.selfId !== room.me.id) {
      this.closeMesh();
      this.mesh = this.createMesh(room.me.id);
    }
    const mesh = this.mesh;
    if (!mesh) return;
    mesh.keepOnly(room.roster.map((p) => p.id));
    // Offers that came between `admitted` and this welcome.
    const early = this.earlySignals;
    this.earlySignals = [];
    for (const { from, data } of early) void mesh.handleSignal(from, data);
    this.connectPeers();
    this.sendState();
    this.resendPendingChat();
  }

  private createMesh(selfId: string): PeerMesh {
    const mesh = new PeerMesh({
      selfId,
      iceServers: rtcIceServers(this.join.ice_servers),
      cameraStream: this.media.cameraStream,
      sendSignal: (to, data) => this.send({ type: "signal", to, data }),
      onChange: () => this.update({ remote: mesh.remoteStreams() }),
    });
    mesh.setOutgoingTrack("audio", this.media.outgoing("audio"));
    mesh.setOutgoingTrack("video", this.media.outgoing("video"));
    const screen = this.media.screenStream();
    const screenTrack = screen?.getVideoTracks()[0];
    if (screen && screenTrack) mesh.startScreen(screenTrack, screen);
    return mesh;
  }

  /**
   * On a joined welcome we connect to everyone already there; those already there do not connect
   * to a newcomer on `participant.joined` but wait for its offer (handleSignal makes the peer), so
   * each pair gets one connection. Two who see each other in their welcomes both connect, and
   * perfect negotiation settles the collision.
   */
  private connectPeers(): void {
    if (!this.mesh) return;
    for (const participant of this.snapshot.room.roster) this.mesh.ensurePeer(participant.id);
  }

  private async setDevice(kind: "audio" | "video", on: boolean): Promise<void> {
    try {
      await this.media.set(kind, on);
    } catch (error) {
      if (!(error instanceof MediaUnavailableError)) throw error;
      this.dispatch({ type: "local.error", text: error.message });
    }
    // The room closed while the device was starting (media has stopped it already).
    if (this.snapshot.room.exit) return;
    this.mesh?.setOutgoingTrack(kind, this.media.outgoing(kind));
    this.update({
      audioOn: this.media.isOn("audio"),
      videoOn: this.media.isOn("video"),
      cameraPreview:
        this.snapshot.cameraPreview?.getVideoTracks()[0] === this.media.track("video")
          ? this.snapshot.cameraPreview
          : previewOf(this.media.track("video")),
    });
    this.sendState();
  }

  private sendState(): void {
    if (this.snapshot.room.phase !== "joined") return;
    const screenTrack = this.media.screenStream()?.getVideoTracks()[0];
    this.send({
      type: "state",
      audio_on: this.media.isOn("audio"),
      video_on: this.media.isOn("video"),
      screen_on: screenTrack !== undefined,
      ...(screenTrack ? { screen_track_id: screenTrack.id } : {}),
    });
  }

  private socketEnded(end: SocketEnd): void {
    const waiting = this.snapshot.room.phase === "waiting" || this.snapshot.room.phase === "connecting";
    const reason: ExitReason = end === "ended" ? "ended" : end === "removed" ? (waiting ? "denied" : "removed") : "disconnected";
    this.apply({ type: "local.exit", reason });
  }

  private apply(action: RoomAction): void {
    const before = this.snapshot.room;
    const room = roomReducer(before, action);
    if (room === before) return;
    this.update({ room });
    if (room.exit && !before.exit) {
      const media = { audioOn: this.media.isOn("audio"), videoOn: this.media.isOn("video") };
      this.teardown();
      this.options.onExit(room.exit, media);
    }
  }

  private sendChatMessage(message: Omit<PendingChat, "failed">): boolean {
    const { client_id, text, to_participant_id: to } = message;
    const sent = this.send({ type: "chat", text, client_id, ...(to ? { to } : {}) });
    if (sent) this.expectAnswer(client_id, to);
    return sent;
  }

  private expectAnswer(clientId: string | null, to: string | null): void {
    if (this.socket) this.unanswered.push({ clientId, to, connection: this.socket.connection });
  }

  /**
   * Matches the server's answers to the chats and reactions we sent (it handles a socket's
   * messages in order): an echo or a reaction of ours answers one, a refusal the oldest one.
   */
  private noteAnswer(message: ServerMessage, catchUp: boolean): void {
    // Requests sent on an earlier socket get no answer any more (pending chats are resent).
    const connection = this.socket?.connection;
    this.unanswered = this.unanswered.filter((entry) => entry.connection === connection);
    const me = this.snapshot.room.me.id;
    if (message.type === "chat.message" && message.message.sender_participant_id === me && message.message.client_id) {
      const index = this.unanswered.findIndex((entry) => entry.clientId === message.message.client_id);
      if (index >= 0) this.unanswered.splice(index, 1);
    } else if (message.type === "reaction" && !catchUp && message.participant_id === me) {
      const index = this.unanswered.findIndex((entry) => entry.clientId === null);
      if (index >= 0) this.unanswered.splice(index, 1);
    } else if (message.type === "error") {
      const oldest = this.unanswered[0];
      if (!oldest) return;
      // A private message to someone who has left is refused as not_found (so are signals to them).
      const recipientGone =
        message.code === "not_found" && oldest.to !== null && !this.snapshot.room.roster.some((p) => p.id === oldest.to);
      if (!MESSAGE_REFUSALS.has(message.code) && !recipientGone) return;
      this.unanswered.shift();
      if (oldest.clientId) this.dispatch({ type: "local.chat_failed", client_id: oldest.clientId });
    }
  }

  /** After a reconnect's welcome (which took the echoed ones off the list): send what is still pending. */
  private resendPendingChat(): void {
    const connection = this.socket?.connection;
    for (const message of this.snapshot.room.pendingChat) {
      if (message.failed) continue;
      const inFlight = this.unanswered.some((entry) => entry.clientId === message.client_id && entry.connection === connection);
      if (!inFlight) this.sendChatMessage(message);
    }
  }

  private closeMesh(): void {
    this.mesh?.close();
    this.mesh = null;
  }

  private teardown(): void {
    window.removeEventListener("pagehide", this.onPageHide);
    this.socket?.dispose();
    this.socket = null;
    this.earlySignals = [];
    this.unanswered = [];
    this.closeMesh();
    this.media.release();
  }

  private update(patch: Partial<RoomSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.listeners.forEach((listener) => listener());
  }
}
