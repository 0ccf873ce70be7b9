import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeConnection, sfuGrant } from "../../testing/fakeJanus";
import { RoomPublisher } from "./roomPublisher";

/** Node's process (the tests run in Node; the app's types are the browser's). */
type Listener = (reason: unknown) => void;
const node = (globalThis as unknown as { process: { on: (event: string, f: Listener) => void; off: (event: string, f: Listener) => void } })
  .process;

describe("RoomPublisher", () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  afterEach(() => {
    node.off("unhandledRejection", onRejection);
    rejections.length = 0;
  });

  it("fails its join when the join request cannot be sent, leaving no promise rejected unhandled", async () => {
    node.on("unhandledRejection", onRejection);
    const connection = new FakeConnection({ server: "ws://10.203.0.1:8188/", token: "t", rtcConfig: {}, onLost: () => undefined });
    connection.failing.add("join");
    const onFailed = vi.fn();
    const camera = new RoomPublisher({ connection, grant: sfuGrant(), publisherId: "me", display: "Ada", onFailed });

    await expect(camera.join()).rejects.toThrow("Lost connection to the server");
    camera.close();
    // Unhandled rejections are reported after the microtasks of the task that made them.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(rejections).toEqual([]);
    expect(connection.handles[0].detached).toBe(true);
  });

  it("keeps an answer-less renegotiation from blocking once the publisher is closed", async () => {
    const connection = new FakeConnection({ server: "ws://10.203.0.1:8188/", token: "t", rtcConfig: {}, onLost: () => undefined });
    const camera = new RoomPublisher({ connection, grant: sfuGrant(), publisherId: "me", display: "Ada", onFailed: () => undefined });
    const joined = camera.join();
    await vi.waitFor(() => expect(connection.handles[0]?.requests("join")).toHaveLength(1));
    connection.handles[0].emit({ videoroom: "joined", id: "me", private_id: 3, publishers: [] });
    await joined;
    await camera.publish([{ type: "audio", capture: false, recv: true }]);
    // Filling the empty slot waits for the answer to the publish offer, which never comes.
    const change = camera.replaceTrack("0", { kind: "audio", id: "mic" } as MediaStreamTrack);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(connection.handles[0].offers).toHaveLength(1);
    camera.close();
    await expect(change).rejects.toThrow("not joined");
  });
});
