import { describe, expect, it, vi } from "vitest";
import { fakeTrack, installFakeBrowserMedia } from "../../../../test/mediaFakes";
import { FakeJanus, publisher, sfuGrant, type FakeHandle } from "../../testing/fakeJanus";
import { SfuMedia } from "./sfuMedia";

installFakeBrowserMedia();

function setup() {
  const janus = new FakeJanus();
  const requestGrant = vi.fn();
  const tracks = { audio: fakeTrack("audio"), video: fakeTrack("video") };
  const sending: Record<"audio" | "video", MediaStreamTrack | null> = { ...tracks };
  const sfu = new SfuMedia({
    selfId: "me",
    display: "Ada",
    rtcConfig: { iceServers: [{ urls: ["turn:10.203.0.1:3478"], username: "u", credential: "c" }], iceTransportPolicy: "relay" },
    media: { track: (kind) => tracks[kind], outgoing: (kind) => sending[kind] },
    requestGrant,
    onChange: () => undefined,
    connect: janus.connect,
  });
  return { janus, sfu, requestGrant, tracks, sending };
}

/** Lets the session take its grant, join (Janus answers with `publishers`) and publish. */
async function connect(sfu: SfuMedia, janus: FakeJanus, publishers: object[], grant = sfuGrant()) {
  const before = janus.connections.length;
  sfu.useGrant(grant, true);
  await vi.waitFor(() => expect(janus.connections[before]?.handles[0]?.requests("join")).toHaveLength(1));
  const connection = janus.connections[before];
  const camera = connection.handles[0];
  camera.emit({ videoroom: "joined", room: grant.room, id: grant.publisher_id, private_id: 7, publishers });
  await vi.waitFor(() => expect(sfu.status).toBe("connected"));
  return { connection, camera, subscriber: connection.handles[1] as FakeHandle | undefined };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const sendersOf = (handle: FakeHandle) => Object.fromEntries(handle.transceivers.map((t) => [t.mid, t.sender]));

describe("SfuMedia", () => {
  it("joins with the grant, publishes microphone at mid 0 and simulcast camera at mid 1, and subscribes to the others once", async () => {
    const { janus, sfu, tracks } = setup();
    const { connection, camera, subscriber } = await connect(sfu, janus, [publisher("bo"), publisher("me:screen", ["video"]), publisher("cy:screen", ["video"])]);

    expect(connection.options).toMatchObject({
      server: "ws://10.203.0.1:8188/",
      token: "janus-token",
      rtcConfig: { iceTransportPolicy: "relay", iceServers: [{ urls: ["turn:10.203.0.1:3478"], username: "u", credential: "c" }] },
    });
    expect(camera.requests("join")).toEqual([
      { request: "join", ptype: "publisher", room: "meeting-1", pin: "room-pin", token: "room-token", id: "me", display: "Ada" },
    ]);
    expect(camera.offers).toEqual([
      [
        { type: "audio", capture: tracks.audio, recv: false, dontStop: true },
        { type: "video", capture: tracks.video, recv: false, simulcast: true, dontStop: true },
      ],
    ]);
    expect(camera.sent.find((entry) => entry.message.request === "publish")?.jsep).toEqual({ type: "offer", sdp: "our offer 1" });
    // Our own screen feed is not subscribed to.
    expect(subscriber?.requests("join")).toEqual([
      {
        request: "join",
        ptype: "subscriber",
        room: "meeting-1",
        pin: "room-pin",
        token: "room-token",
        private_id: 7,
        use_msid: true,
        // Few others: camera video in the high simulcast layer (screens are not simulcast).
        streams: [
          { feed: "bo", mid: "0" },
          { feed: "bo", mid: "1", substream: 2 },
          { feed: "cy:screen", mid: "0" },
        ],
      },
    ]);
    sfu.close();
  });

  it("answers Janus's offers, subscribes to newcomers and unsubscribes whoever leaves or unpublishes", async () => {
    const { janus, sfu } = setup();
    const { camera, subscriber } = await connect(sfu, janus, [publisher("bo")]);
    if (!subscriber) throw new Error("no subscription");
    subscriber.emit(
      { videoroom: "attached", streams: [{ mid: "0", feed_id: "bo", type: "audio" }, { mid: "1", feed_id: "bo", type: "video" }] },
      { type: "offer", sdp: "janus offer" },
    );
    await vi.waitFor(() => expect(subscriber.requests("start")).toHaveLength(1));
    expect(subscriber.answered).toEqual([{ type: "offer", sdp: "janus offer" }]);
    expect(subscriber.sent.at(-1)?.jsep).toEqual({ type: "answer", sdp: "our answer" });

    const boAudio = fakeTrack("audio");
    const boVideo = fakeTrack("video");
    subscriber.events.onRemoteTrack?.(boVideo, "1", true);
    subscriber.events.onRemoteTrack?.(boAudio, "0", true);
    const boMedia = sfu.remoteMedia().get("bo");
    expect(boMedia?.camera?.getTracks()).toEqual([boAudio, boVideo]);
    expect(boMedia?.screen).toBeNull();

    camera.emit({ videoroom: "event", publishers: [publisher("cy"), publisher("bo:screen", ["video"])] });
    await vi.waitFor(() => expect(subscriber.requests("update")).toHaveLength(1));
    expect(subscriber.requests("update")[0]).toEqual({
      request: "update",
      subscribe: [
        { feed: "cy", mid: "0" },
        { feed: "cy", mid: "1", substream: 2 },
        { feed: "bo:screen", mid: "0" },
      ],
    });
    subscriber.emit({
      videoroom: "updated",
      streams: [
        { mid: "0", feed_id: "bo", type: "audio" },
        { mid: "1", feed_id: "bo", type: "video" },
        { mid: "2", feed_id: "cy", type: "audio" },
        { mid: "3", feed_id: "cy", type: "video" },
        { mid: "4", feed_id: "bo:screen", type: "video" },
      ],
    });
    const boScreen = fakeTrack("video");
    subscriber.events.onRemoteTrack?.(boScreen, "4", true);
    expect(sfu.remoteMedia().get("bo")?.screen?.getTracks()).toEqual([boScreen]);
    // The camera stream is the same object while its tracks are (no needless video reloads).
    expect(sfu.remoteMedia().get("bo")?.camera).toBe(boMedia?.camera);

    // One update at a time: the next goes once Janus answered the last.
    camera.emit({ videoroom: "event", unpublished: "bo:screen" });
    await vi.waitFor(() => expect(subscriber.requests("update")).toHaveLength(2));
    camera.emit({ videoroom: "event", leaving: "cy" });
    await settle();
    expect(subscriber.requests("update")).toHaveLength(2);
    subscriber.emit({ videoroom: "updated" });
    await vi.waitFor(() => expect(subscriber.requests("update")).toHaveLength(3));
    expect(subscriber.requests("update").slice(1)).toEqual([
      { request: "update", unsubscribe: [{ feed: "bo:screen" }] },
      { request: "update", unsubscribe: [{ feed: "cy" }] },
    ]);
    expect(sfu.remoteMedia().get("bo")?.screen).toBeNull();
    subscriber.emit({ videoroom: "updated" });

    // Leaving the meeting (room socket) unsubscribes both of that person's feeds; repeats change nothing.
    sfu.removeParticipant("bo");
    camera.emit({ videoroom: "event", leaving: "bo" });
    await vi.waitFor(() => expect(subscriber.requests("update")).toHaveLength(4));
    expect(subscriber.requests("update")[3]).toEqual({ request: "update", unsubscribe: [{ feed: "bo" }] });
    expect(sfu.remoteMedia().has("bo")).toBe(false);
    sfu.close();
  });

  it("makes no subscription while nobody else publishes, and one for the first who does", async () => {
    const { janus, sfu } = setup();
    const { connection, camera } = await connect(sfu, janus, []);
    expect(connection.handles).toHaveLength(1);
    camera.emit({ videoroom: "event", publishers: [publisher("bo")] });
    await vi.waitFor(() => expect(connection.handles[1]?.requests("join")).toHaveLength(1));
    expect(connection.handles[1].requests("join")[0].streams).toEqual([
      { feed: "bo", mid: "0" },
      { feed: "bo", mid: "1", substream: 2 },
    ]);
    sfu.close();
  });

  it("turns the microphone and camera off and on through the same senders, without renegotiating", async () => {
    const { janus, sfu, tracks } = setup();
    const { camera } = await connect(sfu, janus, []);
    const senders = sendersOf(camera);
    sfu.setOutgoingTrack("audio", null);
    sfu.setOutgoingTrack("video", null);
    await vi.waitFor(() => expect(senders["1"].track).toBeNull());
    expect(senders["0"].track).toBeNull();
    sfu.setOutgoingTrack("audio", tracks.audio);
    await vi.waitFor(() => expect(senders["0"].track).toBe(tracks.audio));
    expect(camera.offers).toHaveLength(1);
    expect(camera.requests("publish")).toHaveLength(1);
    sfu.close();
  });

  it("publishes an empty slot for a missing camera, keeping the microphone at mid 0, and sends nothing for a device that is off", async () => {
    const janus = new FakeJanus();
    const audio = fakeTrack("audio");
    const sfu = new SfuMedia({
      selfId: "me",
      display: "Ada",
      rtcConfig: { iceServers: [] },
      media: { track: (kind) => (kind === "audio" ? audio : null), outgoing: () => null },
      requestGrant: () => undefined,
      onChange: () => undefined,
      connect: janus.connect,
    });
    const { camera } = await connect(sfu, janus, []);
    expect(camera.offers[0]).toEqual([
      { type: "audio", capture: audio, recv: false, dontStop: true },
      { type: "video", capture: false, recv: true },
    ]);
    // The microphone is off: its sender is emptied once published.
    await vi.waitFor(() => expect(sendersOf(camera)["0"].track).toBeNull());
    sfu.close();
  });

  it("shares the screen as its own publisher and takes it down when sharing stops", async () => {
    const { janus, sfu } = setup();
    const { connection } = await connect(sfu, janus, []);
    const screenTrack = fakeTrack("video");
    sfu.startScreen(screenTrack);
    await vi.waitFor(() => expect(connection.handles[1]?.requests("join")).toHaveLength(1));
    const screen = connection.handles[1];
    expect(screen.requests("join")[0]).toMatchObject({ ptype: "publisher", id: "me:screen", display: "Ada (screen)", token: "room-token" });
    screen.emit({ videoroom: "joined", id: "me:screen", private_id: 8, publishers: [] });
    await vi.waitFor(() => expect(screen.requests("publish")).toHaveLength(1));
    expect(screen.offers).toEqual([[{ type: "video", capture: screenTrack, recv: false, dontStop: true }]]);
    sfu.stopScreen();
    expect(screen.detached).toBe(true);
    sfu.close();
  });

  it("says it is reconnecting when Janus drops, asks for a grant until one comes, and connects with it", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { janus, sfu, requestGrant } = setup();
    const { connection } = await connect(sfu, janus, [publisher("bo")]);
    connection.lose();
    expect(sfu.status).toBe("reconnecting");
    expect(connection.destroyed).toBe(true);
    expect(sfu.remoteMedia().size).toBe(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(requestGrant).toHaveBeenCalledTimes(1);
    // No answer (or sfu_unavailable): it asks again, less often each time.
    sfu.grantRefused();
    await vi.advanceTimersByTimeAsync(1000);
    expect(requestGrant).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(requestGrant).toHaveBeenCalledTimes(3);

    const moved = sfuGrant({ server_url: "ws://10.203.0.1:8189/", token: "other-token" });
    sfu.useGrant(moved, false);
    await vi.waitFor(() => expect(janus.connections).toHaveLength(2));
    expect(janus.latest().options).toMatchObject({ server: "ws://10.203.0.1:8189/", token: "other-token" });
    await vi.waitFor(() => expect(janus.latest().handles[0]?.requests("join")).toHaveLength(1));
    janus.latest().handles[0].emit({ videoroom: "joined", id: "me", private_id: 9, publishers: [publisher("bo")] });
    await vi.waitFor(() => expect(sfu.status).toBe("connected"));
    expect(janus.latest().handles[1].requests("join")[0].streams).toEqual([
      { feed: "bo", mid: "0" },
      { feed: "bo", mid: "1", substream: 2 },
    ]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(requestGrant).toHaveBeenCalledTimes(3);
    sfu.close();
  });

  it("moves to another media node when an sfu message names one, and stays for the same room", async () => {
    const { janus, sfu } = setup();
    const { connection } = await connect(sfu, janus, []);
    sfu.useGrant(sfuGrant({ token: "renewed" }), false);
    expect(janus.connections).toHaveLength(1);
    expect(connection.destroyed).toBe(false);

    await connect(sfu, janus, [], sfuGrant({ server_url: "wss://media-2.example.com/" }));
    expect(connection.destroyed).toBe(true);
    expect(janus.latest().options.server).toBe("wss://media-2.example.com/");
    sfu.close();
    expect(janus.latest().destroyed).toBe(true);
  });

  it("rates whoever Janus says is talking as the loudest, with received audio levels by mid", async () => {
    const { janus, sfu } = setup();
    const { camera, subscriber } = await connect(sfu, janus, [publisher("bo"), publisher("cy")]);
    if (!subscriber) throw new Error("no subscription");
    subscriber.emit({
      videoroom: "attached",
      streams: [
        { mid: "0", feed_id: "bo", type: "audio" },
        { mid: "2", feed_id: "cy", type: "audio" },
      ],
    });
    subscriber.stats = [
      { type: "inbound-rtp", kind: "audio", mid: "0", audioLevel: 0.2 },
      { type: "inbound-rtp", kind: "audio", mid: "2", audioLevel: 0.01 },
    ];
    camera.emit({ videoroom: "talking", id: "me" });
    expect(await sfu.audioLevels()).toEqual(new Map([["bo", 0.2], ["cy", 0.01], ["me", 1]]));
    camera.emit({ videoroom: "stopped-talking", id: "me" });
    expect((await sfu.audioLevels()).has("me")).toBe(false);
    sfu.close();
  });
});

/** Janus's answer to the subscription join: the layout (our mid → feed and its mid) and an offer. */
function attach(subscriber: FakeHandle, layout: [mid: string, feed: string, feedMid: string, type: "audio" | "video"][]) {
  subscriber.emit(
    { videoroom: "attached", streams: layout.map(([mid, feed, feedMid, type]) => ({ mid, feed_id: feed, feed_mid: feedMid, type, active: true })) },
    { type: "offer", sdp: "janus offer" },
  );
}

describe("SfuMedia with a changing room", () => {
  it("unsubscribes a kicked publisher (no unpublished follows) and subscribes again when it comes back", async () => {
    const { janus, sfu } = setup();
    const { camera, subscriber } = await connect(sfu, janus, [publisher("bo")]);
    if (!subscriber) throw new Error("no subscription");
    attach(subscriber, [["0", "bo", "0", "audio"], ["1", "bo", "1", "video"]]);
    await vi.waitFor(() => expect(subscriber.requests("start")).toHaveLength(1));
    subscriber.events.onRemoteTrack?.(fakeTrack("audio"), "0", true);
    expect(sfu.remoteMedia().has("bo")).toBe(true);

    // The server kicked Bo's old feeds: Bo's room socket reconnected.
    camera.emit({ videoroom: "event", room: "meeting-1", kicked: "bo" });
    await vi.waitFor(() => expect(subscriber.requests("update")).toEqual([{ request: "update", unsubscribe: [{ feed: "bo" }] }]));
    expect(sfu.remoteMedia().has("bo")).toBe(false);
    subscriber.emit({ videoroom: "updated", streams: [] });

    camera.emit({ videoroom: "event", publishers: [publisher("bo")] });
    await vi.waitFor(() => expect(subscriber.requests("update")).toHaveLength(2));
    expect(subscriber.requests("update")[1]).toEqual({
      request: "update",
      subscribe: [
        { feed: "bo", mid: "0" },
        { feed: "bo", mid: "1", substream: 2 },
      ],
    });
    sfu.close();
  });

  it("sends a camera that was missing at join by renegotiating its m-line (mid 1) with configure", async () => {
    const janus = new FakeJanus();
    const audio = fakeTrack("audio");
    const tracks: Record<"audio" | "video", MediaStreamTrack | null> = { audio, video: null };
    const sfu = new SfuMedia({
      selfId: "me",
      display: "Ada",
      rtcConfig: { iceServers: [] },
      media: { track: (kind) => tracks[kind], outgoing: (kind) => tracks[kind] },
      requestGrant: () => undefined,
      onChange: () => undefined,
      connect: janus.connect,
    });
    const { camera } = await connect(sfu, janus, []);
    expect(camera.transceivers.map((t) => [t.mid, t.direction])).toEqual([["0", "sendonly"], ["1", "recvonly"]]);

    const video = fakeTrack("video");
    tracks.video = video;
    sfu.setOutgoingTrack("video", video);
    // The next offer waits for Janus's answer to the last.
    await settle();
    expect(camera.offers).toHaveLength(1);
    camera.emit({ videoroom: "event", configured: "ok" }, { type: "answer", sdp: "janus answer 1" });
    await vi.waitFor(() => expect(camera.requests("configure")).toHaveLength(1));
    expect(camera.offers[1]).toEqual([{ type: "video", mid: "1", capture: video, replace: true, recv: false, dontStop: true }]);
    expect(camera.sent.at(-1)).toEqual({ message: { request: "configure" }, jsep: { type: "offer", sdp: "our offer 2" } });
    expect(camera.transceivers.map((t) => [t.mid, t.direction, t.sender.track])).toEqual([
      ["0", "sendonly", audio],
      ["1", "sendonly", video],
    ]);
    camera.emit({ videoroom: "event", configured: "ok" }, { type: "answer", sdp: "janus answer 2" });
    await vi.waitFor(() => expect(camera.remoteJseps).toHaveLength(2));

    // Sending now: off and on again swap the track, without another offer.
    sfu.setOutgoingTrack("video", null);
    sfu.setOutgoingTrack("video", video);
    await vi.waitFor(() => expect(sendersOf(camera)["1"].replaced.slice(-2)).toEqual([null, video]));
    expect(camera.offers).toHaveLength(2);
    sfu.close();
  });

  it("keeps the last change when a device goes off while its m-line is being renegotiated", async () => {
    const janus = new FakeJanus();
    const sfu = new SfuMedia({
      selfId: "me",
      display: "Ada",
      rtcConfig: { iceServers: [] },
      media: { track: () => null, outgoing: () => null },
      requestGrant: () => undefined,
      onChange: () => undefined,
      connect: janus.connect,
    });
    const { camera } = await connect(sfu, janus, []);
    camera.emit({ videoroom: "event", configured: "ok" }, { type: "answer", sdp: "janus answer 1" });
    const mic = fakeTrack("audio");
    sfu.setOutgoingTrack("audio", mic);
    sfu.setOutgoingTrack("audio", null);
    await vi.waitFor(() => expect(camera.requests("configure")).toHaveLength(1));
    await vi.waitFor(() => expect(sendersOf(camera)["0"].track).toBeNull());
    expect(camera.offers[1]).toEqual([{ type: "audio", mid: "0", capture: mic, replace: true, recv: false, dontStop: true }]);
    sfu.close();
  });

  it("reconnects through a new grant when Janus takes our own publisher out (kicked)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { janus, sfu, requestGrant } = setup();
    const { connection, camera } = await connect(sfu, janus, [publisher("bo")]);
    camera.emit({ videoroom: "event", room: "meeting-1", leaving: "ok", reason: "kicked" });
    expect(sfu.status).toBe("reconnecting");
    expect(connection.destroyed).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(requestGrant).toHaveBeenCalledTimes(1);

    // The subscription goes with the new publisher's private id (require_pvtid).
    sfu.useGrant(sfuGrant({ token: "renewed" }), false);
    await vi.waitFor(() => expect(janus.connections[1]?.handles[0]?.requests("join")).toHaveLength(1));
    janus.latest().handles[0].emit({ videoroom: "joined", id: "me", private_id: 42, publishers: [publisher("bo")] });
    await vi.waitFor(() => expect(janus.latest().handles[1]?.requests("join")).toHaveLength(1));
    expect(janus.latest().handles[1].requests("join")[0]).toMatchObject({ ptype: "subscriber", private_id: 42 });
    sfu.close();
  });

  it("makes no subscription without our publisher's private id, and asks for a grant again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { janus, sfu, requestGrant } = setup();
    sfu.useGrant(sfuGrant(), true);
    await vi.waitFor(() => expect(janus.connections[0]?.handles[0]?.requests("join")).toHaveLength(1));
    janus.latest().handles[0].emit({ videoroom: "joined", id: "me", publishers: [publisher("bo")] });
    await vi.waitFor(() => expect(janus.latest().destroyed).toBe(true));
    expect(janus.latest().handles).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(requestGrant).toHaveBeenCalledTimes(1);
    sfu.close();
  });

  it("asks again for the other feeds of an update Janus refused for one missing feed", async () => {
    const { janus, sfu } = setup();
    const { camera, subscriber } = await connect(sfu, janus, [publisher("bo")]);
    if (!subscriber) throw new Error("no subscription");
    attach(subscriber, [["0", "bo", "0", "audio"], ["1", "bo", "1", "video"]]);
    await vi.waitFor(() => expect(subscriber.requests("start")).toHaveLength(1));

    camera.emit({ videoroom: "event", publishers: [publisher("cy"), publisher("dy", ["audio"])] });
    await vi.waitFor(() => expect(subscriber.requests("update")).toHaveLength(1));
    // Dy left before Janus got to the update (its leaving event is still to come): all of it refused.
    subscriber.emit({ videoroom: "event", error_code: 428, error: "No such feed (dy)" });
    await vi.waitFor(() => expect(subscriber.requests("update")).toHaveLength(2));
    expect(subscriber.requests("update")[1]).toEqual({
      request: "update",
      subscribe: [
        { feed: "cy", mid: "0" },
        { feed: "cy", mid: "1", substream: 2 },
      ],
    });
    sfu.close();
  });

  it("takes camera video in the low layer, and the active speaker's in the high one, once there are more than two others", async () => {
    const { janus, sfu } = setup();
    const { subscriber } = await connect(sfu, janus, [publisher("bo"), publisher("cy"), publisher("dy"), publisher("bo:screen", ["video"])]);
    if (!subscriber) throw new Error("no subscription");
    expect(subscriber.requests("join")[0].streams).toEqual([
      { feed: "bo", mid: "0" },
      { feed: "bo", mid: "1", substream: 0 },
      { feed: "cy", mid: "0" },
      { feed: "cy", mid: "1", substream: 0 },
      { feed: "dy", mid: "0" },
      { feed: "dy", mid: "1", substream: 0 },
      { feed: "bo:screen", mid: "0" },
    ]);
    attach(subscriber, [
      ["0", "bo", "0", "audio"],
      ["1", "bo", "1", "video"],
      ["2", "cy", "0", "audio"],
      ["3", "cy", "1", "video"],
      ["4", "dy", "0", "audio"],
      ["5", "dy", "1", "video"],
      ["6", "bo:screen", "0", "video"],
    ]);
    await vi.waitFor(() => expect(subscriber.requests("start")).toHaveLength(1));
    expect(subscriber.requests("configure")).toEqual([]);

    sfu.setSpeaker("cy");
    expect(subscriber.requests("configure")).toEqual([{ request: "configure", streams: [{ mid: "3", substream: 2 }] }]);
    // Nobody speaking, or ourselves: the last speaker stays big.
    sfu.setSpeaker(null);
    sfu.setSpeaker("me");
    sfu.setSpeaker("bo");
    expect(subscriber.requests("configure").slice(1)).toEqual([
      {
        request: "configure",
        streams: [
          { mid: "1", substream: 2 },
          { mid: "3", substream: 0 },
        ],
      },
    ]);

    // Two others left: both big.
    sfu.removeParticipant("dy");
    expect(subscriber.requests("configure").slice(2)).toEqual([{ request: "configure", streams: [{ mid: "3", substream: 2 }] }]);
    sfu.close();
  });

  it("connects to Janus with the TURN servers of the grant when it has them, keeping the transport policy", async () => {
    const { janus, sfu } = setup();
    const fresh = { urls: ["turn:10.203.0.1:3478?transport=tcp"], username: "1700000000:me", credential: "new" };
    await connect(sfu, janus, [], sfuGrant({ ice_servers: [fresh] }));
    expect(janus.latest().options.rtcConfig).toEqual({ iceServers: [fresh], iceTransportPolicy: "relay" });
    sfu.close();
  });
});
