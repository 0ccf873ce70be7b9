// A camera and a microphone for pages that pick devices: jsdom has no mediaDevices.
import { vi } from "vitest";
import { FakeMediaStream, fakeTrack } from "./mediaFakes";

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
      ...(audio ? [fakeTrack("audio", deviceOf(audio, "mic-1"))] : []),
      ...(video ? [fakeTrack("video", deviceOf(video, "cam-1"))] : []),
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
