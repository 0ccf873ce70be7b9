import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../test/server";
import { occurrence } from "../calendar/testing/fixtures";
import { MEETINGS_KEY } from "../meetings/queryKeys";
import { recentQuery, upcomingQuery } from "./queries";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const MINUTE = 60_000;
const NOW = Date.parse("2027-03-22T20:15:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

function server() {
  return mockFetch((request) => {
    const url = new URL(request.url);
    if (url.pathname === "/api/v1/calendar/occurrences") {
      return {
        status: 200,
        body: [
          occurrence({ id: "over:1", title: "Over", is_recurring: false }), // 19:00–19:30
          occurrence({ id: "late:1", title: "Running over", is_recurring: false, status: "live" }),
          occurrence({ id: "next:1", title: "Next", starts_at: iso(NOW + 30 * MINUTE), ends_at: iso(NOW + 60 * MINUTE) }),
        ],
      };
    }
    if (url.pathname === "/api/v1/meetings") return { status: 200, body: { items: [], count: 0 } };
  });
}

const calls = (seen: Request[], path: string) => seen.filter((request) => new URL(request.url).pathname === path);

describe("dashboard queries", () => {
  it("refresh every minute and whenever MEETINGS_KEY is invalidated (a live notification)", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout", "setInterval", "clearInterval"], now: NOW });
    const seen = server();
    const client = new QueryClient();
    const observers = [new QueryObserver(client, upcomingQuery), new QueryObserver(client, recentQuery)];
    const stop = observers.map((observer) => observer.subscribe(() => {}));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls(seen, "/api/v1/calendar/occurrences")).toHaveLength(1);
    expect(calls(seen, "/api/v1/meetings")).toHaveLength(1);

    await client.invalidateQueries({ queryKey: MEETINGS_KEY });
    expect(calls(seen, "/api/v1/calendar/occurrences")).toHaveLength(2);
    expect(calls(seen, "/api/v1/meetings")).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(60_000);
    const windows = calls(seen, "/api/v1/calendar/occurrences").map((request) => new URL(request.url).searchParams.get("start"));
    expect(windows).toHaveLength(3);
    // The window moves on with the clock.
    expect(Date.parse(windows[2]!) - Date.parse(windows[0]!)).toBe(60_000);
    expect(calls(seen, "/api/v1/meetings")).toHaveLength(3);
    stop.forEach((unsubscribe) => unsubscribe());
  });

  it("keep a live one-off meeting running past its end, and drop what is over", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const seen = server();
    const upcoming = await new QueryClient().fetchQuery(upcomingQuery);
    expect(upcoming.map((item) => item.title)).toEqual(["Running over", "Next"]);
    const range = new URL(seen[0].url).searchParams;
    expect([range.get("start"), range.get("end")]).toEqual([iso(NOW - 24 * 60 * MINUTE), iso(NOW + 7 * 24 * 60 * MINUTE)]);
  });
});
