import type { RemoteMedia, RemoteMediaMap } from "../remoteMedia";
import { feedOwner, type Publisher } from "./feeds";
import type { JanusConnection, Jsep, VideoRoomHandle, VideoRoomMessage } from "./janusApi";
import type { SfuGrant } from "../../types";

const MAX_FAILED_JOINS = 3;
/** Simulcast layers Janus forwards of a camera (`substream`): low for small tiles, high for big ones. */
const LOW = 0;
const HIGH = 2;
/** With at most this many others on camera every tile is big: all of them in high quality. */
const ALL_HIGH_UP_TO = 2;

interface StreamRef {
  feed: string;
  mid: string;
  substream?: number;
}

/** One stream of our subscription as Janus last described it. */
interface LayoutStream {
  mid: string;
  feed: string;
  feedMid: string | null;
  type: string;
}

/** Janus's refusal of a subscription names the feed it could not find: "No such feed (<id>)". */
const MISSING_FEED = /feed \((.+)\)$/;

export interface FeedSubscriberOptions {
  connection: JanusConnection;
  grant: SfuGrant;
  /** Our camera publisher's private id: the room (require_pvtid) takes no subscriber without it. */
  privateId: number;
  onChange: () => void;
  onFailed: () => void;
}

/**
 * One multistream subscription to every other publisher's streams. Janus does not drop the streams
 * of a publisher that leaves by itself, so `remove` unsubscribes them. Camera video comes as the
 * low simulcast layer except for big tiles (the active speaker's, or everyone's in a small meeting).
 */
export class FeedSubscriber {
  private readonly options: FeedSubscriberOptions;
  private handle: VideoRoomHandle | null = null;
  private attaching = false;
  /** Janus answered our join: updates can go out. */
  private attached = false;
  /** An `update` is out: the next waits for its answer (a refusal is then known to be its). */
  private updating = false;
  private closed = false;
  private failedJoins = 0;
  /** The publisher streams we asked for: feed → its mid → type. */
  private readonly wanted = new Map<string, Map<string, string>>();
  private queued: { subscribe: StreamRef[]; unsubscribe: { feed: string }[] } = { subscribe: [], unsubscribe: [] };
  /** Our subscription's active streams, from Janus's latest stream layout. */
  private layout: LayoutStream[] = [];
  /** Our subscription's mids → the feed each carries (wanted feeds only). */
  private feedOfMid = new Map<string, string>();
  private readonly tracks = new Map<string, MediaStreamTrack>();
  private readonly streamCache = new Map<string, { key: string; stream: MediaStream }>();
  private media: RemoteMediaMap = new Map();
  /** The participant whose camera is shown big (the active speaker). */
  private speaker: string | null = null;
  /** The simulcast layer asked for, per camera feed. */
  private readonly substreams = new Map<string, number>();

  constructor(options: FeedSubscriberOptions) {
    this.options = options;
  }

  remoteMedia(): RemoteMediaMap {
    return this.media;
  }

  /** Subscribes to the streams of these publishers we do not have yet (ours are skipped). */
  add(publishers: Publisher[]): void {
    const self = this.options.grant.publisher_id;
    const added: { feed: string; mid: string; type: string }[] = [];
    for (const publisher of publishers) {
      if (feedOwner(publisher.id).participantId === self) continue;
      const mids = this.wanted.get(publisher.id) ?? new Map<string, string>();
      for (const { mid, type } of publisher.streams) {
        if (mids.has(mid)) continue;
        mids.set(mid, type);
        added.push({ feed: publisher.id, mid, type });
      }
      if (mids.size > 0) this.wanted.set(publisher.id, mids);
    }
    if (added.length === 0) return;
    this.queued.subscribe.push(...added.map(({ feed, mid, type }) => this.refOf(feed, mid, type)));
    // One more camera may make the others' tiles small.
    this.syncSubstreams();
    void this.flush();
  }

  /** Unsubscribes every stream of a feed that left or stopped publishing. */
  remove(feed: string): void {
    if (!this.wanted.delete(feed)) return;
    this.substreams.delete(feed);
    this.queued.subscribe = this.queued.subscribe.filter((ref) => ref.feed !== feed);
    this.queued.unsubscribe.push({ feed });
    // Off the screen at once rather than after Janus's renegotiation.
    for (const [mid, owner] of this.feedOfMid) if (owner === feed) this.feedOfMid.delete(mid);
    this.publish();
    this.syncSubstreams();
    void this.flush();
  }

  /** Who is speaking (shown big): their camera comes in high quality, the others' in low. */
  setSpeaker(participantId: string | null): void {
    if (participantId === this.speaker) return;
    this.speaker = participantId;
    this.syncSubstreams();
  }

  /** Subscription mid → participant id, for the audio levels in our receive statistics. */
  participantOfMid(mid: string): string | null {
    const feed = this.feedOfMid.get(mid);
    return feed ? feedOwner(feed).participantId : null;
  }

  peerConnection(): RTCPeerConnection | null {
    return this.handle?.peerConnection() ?? null;
  }

  close(): void {
    this.closed = true;
    this.handle?.detach();
    this.handle = null;
  }

  private async flush(): Promise<void> {
    if (this.closed || this.attaching) return;
    if (!this.handle) return this.join();
    if (!this.attached || this.updating) return;
    const { subscribe, unsubscribe } = this.queued;
    if (subscribe.length === 0 && unsubscribe.length === 0) return;
    this.queued = { subscribe: [], unsubscribe: [] };
    this.updating = true;
    try {
      await this.handle.send({
        request: "update",
        ...(subscribe.length ? { subscribe } : {}),
        ...(unsubscribe.length ? { unsubscribe } : {}),
      });
    } catch (error) {
      this.updating = false;
      console.warn("sfu subscription update", error);
    }
  }

  /** Janus takes no subscription without streams: the handle is made for the first ones. */
  private async join(): Promise<void> {
    const streams = this.queued.subscribe;
    if (streams.length === 0) {
      this.queued.unsubscribe = [];
      return;
    }
    this.queued = { subscribe: [], unsubscribe: [] };
    this.attaching = true;
    try {
      const handle = await this.options.connection.attach({
        onMessage: (message, jsep) => void this.receive(message, jsep),
        onRemoteTrack: (track, mid, on) => this.trackChanged(track, mid, on),
        onMediaFailed: () => this.options.onFailed(),
      });
      if (this.closed) return handle.detach();
      this.handle = handle;
      const { room, pin, room_token: token } = this.options.grant;
      await handle.send({
        request: "join",
        ptype: "subscriber",
        room,
        pin,
        token,
        streams,
        use_msid: true,
        private_id: this.options.privateId,
      });
    } catch (error) {
      if (!this.closed) this.options.onFailed();
      console.warn("sfu subscribe", error);
    } finally {
      this.attaching = false;
    }
  }

  private async receive(message: VideoRoomMessage, jsep: Jsep | undefined): Promise<void> {
    if (this.closed || !this.handle) return;
    if (message.videoroom === "attached") {
      this.attached = true;
      this.failedJoins = 0;
    }
    if (message.videoroom === "updated") this.updating = false;
    if (Array.isArray(message.streams)) this.layoutChanged(message.streams);
    if (typeof message.error === "string") {
      console.warn("sfu subscriber:", message.error);
      if (!this.attached) return this.rejoin();
      if (this.updating) this.updateRefused(message.error);
    }
    if (jsep) {
      try {
        const answer = await this.handle.createAnswer(jsep);
        await this.handle.send({ request: "start" }, answer);
      } catch (error) {
        console.warn("sfu subscriber answer", error);
        this.options.onFailed();
        return;
      }
    }
    // What was asked for while the join or the last update was under way goes out now.
    if (this.attached && !this.updating) {
      this.syncSubstreams();
      void this.flush();
    }
  }

  /** The join was refused (a feed left meanwhile, say): try again with what we still want. */
  private rejoin(): void {
    this.handle?.detach();
    this.handle = null;
    this.attached = false;
    this.updating = false;
    this.layout = [];
    this.substreams.clear();
    if (++this.failedJoins > MAX_FAILED_JOINS) return this.options.onFailed();
    this.queued = { subscribe: this.refsWantedExcept(new Set()), unsubscribe: [] };
    void this.flush();
  }

  /**
   * Janus refuses a whole `update` when one feed in it is gone: ask again for everything wanted that
   * the subscription lacks, without that feed, and repeat the unsubscriptions it carried.
   */
  private updateRefused(error: string): void {
    this.updating = false;
    const missing = MISSING_FEED.exec(error)?.[1];
    if (missing) {
      this.wanted.delete(missing);
      this.substreams.delete(missing);
    }
    const have = new Set(this.layout.map((s) => `${s.feed}\n${s.feedMid}`));
    const subscribe = [
      ...this.queued.subscribe.filter((ref) => ref.feed !== missing),
      ...this.refsWantedExcept(new Set([...have, ...this.queued.subscribe.map((ref) => `${ref.feed}\n${ref.mid}`)])),
    ];
    const unsubscribing = new Set(this.queued.unsubscribe.map((entry) => entry.feed));
    const stale = [...new Set(this.layout.map((s) => s.feed))].filter((feed) => !this.wanted.has(feed) && !unsubscribing.has(feed));
    this.queued = { subscribe, unsubscribe: [...this.queued.unsubscribe, ...stale.map((feed) => ({ feed }))] };
  }

  /** Every wanted stream, but those whose `feed\nmid` is in `skip`. */
  private refsWantedExcept(skip: Set<string>): StreamRef[] {
    return [...this.wanted].flatMap(([feed, mids]) =>
      [...mids].filter(([mid]) => !skip.has(`${feed}\n${mid}`)).map(([mid, type]) => this.refOf(feed, mid, type)),
    );
  }

  /** A stream to subscribe to; camera video with the simulcast layer its tile needs. */
  private refOf(feed: string, mid: string, type: string): StreamRef {
    if (type !== "video" || feedOwner(feed).kind !== "camera") return { feed, mid };
    const substream = this.substreamFor(feed);
    this.substreams.set(feed, substream);
    return { feed, mid, substream };
  }

  private substreamFor(feed: string): number {
    const cameras = [...this.wanted].filter(([id, mids]) => feedOwner(id).kind === "camera" && [...mids.values()].includes("video")).length;
    return cameras <= ALL_HIGH_UP_TO || feedOwner(feed).participantId === this.speaker ? HIGH : LOW;
  }

  /** Asks Janus for the layer each camera in the subscription should come in, where that changed. */
  private syncSubstreams(): void {
    const handle = this.handle;
    if (!handle || !this.attached || this.closed) return;
    const streams: { mid: string; substream: number }[] = [];
    for (const { mid, feed, type } of this.layout) {
      if (type !== "video" || feedOwner(feed).kind !== "camera" || !this.wanted.has(feed)) continue;
      const substream = this.substreamFor(feed);
      if (this.substreams.get(feed) === substream) continue;
      this.substreams.set(feed, substream);
      streams.push({ mid, substream });
    }
    if (streams.length === 0) return;
    handle.send({ request: "configure", streams }).catch((error: unknown) => console.warn("sfu substream", error));
  }

  private layoutChanged(streams: unknown[]): void {
    const layout: LayoutStream[] = [];
    for (const stream of streams) {
      if (typeof stream !== "object" || stream === null) continue;
      const { mid, feed_id: feed, feed_mid: feedMid, type, active } = stream as Record<string, unknown>;
      if (typeof mid !== "string" || typeof feed !== "string" || active === false) continue;
      layout.push({ mid, feed, feedMid: typeof feedMid === "string" ? feedMid : null, type: typeof type === "string" ? type : "" });
    }
    this.layout = layout;
    this.feedOfMid = new Map(layout.filter((s) => this.wanted.has(s.feed)).map((s) => [s.mid, s.feed]));
    this.publish();
  }

  private trackChanged(track: MediaStreamTrack, mid: string, on: boolean): void {
    if (on) this.tracks.set(mid, track);
    else if (this.tracks.get(mid) === track) this.tracks.delete(mid);
    this.publish();
  }

  /** Regroups the tracks by participant; a stream is rebuilt only when its tracks change. */
  private publish(): void {
    const grouped = new Map<string, { camera: MediaStreamTrack[]; screen: MediaStreamTrack[] }>();
    for (const [mid, track] of this.tracks) {
      const feed = this.feedOfMid.get(mid);
      if (!feed || track.readyState === "ended") continue;
      const { participantId, kind } = feedOwner(feed);
      const entry = grouped.get(participantId) ?? { camera: [], screen: [] };
      entry[kind].push(track);
      grouped.set(participantId, entry);
    }
    const media = new Map<string, RemoteMedia>();
    const used = new Set<string>();
    for (const [participantId, { camera, screen }] of grouped) {
      media.set(participantId, {
        camera: this.streamOf(`${participantId}/camera`, camera, used),
        screen: this.streamOf(`${participantId}/screen`, screen, used),
      });
    }
    for (const key of [...this.streamCache.keys()]) if (!used.has(key)) this.streamCache.delete(key);
    this.media = media;
    this.options.onChange();
  }

  private streamOf(cacheKey: string, tracks: MediaStreamTrack[], used: Set<string>): MediaStream | null {
    if (tracks.length === 0) return null;
    // Audio first, as a camera stream from a peer connection has it.
    const ordered = [...tracks].sort((a, b) => a.kind.localeCompare(b.kind));
    const key = ordered.map((track) => track.id).join(" ");
    used.add(cacheKey);
    const cached = this.streamCache.get(cacheKey);
    if (cached?.key === key) return cached.stream;
    const stream = new MediaStream(ordered);
    this.streamCache.set(cacheKey, { key, stream });
    return stream;
  }
}
