import type { SfuGrant } from "../../types";
import { publishersIn, weLeft, type Publisher } from "./feeds";
import type { HandleEvents, JanusConnection, Jsep, TrackOption, VideoRoomHandle, VideoRoomMessage } from "./janusApi";

export interface RoomPublisherOptions {
  connection: JanusConnection;
  grant: SfuGrant;
  publisherId: string;
  display: string;
  /** Room events after the join (new publishers, departures, talking). */
  onEvent?: (message: VideoRoomMessage) => void;
  /** The handle's media failed, the room went, or Janus took this publisher out (kicked). */
  onFailed: () => void;
}

export interface Joined {
  privateId: number | null;
  publishers: Publisher[];
}

/** The VideoRoom `error` of a message, if it carries one. */
function errorOf(message: VideoRoomMessage): string | null {
  return typeof message.error === "string" ? message.error : null;
}

/** Whether this m-line sends anything (one published without a track is recvonly: Janus disabled it). */
function sends(transceiver: RTCRtpTransceiver): boolean {
  return transceiver.direction === "sendrecv" || transceiver.direction === "sendonly";
}

/** One publisher in the room: our camera and microphone, or our screen share (its own feed). */
export class RoomPublisher {
  private readonly options: RoomPublisherOptions;
  private handle: VideoRoomHandle | null = null;
  private pendingJoin: { resolve: (joined: Joined) => void; reject: (error: Error) => void } | null = null;
  /** Settles once the last offer we sent has its answer (or was refused): the next may go then. */
  private negotiation: Promise<void> = Promise.resolve();
  private answered: (() => void) | null = null;
  /** Track changes, one after the other (a renegotiation takes a while; a later change must win). */
  private trackChanges: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: RoomPublisherOptions) {
    this.options = options;
  }

  async join(): Promise<Joined> {
    const events: HandleEvents = {
      onMessage: (message, jsep) => void this.receive(message, jsep),
      onMediaFailed: () => this.options.onFailed(),
    };
    const handle = await this.options.connection.attach(events);
    if (this.closed) {
      handle.detach();
      throw new Error("closed");
    }
    this.handle = handle;
    const { room, pin, room_token: token } = this.options.grant;
    const joined = new Promise<Joined>((resolve, reject) => (this.pendingJoin = { resolve, reject }));
    // Rejected later (close) while nobody awaits it any more: not an unhandled rejection.
    joined.catch(() => undefined);
    try {
      await handle.send({ request: "join", ptype: "publisher", room, pin, token, id: this.options.publisherId, display: this.options.display });
    } catch (error) {
      this.pendingJoin = null;
      throw error;
    }
    return joined;
  }

  /** Sends our tracks in the given order (mids "0", "1", ... follow it); Janus's answer comes as an event. */
  publish(tracks: TrackOption[]): Promise<void> {
    return this.negotiate({ request: "publish" }, tracks);
  }

  /**
   * What one of our m-lines sends (null: nothing). Swapped without renegotiating while the m-line
   * sends; an m-line published empty (no device at join) is recvonly and Janus disabled it, so a
   * track for it needs a new offer (same mid) and a `configure`.
   */
  replaceTrack(mid: string, track: MediaStreamTrack | null): Promise<void> {
    const change = this.trackChanges.then(() => this.applyTrack(mid, track));
    this.trackChanges = change.catch(() => undefined);
    return change;
  }

  peerConnection(): RTCPeerConnection | null {
    return this.handle?.peerConnection() ?? null;
  }

  close(): void {
    this.closed = true;
    this.pendingJoin?.reject(new Error("closed"));
    this.pendingJoin = null;
    this.answered?.();
    this.handle?.detach();
    this.handle = null;
  }

  private async applyTrack(mid: string, track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.handle
      ?.peerConnection()
      ?.getTransceivers()
      .find((t) => t.mid === mid);
    if (!transceiver) return;
    if (track && !sends(transceiver)) {
      const type = track.kind === "audio" ? "audio" : "video";
      return this.negotiate({ request: "configure" }, [{ type, mid, capture: track, replace: true, recv: false, dontStop: true }]);
    }
    if (transceiver.sender.track !== track) await transceiver.sender.replaceTrack(track);
  }

  /** Makes an offer (after the previous one's answer) and sends it with `message`; resolves once sent. */
  private negotiate(message: VideoRoomMessage, tracks: TrackOption[]): Promise<void> {
    const previous = this.negotiation;
    let sent: Promise<void> = Promise.resolve();
    this.negotiation = new Promise<void>((settled) => {
      sent = (async () => {
        await previous;
        const handle = this.handle;
        if (!handle || this.closed) throw new Error("not joined");
        const answer = new Promise<void>((resolve) => (this.answered = resolve));
        const offer = await handle.createOffer(tracks);
        await handle.send(message, offer);
        void answer.then(settled);
      })();
      sent.catch(() => {
        this.answered = null;
        settled();
      });
    });
    return sent;
  }

  private async receive(message: VideoRoomMessage, jsep: Jsep | undefined): Promise<void> {
    if (this.closed) return;
    const error = errorOf(message);
    if (this.pendingJoin && (message.videoroom === "joined" || error)) {
      const { resolve, reject } = this.pendingJoin;
      this.pendingJoin = null;
      if (error) return reject(new Error(error));
      const privateId = typeof message.private_id === "number" ? message.private_id : null;
      return resolve({ privateId, publishers: publishersIn(message) });
    }
    if (jsep) {
      try {
        await this.handle?.handleRemoteJsep(jsep);
      } catch (failure) {
        console.warn("sfu publisher answer", failure);
        this.options.onFailed();
      }
    }
    if (jsep || error) {
      // The offer under way is answered (or refused): the next one may go.
      this.answered?.();
      this.answered = null;
    }
    if (error) console.warn("sfu publisher:", error);
    // Kicked (the server does that to a session's feeds on a new room socket and on sfu_refresh),
    // or the room went: this feed is out, and with require_pvtid our subscription with it.
    if (message.videoroom === "destroyed" || weLeft(message)) return this.options.onFailed();
    this.options.onEvent?.(message);
  }
}
