import type { SfuGrant } from "../../types";
import type { RemoteMediaMap } from "../remoteMedia";
import { rtcIceServers } from "../rtcConfig";
import { FeedSubscriber } from "./feedSubscriber";
import { departedFeed, feedOwner, publishersIn } from "./feeds";
import { connectJanus, type ConnectJanus, type JanusConnection, type TrackOption, type VideoRoomMessage } from "./janusApi";
import { RoomPublisher } from "./roomPublisher";

type MediaKind = "audio" | "video";

/** Our camera feed's m-lines, fixed by docs/sfu.md (host moderation addresses them by mid). */
const CAMERA_MIDS: Record<MediaKind, string> = { audio: "0", video: "1" };
/** Asking again for a grant after a drop: at once, then less and less often. */
const RETRY_DELAYS_MS = [0, 1000, 2000, 4000, 5000];
/** Someone Janus reports talking counts as this loud for the active speaker. */
const TALKING_LEVEL = 1;

export type SfuStatus = "connecting" | "connected" | "reconnecting";

export interface SfuMediaOptions {
  selfId: string;
  display: string;
  /**
   * ICE servers and transport policy for Janus (the join answer's); a grant's own `ice_servers`
   * (fresh TURN credentials) replace the servers for the connection made with it.
   */
  rtcConfig: RTCConfiguration | (() => RTCConfiguration);
  /** Our devices: `track` is the device (kept while off), `outgoing` what to send now. */
  media: { track: (kind: MediaKind) => MediaStreamTrack | null; outgoing: (kind: MediaKind) => MediaStreamTrack | null };
  /** Asks the server for a fresh grant (`sfu_refresh`); it answers with an `sfu` message. */
  requestGrant: () => void;
  /** Remote media or status changed. */
  onChange: () => void;
  connect?: ConnectJanus;
}

/** One connection to Janus with a grant: our publishers and our subscription. */
interface Link {
  grant: SfuGrant;
  connection: JanusConnection | null;
  camera: RoomPublisher | null;
  screen: RoomPublisher | null;
  subscriber: FeedSubscriber | null;
  up: boolean;
  dead: boolean;
}

function sameRoom(a: SfuGrant, b: SfuGrant): boolean {
  return a.server_url === b.server_url && a.room === b.room;
}

/**
 * The meeting's media through Janus (VideoRoom): our camera and microphone as one publisher
 * (video simulcast), the screen share as another, and one subscription to everyone else. When the
 * connection drops it says so and reconnects with the next grant the server gives.
 */
export class SfuMedia {
  private readonly options: SfuMediaOptions;
  private readonly connect: ConnectJanus;
  private link: Link | null = null;
  private statusNow: SfuStatus = "connecting";
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly outgoing: Record<MediaKind, MediaStreamTrack | null>;
  private screen: MediaStreamTrack | null = null;
  private readonly talking = new Set<string>();
  /** The participant shown big (last active speaker): their camera comes in high quality. */
  private speaker: string | null = null;
  private closed = false;

  constructor(options: SfuMediaOptions) {
    this.options = options;
    this.connect = options.connect ?? connectJanus;
    this.outgoing = { audio: options.media.outgoing("audio"), video: options.media.outgoing("video") };
  }

  get selfId(): string {
    return this.options.selfId;
  }

  get status(): SfuStatus {
    return this.statusNow;
  }

  remoteMedia(): RemoteMediaMap {
    return this.link?.subscriber?.remoteMedia() ?? new Map();
  }

  /**
   * A grant from the server. `fresh` (a welcome on a new room socket, or the answer to our
   * sfu_refresh) means the server took our earlier feeds out of the room: connect again. Otherwise
   * (a failover notice, a welcome on the same socket) it reconnects unless we are on that room
   * already. No grant: no media node now; ask for one unless our connection still works.
   */
  useGrant(grant: SfuGrant | null, fresh: boolean): void {
    if (this.closed) return;
    const link = this.link;
    const working = !fresh && link !== null && !link.dead;
    if (!grant) {
      if (!working) this.lost();
      return;
    }
    if (working && sameRoom(link.grant, grant)) return;
    this.cancelRetry();
    void this.open(grant);
  }

  /** The server has no node for us right now (`sfu_unavailable`): ask again later. */
  grantRefused(): void {
    if (this.closed || this.link) return;
    this.scheduleRetry();
  }

  /** What we send; a device that was missing at join gets its m-line renegotiated (same mid). */
  setOutgoingTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    this.outgoing[kind] = track;
    void this.link?.camera?.replaceTrack(CAMERA_MIDS[kind], track).catch((error: unknown) => console.warn("sfu track", error));
  }

  startScreen(track: MediaStreamTrack): void {
    this.screen = track;
    const link = this.link;
    if (link?.up) void this.publishScreen(link);
  }

  stopScreen(): void {
    this.screen = null;
    this.link?.screen?.close();
    if (this.link) this.link.screen = null;
  }

  /** The active speaker (null: nobody now, the last one stays big); ourselves are ignored. */
  setSpeaker(participantId: string | null): void {
    if (!participantId || participantId === this.options.selfId) return;
    this.speaker = participantId;
    this.link?.subscriber?.setSpeaker(participantId);
  }

  /** The participant id of the feed that left the room socket: its streams go too. */
  removeParticipant(participantId: string): void {
    const subscriber = this.link?.subscriber;
    subscriber?.remove(participantId);
    subscriber?.remove(`${participantId}:screen`);
    this.talking.delete(participantId);
    if (this.speaker === participantId) this.speaker = null;
  }

  /** Audio level (0..1) per participant: what we receive, plus whoever Janus says is talking. */
  async audioLevels(): Promise<Map<string, number>> {
    const levels = new Map<string, number>();
    const subscriber = this.link?.subscriber;
    const report = await subscriber?.peerConnection()?.getStats().catch(() => null);
    report?.forEach((stat: { type: string; kind?: string; mid?: string; audioLevel?: unknown }) => {
      if (stat.type !== "inbound-rtp" || stat.kind !== "audio" || typeof stat.audioLevel !== "number" || !stat.mid) return;
      const participantId = subscriber?.participantOfMid(stat.mid);
      if (participantId) levels.set(participantId, Math.max(stat.audioLevel, levels.get(participantId) ?? 0));
    });
    for (const participantId of this.talking) levels.set(participantId, TALKING_LEVEL);
    return levels;
  }

  close(): void {
    this.closed = true;
    this.cancelRetry();
    this.drop();
  }

  private async open(grant: SfuGrant): Promise<void> {
    this.drop();
    const link: Link = { grant, connection: null, camera: null, screen: null, subscriber: null, up: false, dead: false };
    this.link = link;
    if (this.statusNow === "connected") this.setStatus("reconnecting");
    const failed = () => this.linkFailed(link);
    try {
      link.connection = await this.connect({ server: grant.server_url, token: grant.token, rtcConfig: this.rtcConfigFor(grant), onLost: failed });
      if (link.dead) return link.connection.destroy();
      link.camera = new RoomPublisher({
        connection: link.connection,
        grant,
        publisherId: grant.publisher_id,
        display: this.options.display,
        onEvent: (message) => this.roomEvent(link, message),
        onFailed: failed,
      });
      const joined = await link.camera.join();
      if (link.dead) return;
      // The room requires it (require_pvtid): no subscription before our publisher is in.
      if (joined.privateId === null) throw new Error("joined without a private_id");
      link.subscriber = new FeedSubscriber({
        connection: link.connection,
        grant,
        privateId: joined.privateId,
        onChange: () => this.options.onChange(),
        onFailed: failed,
      });
      link.subscriber.setSpeaker(this.speaker);
      link.subscriber.add(joined.publishers);
      await link.camera.publish(this.cameraTracks());
      if (link.dead) return;
      // Devices turned off (or on) while we were connecting.
      for (const kind of ["audio", "video"] as const) this.setOutgoingTrack(kind, this.outgoing[kind]);
      link.up = true;
      this.retries = 0;
      this.setStatus("connected");
      if (this.screen) await this.publishScreen(link);
    } catch (error) {
      if (link.dead) return;
      console.warn("sfu connect", error);
      failed();
    }
  }

  private rtcConfigFor(grant: SfuGrant): RTCConfiguration {
    const { rtcConfig } = this.options;
    const base = typeof rtcConfig === "function" ? rtcConfig() : rtcConfig;
    return grant.ice_servers ? { ...base, iceServers: rtcIceServers(grant.ice_servers) } : base;
  }

  /**
   * Audio at mid "0" and video at mid "1" always; a missing device gets an empty (recvonly) slot,
   * renegotiated when the device comes (then without simulcast: encodings are set at creation).
   */
  private cameraTracks(): TrackOption[] {
    const { media } = this.options;
    const audio = media.track("audio");
    const video = media.track("video");
    return [
      audio ? { type: "audio", capture: audio, recv: false, dontStop: true } : { type: "audio", capture: false, recv: true },
      video ? { type: "video", capture: video, recv: false, simulcast: true, dontStop: true } : { type: "video", capture: false, recv: true },
    ];
  }

  private async publishScreen(link: Link): Promise<void> {
    const track = this.screen;
    if (!track || link.screen || !link.connection) return;
    const screen = new RoomPublisher({
      connection: link.connection,
      grant: link.grant,
      publisherId: link.grant.screen_publisher_id,
      display: `${this.options.display} (screen)`,
      onFailed: () => this.linkFailed(link),
    });
    link.screen = screen;
    try {
      await screen.join();
      await screen.publish([{ type: "video", capture: track, recv: false, dontStop: true }]);
    } catch (error) {
      // Sharing stopped meanwhile, or the link went down (which reconnects and shares again).
      if (link.screen === screen && this.screen === track) console.warn("sfu screen", error);
    }
  }

  private roomEvent(link: Link, message: VideoRoomMessage): void {
    if (link.dead) return;
    const talking = message.videoroom === "talking" || message.videoroom === "stopped-talking";
    if (talking && typeof message.id === "string") {
      const { participantId, kind } = feedOwner(message.id);
      if (kind === "camera" && message.videoroom === "talking") this.talking.add(participantId);
      else this.talking.delete(participantId);
      return;
    }
    link.subscriber?.add(publishersIn(message));
    const departed = departedFeed(message);
    if (departed) {
      link.subscriber?.remove(departed);
      this.talking.delete(feedOwner(departed).participantId);
    }
  }

  private linkFailed(link: Link): void {
    if (link.dead || link !== this.link) return;
    this.lost();
  }

  /** The connection is gone (or there never was a grant): show it and ask for a grant. */
  private lost(): void {
    this.drop();
    this.setStatus(this.statusNow === "connecting" ? "connecting" : "reconnecting");
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null) return;
    const delay = RETRY_DELAYS_MS[Math.min(this.retries, RETRY_DELAYS_MS.length - 1)];
    this.retries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.closed || this.link) return;
      this.options.requestGrant();
      // No answer (the socket may be reconnecting itself): ask again.
      this.scheduleRetry();
    }, delay);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private drop(): void {
    const link = this.link;
    this.link = null;
    this.talking.clear();
    if (!link) return;
    link.dead = true;
    link.subscriber?.close();
    link.screen?.close();
    link.camera?.close();
    link.connection?.destroy();
    this.options.onChange();
  }

  private setStatus(status: SfuStatus): void {
    if (status === this.statusNow) return;
    this.statusNow = status;
    this.options.onChange();
  }
}
