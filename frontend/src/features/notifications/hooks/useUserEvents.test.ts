import { renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../../../test/mediaFakes";
import { useUserEvents } from "./useUserEvents";

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function setup() {
  const onEvent = vi.fn();
  const onReconnect = vi.fn();
  const hook = renderHook(() =>
    useUserEvents({ onEvent, onReconnect, createWebSocket: (url) => new FakeWebSocket(url) as unknown as WebSocket }),
  );
  return { onEvent, onReconnect, hook };
}

describe("useUserEvents", () => {
  it("reconnects with growing delays and reports the reconnect so missed events are read again", () => {
    const { onEvent, onReconnect } = setup();
    FakeWebSocket.latest().open();
    FakeWebSocket.latest().receive({ type: "notification", unread: 1 });
    expect(onEvent).toHaveBeenCalledWith({ type: "notification", unread: 1 });
    expect(onReconnect).not.toHaveBeenCalled();

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
    expect(onReconnect).toHaveBeenCalledTimes(1);
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
