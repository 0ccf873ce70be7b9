// A Janus server the test plays: records what the web app sends and lets the test answer.
import type { ConnectOptions, HandleEvents, JanusConnection, Jsep, TrackOption, VideoRoomHandle, VideoRoomMessage } from "../media/sfu/janusApi";
import type { SfuGrant } from "../types";

class FakeSender {
  track: MediaStreamTrack | null;
  replaced: (MediaStreamTrack | null)[] = [];

  constructor(track: MediaStreamTrack | null) {
    this.track = track;
  }

  async replaceTrack(track: MediaStreamTrack | null) {
    this.replaced.push(track);
    this.track = track;
  }
}

export interface FakeTransceiver {
  mid: string;
  direction: RTCRtpTransceiverDirection;
  sender: FakeSender;
}

export class FakeHandle implements VideoRoomHandle {
  readonly events: HandleEvents;
  sent: { message: VideoRoomMessage; jsep?: Jsep }[] = [];
  offers: TrackOption[][] = [];
  answered: Jsep[] = [];
  remoteJseps: Jsep[] = [];
  transceivers: FakeTransceiver[] = [];
  /** Requests (by name) whose sending fails, as when the Janus session is gone. */
  readonly failing: Set<string>;
  stats: { type: string; kind?: string; mid?: string; audioLevel?: number }[] = [];
  detached = false;

  constructor(events: HandleEvents, failing = new Set<string>()) {
    this.events = events;
    this.failing = failing;
  }

  async send(message: VideoRoomMessage, jsep?: Jsep) {
    this.sent.push(jsep ? { message, jsep } : { message });
    if (typeof message.request === "string" && this.failing.has(message.request)) throw new Error("Lost connection to the server");
  }

  /**
   * Like janus.js: the first offer makes one transceiver per track (mids "0", "1"... in order, a
   * track without capture is recvonly); later ones change the transceivers they name by mid.
   */
  async createOffer(tracks: TrackOption[]) {
    this.offers.push(tracks);
    const captured = (track: TrackOption) => (typeof track.capture === "object" ? (track.capture as MediaStreamTrack) : null);
    if (this.transceivers.length === 0) {
      this.transceivers = tracks.map((track, index) => ({
        mid: String(index),
        direction: captured(track) ? (track.recv === false ? "sendonly" : "sendrecv") : "recvonly",
        sender: new FakeSender(captured(track)),
      }));
    } else {
      for (const track of tracks) {
        const transceiver = this.transceivers.find((t) => t.mid === track.mid);
        if (!transceiver || !track.replace) throw new Error(`fake Janus: unexpected renegotiation ${JSON.stringify(track)}`);
        void transceiver.sender.replaceTrack(captured(track));
        transceiver.direction = captured(track) ? "sendonly" : "inactive";
      }
    }
    return { type: "offer", sdp: `our offer ${this.offers.length}` };
  }

  async createAnswer(jsep: Jsep) {
    this.answered.push(jsep);
    return { type: "answer", sdp: "our answer" };
  }

  async handleRemoteJsep(jsep: Jsep) {
    this.remoteJseps.push(jsep);
  }

  peerConnection() {
    const pc = {
      getTransceivers: () => this.transceivers,
      getStats: async () => new Map(this.stats.map((stat, index) => [String(index), stat])),
    };
    return pc as unknown as RTCPeerConnection;
  }

  detach() {
    this.detached = true;
  }

  /** Janus sends an event (or an answer to a request) on this handle. */
  emit(message: VideoRoomMessage, jsep?: Jsep) {
    this.events.onMessage(message, jsep);
  }

  requests(request: string) {
    return this.sent.filter((entry) => entry.message.request === request).map((entry) => entry.message);
  }
}

export class FakeConnection implements JanusConnection {
  readonly options: ConnectOptions;
  handles: FakeHandle[] = [];
  destroyed = false;
  /** Requests whose sending fails on every handle of this connection. */
  readonly failing = new Set<string>();

  constructor(options: ConnectOptions) {
    this.options = options;
  }

  async attach(events: HandleEvents) {
    const handle = new FakeHandle(events, this.failing);
    this.handles.push(handle);
    return handle;
  }

  destroy() {
    this.destroyed = true;
  }

  /** The WebSocket to Janus closed (server killed). */
  lose() {
    this.options.onLost();
  }
}

export class FakeJanus {
  connections: FakeConnection[] = [];

  readonly connect = async (options: ConnectOptions): Promise<JanusConnection> => {
    const connection = new FakeConnection(options);
    this.connections.push(connection);
    return connection;
  };

  latest(): FakeConnection {
    return this.connections[this.connections.length - 1];
  }
}

/** Ada's grant on the first media node. */
export function sfuGrant(overrides: Partial<SfuGrant> = {}): SfuGrant {
  return {
    server_url: "ws://10.203.0.1:8188/",
    token: "janus-token",
    room: "meeting-1",
    pin: "room-pin",
    room_token: "room-token",
    publisher_id: "me",
    screen_publisher_id: "me:screen",
    ...overrides,
  };
}

/** A publisher as VideoRoom lists it: camera feeds have audio at mid "0" and video at "1". */
export function publisher(id: string, types: ("audio" | "video")[] = ["audio", "video"]) {
  return { id, display: id, streams: types.map((type, index) => ({ type, mid: String(index), codec: type === "audio" ? "opus" : "vp8" })) };
}
