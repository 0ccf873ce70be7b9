import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../../../test/mediaFakes";
import { mockFetch } from "../../../test/server";
import { notification } from "../testing/fixtures";
import { UNREAD_KEY } from "../queryKeys";
import { useLiveNotifications, useUnreadCount } from "./useNotifications";

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.stubGlobal("WebSocket", FakeWebSocket);
});
afterEach(() => vi.unstubAllGlobals());

function setup() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
  const hook = renderHook(
    () => {
      useLiveNotifications();
      return useUnreadCount(); // watched, as the bell does
    },
    { wrapper },
  );
  return Object.assign(queryClient, { hook });
}

const live = (event: string, unread: number) => ({ type: "notification", notification: { ...notification(9), event }, unread });

describe("live notifications", () => {
  it.each(["invitation", "meeting_updated", "meeting_cancelled", "rsvp_received"])(
    "a %s notification refreshes the meeting views",
    async (event) => {
      mockFetch(() => ({ status: 200, body: { count: 0 } }));
      const queryClient = setup();
      queryClient.setQueryData(["meetings", "list", "upcoming"], { items: [] });
      FakeWebSocket.latest().open();
      FakeWebSocket.latest().receive(live(event, 1));
      await waitFor(() => expect(queryClient.getQueryState(["meetings", "list", "upcoming"])?.isInvalidated).toBe(true));
    },
  );

  it("other notifications leave the meeting views alone", async () => {
    mockFetch(() => ({ status: 200, body: { count: 0 } }));
    const queryClient = setup();
    queryClient.setQueryData(["meetings", "list", "upcoming"], { items: [] });
    FakeWebSocket.latest().open();
    FakeWebSocket.latest().receive(live("waiting_room", 1));
    await waitFor(() => expect(queryClient.getQueryData(UNREAD_KEY)).toEqual({ count: 1 }));
    expect(queryClient.getQueryState(["meetings", "list", "upcoming"])?.isInvalidated).toBe(false);
  });

  it("reads the count again when the socket first opens (events before it were missed)", async () => {
    let count = 1;
    const seen = mockFetch(() => ({ status: 200, body: { count: count++ } }));
    const { hook } = setup();
    await waitFor(() => expect(hook.result.current.data).toBe(1));
    FakeWebSocket.latest().open();
    await waitFor(() => expect(hook.result.current.data).toBe(2));
    expect(seen.map((r) => new URL(r.url).pathname)).toEqual(["/api/v1/notifications/unread-count", "/api/v1/notifications/unread-count"]);
  });

  it("a live count wins over an older count still being read", async () => {
    // The count read on load is slow to answer; meanwhile a notification brings a newer one.
    let answer: (value: Response) => void = () => undefined;
    vi.stubGlobal("fetch", vi.fn(() => new Promise<Response>((resolve) => (answer = resolve))));
    const { hook } = setup();
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    FakeWebSocket.latest().receive(live("waiting_room", 5));
    await waitFor(() => expect(hook.result.current.data).toBe(5));
    answer(new Response(JSON.stringify({ count: 2 }), { headers: { "Content-Type": "application/json" } }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hook.result.current.data).toBe(5);
  });
});
