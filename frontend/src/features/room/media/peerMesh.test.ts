import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakePeerConnection, fakeStream, fakeTrack } from "../../../test/mediaFakes";
import type { SignalData } from "../types";
import { PeerMesh, splitRemoteStreams } from "./peerMesh";

function setup(selfId: string) {
  const signals: { to: string; data: SignalData }[] = [];
  const cameraStream = fakeStream();
  const mesh = new PeerMesh({
    selfId,
    rtcConfig: { iceServers: [{ urls: ["stun:stun.example.org"] }], iceTransportPolicy: "relay" },
    cameraStream,
    sendSignal: (to, data) => signals.push({ to, data }),
    onChange: () => undefined,
    createPeerConnection: (config) => new FakePeerConnection(config) as unknown as RTCPeerConnection,
  });
  const pcs = () => FakePeerConnection.instances;
  const negotiate = async (pc: FakePeerConnection) => {
    pc.onnegotiationneeded?.();
    await vi.waitFor(() => expect(pc.signalingState).toBe("have-local-offer"));
  };
  return { mesh, signals, cameraStream, pcs, negotiate };
}

const offer: SignalData = { description: { type: "offer", sdp: "their offer" } };

beforeEach(() => {
  FakePeerConnection.instances = [];
});

afterEach(() => {
  vi.useRealTimers();
});

describe("PeerMesh", () => {
  it("keeps exactly one connection per participant, also for signals from someone not seen yet", async () => {
    const { mesh, pcs } = setup("m");
    mesh.ensurePeer("a");
    mesh.ensurePeer("a");
    mesh.ensurePeer("m");
    await mesh.handleSignal("z", { candidate: { candidate: "candidate:1", sdpMid: "0" } });
    await mesh.handleSignal("a", { candidate: null });
    expect(pcs()).toHaveLength(2);
    expect(pcs()[0].config).toEqual({ iceServers: [{ urls: ["stun:stun.example.org"] }], iceTransportPolicy: "relay" });
    expect(pcs()[1].candidates).toEqual([{ candidate: "candidate:1", sdpMid: "0" }]);
    mesh.close();
  });

  it("sends the microphone and keeps a camera slot to fill later; off means no track at all", () => {
    const { mesh, pcs, cameraStream } = setup("m");
    const mic = fakeTrack("audio");
    mesh.setOutgoingTrack("audio", mic);
    mesh.ensurePeer("a");
    const [audio, video] = pcs()[0].transceivers;
    expect([audio.kind, audio.sender.track, audio.streams]).toEqual(["audio", mic, [cameraStream]]);
    expect([video.kind, video.sender.track, video.direction, video.streams]).toEqual(["video", null, "sendrecv", [cameraStream]]);

    mesh.setOutgoingTrack("audio", null);
    const camera = fakeTrack("video");
    mesh.setOutgoingTrack("video", camera);
    expect(audio.sender.replaced).toEqual([null]);
    expect(video.sender.replaced).toEqual([camera]);
    mesh.close();
  });

  it("answers a colliding offer when polite (smaller id)", async () => {
    const { mesh, pcs, signals, negotiate } = setup("a");
    mesh.ensurePeer("b");
    await negotiate(pcs()[0]);
    await mesh.handleSignal("b", offer);
    expect(signals.map(({ data }) => ("description" in data ? data.description.type : "candidate"))).toEqual(["offer", "answer"]);
    mesh.close();
  });

  it("ignores a colliding offer when impolite (larger id)", async () => {
    const { mesh, pcs, signals, negotiate } = setup("b");
    mesh.ensurePeer("a");
    await negotiate(pcs()[0]);
    await mesh.handleSignal("a", offer);
    expect(signals.map(({ data }) => ("description" in data ? data.description.type : "candidate"))).toEqual(["offer"]);
    expect(pcs()[0].signalingState).toBe("have-local-offer");
    mesh.close();
  });

  it("offers again when no answer comes (it was lost while the other side reconnected)", async () => {
    vi.useFakeTimers();
    const { mesh, pcs, signals } = setup("a");
    mesh.ensurePeer("b");
    pcs()[0].onnegotiationneeded?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(signals).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(6000);
    expect(signals).toHaveLength(2);
    await mesh.handleSignal("b", { description: { type: "answer", sdp: "their answer" } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(signals).toHaveLength(2);
    mesh.close();
  });

  it("shares the screen as its own stream to everyone, and stops it", () => {
    const { mesh, pcs } = setup("m");
    mesh.ensurePeer("a");
    const screenTrack = fakeTrack("video");
    const screen = fakeStream([screenTrack]);
    mesh.startScreen(screenTrack, screen);
    mesh.ensurePeer("b");
    for (const pc of pcs()) {
      const shared = pc.transceivers.find((t) => t.sender.track === screenTrack);
      expect(shared).toMatchObject({ direction: "sendonly", streams: [screen] });
    }
    mesh.stopScreen();
    for (const pc of pcs()) {
      expect(pc.transceivers.filter((t) => t.stopped)).toHaveLength(1);
      expect(pc.getTransceivers().map((t) => t.kind)).toEqual(["audio", "video"]);
    }
    mesh.close();
  });

  it("leaves no slots behind after sharing the screen again and again", () => {
    const { mesh, pcs } = setup("m");
    mesh.ensurePeer("a");
    for (let round = 0; round < 3; round++) {
      const screenTrack = fakeTrack("video");
      mesh.startScreen(screenTrack, fakeStream([screenTrack]));
      mesh.stopScreen();
    }
    // Stopped transceivers are gone after the next negotiation; only the camera's and microphone's stay.
    expect(pcs()[0].getTransceivers()).toHaveLength(2);
    expect(pcs()[0].transceivers.filter((t) => t.stopped)).toHaveLength(3);
    mesh.close();
  });

  it("closes the connection of a participant who left", () => {
    const { mesh, pcs } = setup("m");
    mesh.ensurePeer("a");
    mesh.ensurePeer("b");
    mesh.keepOnly(["b"]);
    expect(pcs().map((pc) => pc.closed)).toEqual([true, false]);
    mesh.removePeer("b");
    expect(pcs()[1].closed).toBe(true);
    mesh.close();
  });
});

describe("splitRemoteStreams", () => {
  it("tells the camera (with the microphone) from the screen", () => {
    const camera = fakeStream([fakeTrack("audio"), fakeTrack("video")]);
    const screen = fakeStream([fakeTrack("video")]);
    expect(splitRemoteStreams([screen, camera])).toEqual({ camera, screen });
    expect(splitRemoteStreams([camera])).toEqual({ camera, screen: null });
    expect(splitRemoteStreams([])).toEqual({ camera: null, screen: null });
  });
});
