// Test doubles for the browser APIs the room uses and jsdom lacks (or that need a fake server).

import { afterEach, beforeEach, vi } from "vitest";

/** A WebSocket the test plays the server for. */
export class FakeWebSocket {
  static readonly OPEN = 1;
  static instances: FakeWebSocket[] = [];
  readonly url: string;
  readyState = 0;
  sent: { type: string; [key: string]: unknown }[] = [];
  closedWith: number | null = null;
  onopen: (() => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;

  static latest(): FakeWebSocket {
    return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
  }

  constructor(url: string) {
    this.url = url;
    FakeWebSocket.instances.push(this);
  }

  send(data: string) {
    this.sent.push(JSON.parse(data));
  }

  close(code: number) {
    this.closedWith = code;
    this.readyState = 3;
  }

  open() {
    this.readyState = 1;
    this.onopen?.();
  }

  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }

  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
}

let nextId = 1;

export function fakeTrack(kind: "audio" | "video", deviceId = ""): MediaStreamTrack {
  const track = {
    id: `${kind}-${nextId++}`,
    kind,
    enabled: true,
    readyState: "live",
    stop() {
      track.readyState = "ended";
    },
    getSettings: () => (deviceId ? { deviceId } : {}),
    addEventListener: () => undefined,
  };
  return track as unknown as MediaStreamTrack;
}

export class FakeMediaStream {
  readonly id = `stream-${nextId++}`;
  private readonly tracks: MediaStreamTrack[];

  constructor(tracks: MediaStreamTrack[] = []) {
    this.tracks = [...tracks];
  }

  getTracks() {
    return [...this.tracks];
  }

  getAudioTracks() {
    return this.tracks.filter((track) => track.kind === "audio");
  }

  getVideoTracks() {
    return this.tracks.filter((track) => track.kind === "video");
  }

  addEventListener() {}
}

export function fakeStream(tracks: MediaStreamTrack[] = []): MediaStream {
  return new FakeMediaStream(tracks) as unknown as MediaStream;
}

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

interface FakeTransceiver {
  kind: string;
  direction: RTCRtpTransceiverDirection;
  streams: MediaStream[];
  sender: FakeSender;
  removed: boolean;
  stopped: boolean;
  stop(): void;
}

/** Signaling states as RTCPeerConnection moves them; no media, no ICE. */
export class FakePeerConnection {
  static instances: FakePeerConnection[] = [];
  readonly config: RTCConfiguration;
  signalingState: RTCSignalingState = "stable";
  iceConnectionState: RTCIceConnectionState = "new";
  localDescription: (RTCSessionDescriptionInit & { toJSON(): RTCSessionDescriptionInit }) | null = null;
  transceivers: FakeTransceiver[] = [];
  candidates: (RTCIceCandidateInit | null)[] = [];
  closed = false;
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: ((event: { candidate: null }) => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  ontrack: ((event: { track: MediaStreamTrack; streams: MediaStream[] }) => void) | null = null;

  constructor(config: RTCConfiguration) {
    this.config = config;
    FakePeerConnection.instances.push(this);
  }

  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]) {
    return this.add(track.kind, track, "sendrecv", streams).sender;
  }

  addTransceiver(trackOrKind: MediaStreamTrack | string, init: RTCRtpTransceiverInit) {
    const track = typeof trackOrKind === "string" ? null : trackOrKind;
    return this.add(track?.kind ?? (trackOrKind as string), track, init.direction ?? "sendrecv", init.streams ?? []);
  }

  getTransceivers() {
    return this.transceivers.filter((t) => !t.stopped);
  }

  removeTrack(sender: FakeSender) {
    const transceiver = this.transceivers.find((t) => t.sender === sender);
    if (transceiver) transceiver.removed = true;
    sender.track = null;
  }

  async setLocalDescription(description?: RTCSessionDescriptionInit) {
    const type = description?.type ?? (this.signalingState === "have-remote-offer" ? "answer" : "offer");
    this.signalingState = type === "offer" ? "have-local-offer" : "stable";
    const sdp = `fake ${type}`;
    this.localDescription = { type, sdp, toJSON: () => ({ type, sdp }) };
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit) {
    // An offer in have-local-offer rolls ours back first, as browsers do.
    this.signalingState = description.type === "offer" ? "have-remote-offer" : "stable";
  }

  async addIceCandidate(candidate: RTCIceCandidateInit | null) {
    this.candidates.push(candidate);
  }

  restartIce() {}

  async getStats() {
    return new Map();
  }

  close() {
    this.closed = true;
    this.signalingState = "closed";
  }

  private add(kind: string, track: MediaStreamTrack | null, direction: RTCRtpTransceiverDirection, streams: MediaStream[]) {
    const transceiver: FakeTransceiver = {
      kind,
      direction,
      streams,
      sender: new FakeSender(track),
      removed: false,
      stopped: false,
      stop() {
        transceiver.stopped = true;
        transceiver.direction = "stopped";
        transceiver.sender.track = null;
      },
    };
    this.transceivers.push(transceiver);
    return transceiver;
  }
}

/** Puts the fakes in place of the browser's WebSocket, MediaStream and RTCPeerConnection for
 * each test of a file, fresh every time. */
export function installFakeBrowserMedia(cleanup: () => void = () => undefined): void {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    FakePeerConnection.instances = [];
    vi.stubGlobal("WebSocket", FakeWebSocket);
    vi.stubGlobal("MediaStream", FakeMediaStream);
    vi.stubGlobal("RTCPeerConnection", FakePeerConnection);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    cleanup();
  });
}
