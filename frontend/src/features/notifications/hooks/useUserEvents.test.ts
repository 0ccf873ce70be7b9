import { renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../../../test/mediaFakes";
import { useUserEvents } from "./useUserEvents";

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function setup(isSignedIn?: () => Promise<boolean>) {
  const onEvent = vi.fn();
  const onOpen = vi.fn();
  const hook = renderHook(() =>
    useUserEvents({ onEvent, onOpen, isSignedIn, createWebSocket: (url) => new FakeWebSocket(url) as unknown as WebSocket }),
  );
  return { onEvent, onOpen, hook };
}

describe("useUserEvents", () => {
  it("reports every open, the first too, and reconnects with growing delays, so missed events are read again", () => {
    const { onEvent, onOpen } = setup();
    expect(onOpen).not.toHaveBeenCalled();
    FakeWebSocket.latest().open();
    expect(onOpen).toHaveBeenCalledTimes(1); // what changed while the page loaded was missed
    FakeWebSocket.latest().receive({ type: "notification", unread: 1 });
    expect(onEvent).toHaveBeenCalledWith({ type: "notification", unread: 1 });

    FakeWebSocket.latest().drop(1006);
    vi.advanceTimersByTime(999);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.latest().drop(1006); // failed before opening: wait longer
    vi.advanceTimersByTime(1_999);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(3);

    FakeWebSocket.latest().open();
    expect(onOpen).toHaveBeenCalledTimes(2);
  });

  it("after a few drops that never opened, stops if a session check says we are signed out", async () => {
    const isSignedIn = vi.fn(async () => false);
    setup(isSignedIn);
    for (const wait of [1_000, 2_000]) {
      FakeWebSocket.latest().drop(1006);
      await vi.advanceTimersByTimeAsync(wait);
    }
    expect(FakeWebSocket.instances).toHaveLength(3);
    expect(isSignedIn).not.toHaveBeenCalled();
    FakeWebSocket.latest().drop(1006);
    expect(isSignedIn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(3);
  });

  it("keeps retrying when the session check says signed in, or cannot tell", async () => {
    const isSignedIn = vi.fn().mockResolvedValueOnce(true).mockRejectedValueOnce(new Error("offline"));
    setup(isSignedIn);
    for (const wait of [1_000, 2_000, 5_000, 10_000, 30_000, 30_000]) {
      FakeWebSocket.latest().drop(1006);
      await vi.advanceTimersByTimeAsync(wait);
    }
    expect(isSignedIn).toHaveBeenCalledTimes(2);
    expect(FakeWebSocket.instances).toHaveLength(7);
  });

  it("stops when the server says we are not signed in, and closes on unmount", () => {
    const first = setup();
    FakeWebSocket.latest().drop(4401);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    first.hook.unmount();

    setup().hook.unmount();
    expect(FakeWebSocket.latest().closedWith).toBe(1000);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });
});
