import { LocalMedia, MediaUnavailableError } from "./media/localMedia";
import { PeerMesh } from "./media/peerMesh";
import type { RemoteMediaMap } from "./media/remoteMedia";
import { rtcConfigOf } from "./media/rtcConfig";
import type { ConnectJanus } from "./media/sfu/janusApi";
import { SfuMedia } from "./media/sfu/sfuMedia";
import { RoomSocket, type DeliveryMeta, type SocketEnd, type SocketStatus } from "./realtime/roomSocket";
import { roomOf } from "./breakoutState";
import { initialRoomState, roomReducer, type LocalAction, type PendingChat, type RoomAction, type RoomState } from "./roomState";
import type { ClientMessage, ExitReason, PollMessage, Reaction, RoomJoin, ServerMessage, SignalData, Welcome } from "./types";

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
  /** Opens Janus sessions in SFU mode (tests give a fake). */
  connectJanus?: ConnectJanus;
}

export interface RoomSnapshot {
  room: RoomState;
  connection: SocketStatus;
  audioOn: boolean;
  videoOn: boolean;
  /** Our own camera for the self view; null while we have no camera track. */
  cameraPreview: MediaStream | null;
  screenStream: MediaStream | null;
  remote: RemoteMediaMap;
  /** SFU mode: the connection to the media server dropped and is being made again. */
  mediaReconnecting: boolean;
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
/** An `sfu_refresh` unanswered this long may be sent again (its answer still counts when it comes). */
const REFRESH_TIMEOUT_MS = 5000;

/**
 * A chat (its client_id), a reaction (null) or an `sfu_refresh` (null) sent on socket
 * `connection` at `at`, not answered yet.
 */
interface Unanswered {
  kind: "chat" | "reaction" | "refresh";
  clientId: string | null;
  to: string | null;
  connection: number;
  at: number;
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
  private sfu: SfuMedia | null = null;
  private starts = 0;
  /** Signals that came before the mesh, replayed once it exists. */
  private earlySignals: { from: string; data: SignalData }[] = [];
  /**
   * Chats, reactions and sfu_refresh requests in the order sent: the server answers a socket's
   * messages in order. The server kicks our feeds from the SFU room before answering each refresh,
   * so every `sfu` answer means "connect again", even after we have.
   */
  private unanswered: Unanswered[] = [];
  /** The socket connection the last welcome came on: a welcome on a new one means our feeds were kicked. */
  private welcomedOn: number | null = null;
  /** The active speaker the room shows, for the SFU's choice of video quality. */
  private speaker: string | null = null;
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
      mediaReconnecting: false,
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
    document.addEventListener("visibilitychange", this.reportTab);
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

  /** Hosts whose room tab is in the background get a push when someone waits in the lobby. */
  private readonly reportTab = (): void => {
    this.send({ type: "tab", hidden: document.hidden });
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

  /** A poll action or a vote: answered by `poll.updated` / `poll.voted`, or an error banner. */
  sendPoll(message: PollMessage): void {
    if (!this.send(message)) this.dispatch({ type: "local.error", text: "Not connected: try again in a moment" });
  }

  react(emoji: Reaction): void {
    if (this.send({ type: "reaction", emoji })) this.expectAnswer("reaction", null, null);
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
    this.sfu?.startScreen(track);
    this.update({ screenStream: stream });
    this.sendState();
  }

  stopScreen(): void {
    if (!this.media.screenStream()) return;
    this.mesh?.stopScreen();
    this.sfu?.stopScreen();
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
    return (this.mesh ?? this.sfu)?.audioLevels() ?? Promise.resolve(new Map());
  }

  /** Who the room shows as speaking (SFU mode: their camera comes in high quality). */
  setActiveSpeaker(participantId: string | null): void {
    this.speaker = participantId;
    this.sfu?.setSpeaker(participantId);
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
      else if (!this.sfu && this.earlySignals.length < MAX_EARLY_SIGNALS) this.earlySignals.push({ from: message.from, data: message.data });
      return;
    }
    if (message.type === "sfu") return this.granted(message);
    if (message.type === "error" && this.refreshRefused(message.code)) return;
    this.noteAnswer(message, catchUp);
    // A reaction from before we reconnected is old news.
    if (message.type === "reaction" && catchUp) return;
    this.apply(message);
    if (message.type === "welcome") this.welcomed(message);
    if (message.type === "participant.left") {
      this.mesh?.removePeer(message.participant_id);
      this.sfu?.removeParticipant(message.participant_id);
    }
    // People went to other rooms: our connections with them end (ours end on our own welcome).
    if (message.type === "breakout.moves" && this.mesh) {
      const here = new Set(this.peersInMyRoom());
      for (const peerId of Object.keys(message.moves)) if (!here.has(peerId)) this.mesh.removePeer(peerId);
    }
    if (message.type === "muted_by_host") void this.setAudio(false);
    if (message.type === "video_stopped_by_host") void this.setVideo(false);
  }

  private welcomed(welcome: Welcome): void {
    const { room } = this.snapshot;
    if (room.exit) return;
    // A welcome on a new socket: the server kicked our feeds from the SFU room first, and
    // refreshes sent on the old socket get no answer. One on the same socket (admission, role
    // change) changes nothing there.
    const connection = this.socket?.connection ?? null;
    const newSocket = connection !== this.welcomedOn;
    this.welcomedOn = connection;
    if (welcome.status !== "joined") {
      this.earlySignals = [];
      return this.closeMedia();
    }
    if (welcome.sfu || welcome.meeting.media_mode === "sfu") this.enterSfu(welcome, newSocket);
    else this.enterMesh();
    this.sendState();
    this.reportTab();
    this.resendPendingChat();
  }

  /** SFU mode: a welcome's grant is a fresh one when it came on a new socket (our earlier feeds were kicked). */
  private enterSfu(welcome: Welcome, fresh: boolean): void {
    this.sfuMedia().useGrant(welcome.sfu ?? null, fresh);
  }

  /** The SFU media for who we are now (made, and the mesh closed, if needed). */
  private sfuMedia(): SfuMedia {
    this.closeMesh();
    this.earlySignals = [];
    const selfId = this.snapshot.room.me.id;
    if (this.sfu?.selfId !== selfId) {
      this.closeSfu();
      this.sfu = this.createSfu(selfId);
    }
    return this.sfu;
  }

  /**
   * An `sfu` message: the answer to our sfu_refresh (our feeds were kicked: connect again), a
   * failover notice, or the grant that moves a meeting we entered in P2P to the SFU (two first
   * participants raced: the other one placed it).
   */
  private granted(message: Extract<ServerMessage, { type: "sfu" }>): void {
    const answer = this.refreshAnswered();
    const { room } = this.snapshot;
    if (room.exit || room.phase !== "joined") return;
    this.apply(message);
    this.sfuMedia().useGrant(message.sfu, answer);
  }

  /** Our refreshes on this socket still to be answered, oldest first. */
  private pendingRefreshes(): Unanswered[] {
    const connection = this.socket?.connection;
    return this.unanswered.filter((entry) => entry.kind === "refresh" && entry.connection === connection);
  }

  /** Counts off one of our refreshes sent on this socket; returns whether there was one. */
  private refreshAnswered(): boolean {
    const [oldest] = this.pendingRefreshes();
    if (oldest) this.unanswered.splice(this.unanswered.indexOf(oldest), 1);
    return oldest !== undefined;
  }

  /**
   * An error that answers one of our refreshes: `sfu_unavailable` (no media node free now), or
   * another refusal (rate_limited, permission_denied) when a refresh is the oldest request still
   * unanswered. The SFU asks again by itself: nothing to show, and no chat was refused.
   */
  private refreshRefused(code: string): boolean {
    if (code === "sfu_unavailable") {
      this.refreshAnswered();
      this.sfu?.grantRefused();
      return true;
    }
    const connection = this.socket?.connection;
    const oldest = this.unanswered.find((entry) => entry.connection === connection);
    if (oldest?.kind !== "refresh") return false;
    this.refreshAnswered();
    return true;
  }

  /**
   * The SFU asks for a grant. Not while this socket's welcome (which brings one) is still to come,
   * nor while an earlier request is on its way (each makes the server kick our feeds again; and it
   * takes only so many a minute).
   */
  private requestGrant(): void {
    const connection = this.socket?.connection;
    if (connection === undefined || connection !== this.welcomedOn) return;
    const last = this.pendingRefreshes().at(-1);
    if (last && Date.now() - last.at < REFRESH_TIMEOUT_MS) return;
    if (this.send({ type: "sfu_refresh" })) this.expectAnswer("refresh", null, null);
  }

  private createSfu(selfId: string): SfuMedia {
    const sfu = new SfuMedia({
      selfId,
      display: this.snapshot.room.me.display_name,
      // Read at each Janus connection: a rejoin through REST brings fresh ICE servers.
      rtcConfig: () => rtcConfigOf(this.join),
      media: this.media,
      requestGrant: () => this.requestGrant(),
      onChange: () => this.update({ remote: sfu.remoteMedia(), mediaReconnecting: sfu.status === "reconnecting" }),
      connect: this.options.connectJanus,
    });
    const screen = this.media.screenStream()?.getVideoTracks()[0];
    if (screen) sfu.startScreen(screen);
    sfu.setSpeaker(this.speaker);
    return sfu;
  }

  private enterMesh(): void {
    this.closeSfu();
    const { room } = this.snapshot;
    // A rejoin through REST may have made us a new participant: start the mesh over.
    if (this.mesh?.selfId !== room.me.id) {
      this.closeMesh();
      this.mesh = this.createMesh(room.me.id);
    }
    const mesh = this.mesh;
    if (!mesh) return;
    mesh.keepOnly(this.peersInMyRoom());
    // Offers that came between `admitted` and this welcome.
    const early = this.earlySignals;
    this.earlySignals = [];
    for (const { from, data } of early) void mesh.handleSignal(from, data);
    this.connectPeers();
  }

  private createMesh(selfId: string): PeerMesh {
    const mesh = new PeerMesh({
      selfId,
      rtcConfig: rtcConfigOf(this.join),
      cameraStream: this.media.cameraStream,
      sendSignal: (to, data) => this.send({ type: "signal", to, data }),
      onChange: () => this.update({ remote: mesh.remoteMedia() }),
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
    for (const peerId of this.peersInMyRoom()) this.mesh.ensurePeer(peerId);
  }

  /** Who we exchange media with in P2P mode: those in the same room as us (breakout or main). */
  private peersInMyRoom(): string[] {
    const { roster, me } = this.snapshot.room;
    const here = roomOf(roster, me.id);
    return roster.filter((p) => p.id !== me.id && (p.breakout_room_id ?? null) === here).map((p) => p.id);
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
    (this.mesh ?? this.sfu)?.setOutgoingTrack(kind, this.media.outgoing(kind));
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
    if (sent) this.expectAnswer("chat", client_id, to);
    return sent;
  }

  private expectAnswer(kind: Unanswered["kind"], clientId: string | null, to: string | null): void {
    if (this.socket) this.unanswered.push({ kind, clientId, to, connection: this.socket.connection, at: Date.now() });
  }

  /**
   * Matches the server's answers to the chats and reactions we sent (it handles a socket's
   * messages in order): an echo or a reaction of ours answers one, a refusal the oldest one
   * (refreshes are matched before, in `granted` and `refreshRefused`).
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
      const index = this.unanswered.findIndex((entry) => entry.kind === "reaction");
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

  private closeSfu(): void {
    this.sfu?.close();
    this.sfu = null;
  }

  private closeMedia(): void {
    this.closeMesh();
    this.closeSfu();
    this.update({ remote: new Map(), mediaReconnecting: false });
  }

  private teardown(): void {
    window.removeEventListener("pagehide", this.onPageHide);
    document.removeEventListener("visibilitychange", this.reportTab);
    this.socket?.dispose();
    this.socket = null;
    this.earlySignals = [];
    this.unanswered = [];
    this.closeMedia();
    this.media.release();
  }

  private update(patch: Partial<RoomSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.listeners.forEach((listener) => listener());
  }
}
