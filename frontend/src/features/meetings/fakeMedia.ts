// Test doubles for the camera and microphone: jsdom has no MediaStream or mediaDevices.
import { vi } from "vitest";

export class FakeTrack {
  enabled = true;
  readyState: MediaStreamTrackState = "live";
  constructor(readonly kind: "audio" | "video", readonly deviceId: string) {}
  stop() {
    this.readyState = "ended";
  }
  getSettings() {
    return { deviceId: this.deviceId };
  }
}

export class FakeMediaStream {
  constructor(private readonly tracks: FakeTrack[] = []) {}
  getTracks() {
    return this.tracks;
  }
  getAudioTracks() {
    return this.tracks.filter((track) => track.kind === "audio");
  }
  getVideoTracks() {
    return this.tracks.filter((track) => track.kind === "video");
  }
}

const DEVICES = [
  { deviceId: "cam-1", kind: "videoinput", label: "Front camera", groupId: "" },
  { deviceId: "cam-2", kind: "videoinput", label: "USB camera", groupId: "" },
  { deviceId: "mic-1", kind: "audioinput", label: "Built-in microphone", groupId: "" },
];

type Constraint = boolean | { deviceId: { exact: string } } | undefined;
const deviceOf = (constraint: Constraint, fallback: string) => (typeof constraint === "object" ? constraint.deviceId.exact : fallback);

/** A camera and a microphone that open at once; pass `refuse` to make getUserMedia fail with that error name. */
export function installFakeMedia({ refuse }: { refuse?: string } = {}) {
  const getUserMedia = vi.fn(async ({ audio, video }: { audio?: Constraint; video?: Constraint }) => {
    if (refuse) throw new DOMException("refused", refuse);
    const tracks = [
      ...(audio ? [new FakeTrack("audio", deviceOf(audio, "mic-1"))] : []),
      ...(video ? [new FakeTrack("video", deviceOf(video, "cam-1"))] : []),
    ];
    return new FakeMediaStream(tracks);
  });
  const mediaDevices = Object.assign(new EventTarget(), { getUserMedia, enumerateDevices: vi.fn(async () => DEVICES) });
  vi.stubGlobal("MediaStream", FakeMediaStream);
  Object.defineProperty(navigator, "mediaDevices", { value: mediaDevices, configurable: true });
  return { getUserMedia };
}

export function removeFakeMedia() {
  Reflect.deleteProperty(navigator, "mediaDevices");
}
