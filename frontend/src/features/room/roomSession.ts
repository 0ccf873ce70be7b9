import { LocalMedia, MediaUnavailableError } from "./media/localMedia";
import { PeerMesh } from "./media/peerMesh";
import { RoomSocket, type DeliveryMeta, type SocketEnd, type SocketStatus } from "./realtime/roomSocket";
import { initialRoomState, roomReducer, type LocalAction, type RoomAction, type RoomState } from "./roomState";
import type { ClientMessage, ExitReason, IceServer, Reaction, RoomJoin, ServerMessage } from "./types";

export interface RoomSessionOptions {
  join: RoomJoin;
  localStream: MediaStream;
  initialAudioOn: boolean;
  initialVideoOn: boolean;
  rejoin: () => Promise<RoomJoin>;
  onExit: (reason: ExitReason) => void;
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
    // After the current task (a microtask, not a timer, so joining waits for nothing): React's
    // development double mount runs start, stop, start in one go and only the last one connects,
    // so the one-time ticket is spent once.
    const run = ++this.starts;
    queueMicrotask(() => {
      if (run === this.starts) this.connect();
    });
  }

  stop(): void {
    this.starts++;
    this.teardown();
  }

  send(message: ClientMessage): boolean {
    return this.socket?.send(message) ?? false;
  }

  sendChat(text: string, to: string | null): void {
    const clientId = newClientId();
    const sent = this.send({ type: "chat", text, client_id: clientId, ...(to ? { to } : {}) });
    if (sent) this.dispatch({ type: "local.chat_sent", message: { client_id: clientId, text, to_participant_id: to } });
    else this.dispatch({ type: "local.error", text: "Not connected: the message was not sent" });
  }

  react(emoji: Reaction): void {
    this.send({ type: "reaction", emoji });
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
    this.socket?.leave();
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
      void this.mesh?.handleSignal(message.from, message.data);
      return;
    }
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
    if (!joined) return this.closeMesh();
    // A rejoin through REST may have made us a new participant: start the mesh over.
    if (this.mesh?.selfId !== room.me.id) {
      this.closeMesh();
      this.mesh = this.createMesh(room.me.id);
    }
    this.mesh?.keepOnly(room.roster.map((p) => p.id));
    this.connectPeers();
    this.sendState();
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

  /** Both sides connect on first sight; perfect negotiation settles who offers. */
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
    if (room.phase === "joined" && room.roster !== before.roster) this.connectPeers();
    if (room.exit && !before.exit) {
      this.teardown();
      this.options.onExit(room.exit);
    }
  }

  private closeMesh(): void {
    this.mesh?.close();
    this.mesh = null;
  }

  private teardown(): void {
    this.socket?.dispose();
    this.socket = null;
    this.closeMesh();
    this.media.release();
  }

  private update(patch: Partial<RoomSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.listeners.forEach((listener) => listener());
  }
}
