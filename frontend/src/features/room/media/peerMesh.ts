import type { SignalData } from "../types";
import type { RemoteMedia, RemoteMediaMap } from "./remoteMedia";

type MediaKind = "audio" | "video";

export interface PeerMeshOptions {
  selfId: string;
  /** ICE servers and transport policy ("relay" forces TURN), as the join API gave them. */
  rtcConfig: RTCConfiguration;
  /** The stream our microphone and camera tracks are announced in (its id reaches the peers). */
  cameraStream: MediaStream;
  sendSignal: (to: string, data: SignalData) => void;
  /** Called whenever the remote streams change. */
  onChange: () => void;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

interface Peer {
  pc: RTCPeerConnection;
  polite: boolean;
  makingOffer: boolean;
  ignoreOffer: boolean;
  offerSentAt: number | null;
  senders: Record<MediaKind, RTCRtpSender>;
  screenSender: RTCRtpSender | null;
  streams: Map<string, MediaStream>;
}

// Signals sent while the other side's socket was reconnecting are lost: offer again.
const OFFER_RESEND_AFTER_MS = 4000;
const WATCHDOG_INTERVAL_MS = 2000;

/**
 * A full mesh of peer connections, one per other admitted participant, negotiated with the
 * "perfect negotiation" pattern (the participant with the smaller id is polite).
 */
export class PeerMesh {
  private readonly options: PeerMeshOptions;
  private readonly peers = new Map<string, Peer>();
  private readonly outgoing: Record<MediaKind, MediaStreamTrack | null> = { audio: null, video: null };
  private screen: { track: MediaStreamTrack; stream: MediaStream } | null = null;
  private remote: RemoteMediaMap = new Map();
  private readonly watchdog: ReturnType<typeof setInterval>;

  constructor(options: PeerMeshOptions) {
    this.options = options;
    this.watchdog = setInterval(() => this.resendStaleOffers(), WATCHDOG_INTERVAL_MS);
  }

  get selfId(): string {
    return this.options.selfId;
  }

  /** Camera and screen per participant id (a new map after every change). */
  remoteMedia(): RemoteMediaMap {
    return this.remote;
  }

  ensurePeer(peerId: string): void {
    if (peerId === this.options.selfId || this.peers.has(peerId)) return;
    const create = this.options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
    const pc = create(this.options.rtcConfig);
    const peer: Peer = {
      pc,
      polite: this.options.selfId < peerId,
      makingOffer: false,
      ignoreOffer: false,
      offerSentAt: null,
      senders: { audio: this.addSender(pc, "audio"), video: this.addSender(pc, "video") },
      screenSender: this.screen ? this.addScreenSender(pc, this.screen.track, this.screen.stream) : null,
      streams: new Map(),
    };
    this.peers.set(peerId, peer);
    pc.onnegotiationneeded = () => void this.offer(peerId, peer);
    pc.onicecandidate = ({ candidate }) => this.options.sendSignal(peerId, { candidate: candidate?.toJSON() ?? null });
    pc.oniceconnectionstatechange = () => {
      if (pc.iceConnectionState === "failed") pc.restartIce();
    };
    pc.ontrack = ({ track, streams }) => this.addRemoteTrack(peer, track, streams[0] ?? new MediaStream([track]));
  }

  removePeer(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    peer.pc.close();
    this.peers.delete(peerId);
    this.publish();
  }

  /** Closes the connections to everyone not in `peerIds`. */
  keepOnly(peerIds: Iterable<string>): void {
    const keep = new Set(peerIds);
    for (const peerId of [...this.peers.keys()]) if (!keep.has(peerId)) this.removePeer(peerId);
  }

  async handleSignal(from: string, data: SignalData): Promise<void> {
    this.ensurePeer(from);
    const peer = this.peers.get(from);
    if (!peer) return;
    const { pc } = peer;
    try {
      if ("description" in data) {
        const description = data.description;
        const collision = description.type === "offer" && (peer.makingOffer || pc.signalingState !== "stable");
        peer.ignoreOffer = !peer.polite && collision;
        if (peer.ignoreOffer) return;
        await pc.setRemoteDescription(description);
        if (description.type === "offer") {
          await pc.setLocalDescription();
          this.sendDescription(from, pc);
        } else {
          peer.offerSentAt = null;
        }
      } else if (data.candidate) {
        try {
          await pc.addIceCandidate(data.candidate);
        } catch (error) {
          if (!peer.ignoreOffer) throw error;
        }
      }
    } catch (error) {
      console.warn("webrtc signal from", from, error);
    }
  }

  /** The track each peer receives for `kind`: null stops the packets (mic or camera off). */
  setOutgoingTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    this.outgoing[kind] = track;
    for (const peer of this.peers.values()) void peer.senders[kind].replaceTrack(track).catch(() => undefined);
  }

  /** Adds the screen track to every connection (its own stream tells it apart from the camera). */
  startScreen(track: MediaStreamTrack, stream: MediaStream): void {
    this.screen = { track, stream };
    for (const peer of this.peers.values()) peer.screenSender = this.addScreenSender(peer.pc, track, stream);
  }

  /** Stops the screen's transceiver on every connection (removeTrack alone would leave an idle slot
   * behind, one more each time the screen is shared again). */
  stopScreen(): void {
    this.screen = null;
    for (const peer of this.peers.values()) {
      const sender = peer.screenSender;
      peer.screenSender = null;
      if (!sender || peer.pc.signalingState === "closed") continue;
      const transceiver = peer.pc.getTransceivers().find((t) => t.sender === sender);
      if (transceiver && typeof transceiver.stop === "function") transceiver.stop();
      else peer.pc.removeTrack(sender);
    }
  }

  /** Audio level (0..1) per participant id, ours included, from the connections' statistics. */
  async audioLevels(): Promise<Map<string, number>> {
    const levels = new Map<string, number>();
    const keep = (id: string, level: unknown) => {
      if (typeof level === "number") levels.set(id, Math.max(level, levels.get(id) ?? 0));
    };
    await Promise.all(
      [...this.peers].map(async ([peerId, { pc }]) => {
        const report = await pc.getStats().catch(() => null);
        report?.forEach((stat: { type: string; kind?: string; audioLevel?: unknown }) => {
          if (stat.kind !== "audio") return;
          if (stat.type === "inbound-rtp") keep(peerId, stat.audioLevel);
          if (stat.type === "media-source" && this.outgoing.audio) keep(this.options.selfId, stat.audioLevel);
        });
      }),
    );
    return levels;
  }

  close(): void {
    clearInterval(this.watchdog);
    for (const peer of this.peers.values()) peer.pc.close();
    this.peers.clear();
    this.publish();
  }

  private addSender(pc: RTCPeerConnection, kind: MediaKind): RTCRtpSender {
    const track = this.outgoing[kind];
    const { cameraStream } = this.options;
    // Without a track (mic or camera off, or never allowed) keep a slot to fill with replaceTrack.
    return track
      ? pc.addTrack(track, cameraStream)
      : pc.addTransceiver(kind, { direction: "sendrecv", streams: [cameraStream] }).sender;
  }

  private addScreenSender(pc: RTCPeerConnection, track: MediaStreamTrack, stream: MediaStream): RTCRtpSender {
    // addTransceiver, not addTrack: addTrack may reuse an idle camera or receive-only slot.
    return pc.addTransceiver(track, { direction: "sendonly", streams: [stream] }).sender;
  }

  private async offer(peerId: string, peer: Peer): Promise<void> {
    try {
      peer.makingOffer = true;
      await peer.pc.setLocalDescription();
      this.sendDescription(peerId, peer.pc);
    } catch (error) {
      console.warn("webrtc offer to", peerId, error);
    } finally {
      peer.makingOffer = false;
    }
  }

  private sendDescription(peerId: string, pc: RTCPeerConnection): void {
    const description = pc.localDescription;
    if (!description) return;
    const peer = this.peers.get(peerId);
    if (peer) peer.offerSentAt = description.type === "offer" ? Date.now() : null;
    this.options.sendSignal(peerId, { description: description.toJSON() as RTCSessionDescriptionInit });
  }

  private resendStaleOffers(): void {
    const now = Date.now();
    for (const [peerId, peer] of this.peers) {
      const stale = peer.offerSentAt !== null && now - peer.offerSentAt > OFFER_RESEND_AFTER_MS;
      if (stale && peer.pc.signalingState === "have-local-offer") this.sendDescription(peerId, peer.pc);
    }
  }

  private addRemoteTrack(peer: Peer, track: MediaStreamTrack, stream: MediaStream): void {
    if (!peer.streams.has(stream.id)) {
      peer.streams.set(stream.id, stream);
      stream.addEventListener("addtrack", () => this.publish());
      stream.addEventListener("removetrack", () => {
        if (stream.getTracks().length === 0) peer.streams.delete(stream.id);
        this.publish();
      });
    }
    track.addEventListener("ended", () => this.publish());
    this.publish();
  }

  private publish(): void {
    this.remote = new Map(
      [...this.peers]
        .filter(([, peer]) => peer.streams.size > 0)
        .map(([peerId, peer]) => [peerId, splitRemoteStreams([...peer.streams.values()])]),
    );
    this.options.onChange();
  }
}

/** Tells a participant's camera stream (the one carrying their microphone) from a screen share. */
export function splitRemoteStreams(streams: readonly MediaStream[]): RemoteMedia {
  const camera = streams.find((stream) => stream.getAudioTracks().length > 0) ?? streams[0] ?? null;
  const screen =
    streams.find((stream) => stream !== camera && stream.getVideoTracks().some((track) => track.readyState === "live")) ?? null;
  return { camera, screen };
}
