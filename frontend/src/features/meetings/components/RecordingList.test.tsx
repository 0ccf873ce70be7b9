import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { authenticated, mockFetch } from "../../../test/server";
import type { Recording } from "../recordingsApi";
import { RECORDINGS_POLL_MS } from "./RecordingList";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const ME = { status: 200, body: { email: "ada@example.com", full_name: "Ada Lovelace", display_name: "Ada", timezone: "Asia/Kolkata" } };

const recording = (id: string, overrides: Partial<Recording> = {}): Recording => ({
  id,
  meeting_code: "abcd-efgh-jkmn",
  meeting_title: "Standup",
  status: "ready",
  started_at: "2030-01-15T04:30:00Z",
  stopped_at: "2030-01-15T04:31:05Z",
  duration_sec: 65,
  size_bytes: 1000,
  progress: 100,
  error: "",
  mime_type: "video/mp4",
  ...overrides,
});

const page = (items: Recording[]) => ({ status: 200, body: { items, count: items.length } });

/** The session, the profile, and `handle` for the rest. */
function server(handle: (request: Request, url: URL) => { status: number; body?: unknown } | undefined) {
  return mockFetch((request) => {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/auth/session")) return authenticated();
    if (url.pathname === "/api/v1/me") return ME;
    if (url.pathname === "/api/v1/meetings") return page([]);
    return handle(request, url);
  });
}

async function openRecordingsTab({ fakeTimers = false } = {}) {
  renderApp("/meetings");
  const user = userEvent.setup(fakeTimers ? { advanceTimers: vi.advanceTimersByTime } : {});
  await user.click(await screen.findByRole("tab", { name: "Recordings" }));
  return user;
}

describe("recordings", { timeout: 30_000 }, () => {
  it("shows processing progress, reads the list again until it is done, then offers play and download", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let reads = 0;
    const seen = server((request, url) => {
      if (url.pathname === "/api/v1/recordings") {
        reads++;
        return page([reads === 1 ? recording("r1", { status: "processing", progress: 40, duration_sec: null }) : recording("r1")]);
      }
      if (url.pathname === "/api/v1/recordings/r1/download-url" && request.method === "POST") {
        return { status: 200, body: { url: "http://localhost:3000/api/v1/files/signed/tok", expires_at: "2030-01-15T05:00:00Z" } };
      }
    });
    const user = await openRecordingsTab({ fakeTimers: true });

    const list = await screen.findByRole("list", { name: "Recordings" });
    const item = within(list).getByRole("listitem", { name: /^Standup, Jan 15, 2030/ });
    expect(item).toHaveTextContent("Processing 40%");
    expect(within(item).getByRole("progressbar", { name: "Processing progress" })).toHaveAttribute("aria-valuenow", "40");
    expect(within(item).queryByRole("button", { name: "Play" })).not.toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(RECORDINGS_POLL_MS));
    expect(await within(item).findByText("Ready · 1:05")).toBeInTheDocument();
    expect(within(item).queryByRole("progressbar")).not.toBeInTheDocument();
    expect(within(item).getByRole("button", { name: "Download" })).toBeInTheDocument();

    await user.click(within(item).getByRole("button", { name: "Play" }));
    const player = await within(item).findByLabelText("Recording player");
    expect(player).toHaveAttribute("src", "http://localhost:3000/api/v1/files/signed/tok");
    await user.click(within(item).getByRole("button", { name: "Hide player" }));
    expect(within(item).queryByLabelText("Recording player")).not.toBeInTheDocument();

    // Done: no more reading again.
    const readsWhenDone = reads;
    await act(() => vi.advanceTimersByTimeAsync(RECORDINGS_POLL_MS * 3));
    expect(reads).toBe(readsWhenDone);
    expect(seen.filter((r) => r.method === "POST").map((r) => new URL(r.url).pathname)).toEqual(["/api/v1/recordings/r1/download-url"]);
  });

  it("does not read the list again while the tab is hidden, and reads it at once when it shows again", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let visibility: DocumentVisibilityState = "visible";
    const visibilityState = vi.spyOn(document, "visibilityState", "get").mockImplementation(() => visibility);
    let reads = 0;
    server((_request, url) => {
      if (url.pathname === "/api/v1/recordings") {
        reads++;
        return page([recording("r1", { status: "processing", progress: 40, duration_sec: null })]);
      }
    });
    try {
      await openRecordingsTab({ fakeTimers: true });
      await screen.findByRole("list", { name: "Recordings" });
      await act(() => vi.advanceTimersByTimeAsync(RECORDINGS_POLL_MS));
      await waitFor(() => expect(reads).toBe(2));

      visibility = "hidden";
      document.dispatchEvent(new Event("visibilitychange"));
      await act(() => vi.advanceTimersByTimeAsync(RECORDINGS_POLL_MS * 3));
      expect(reads).toBe(2);

      visibility = "visible";
      act(() => {
        document.dispatchEvent(new Event("visibilitychange"));
      });
      await waitFor(() => expect(reads).toBe(3));
    } finally {
      visibilityState.mockRestore();
    }
  });

  it("deletes a recording only after confirming, then shows the empty list", async () => {
    let deleted = false;
    const seen = server((request, url) => {
      if (url.pathname === "/api/v1/recordings") return page(deleted ? [] : [recording("r2", { status: "failed", error: "No media was recorded" })]);
      if (url.pathname === "/api/v1/recordings/r2" && request.method === "DELETE") {
        deleted = true;
        return { status: 204 };
      }
    });
    const user = await openRecordingsTab();
    const item = await screen.findByRole("listitem", { name: /^Standup/ });
    expect(item).toHaveTextContent("Failed: No media was recorded");

    await user.click(within(item).getByRole("button", { name: "Delete recording" }));
    let dialog = screen.getByRole("dialog", { name: "Delete this recording?" });
    await user.click(within(dialog).getByRole("button", { name: "Keep recording" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(seen.some((r) => r.method === "DELETE")).toBe(false);

    await user.click(within(item).getByRole("button", { name: "Delete recording" }));
    dialog = screen.getByRole("dialog", { name: "Delete this recording?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText("No recordings yet.")).toBeInTheDocument();
    expect(seen.filter((r) => r.method === "DELETE").map((r) => new URL(r.url).pathname)).toEqual(["/api/v1/recordings/r2"]);
  });

  it("keeps a recording whose deletion the server refused, and says why", async () => {
    server((request, url) => {
      if (url.pathname === "/api/v1/recordings") return page([recording("r3")]);
      if (request.method === "DELETE") return { status: 404, body: { code: "not_found", message: "No such recording.", detail: null } };
    });
    const user = await openRecordingsTab();
    const item = await screen.findByRole("listitem", { name: /^Standup/ });
    await user.click(within(item).getByRole("button", { name: "Delete recording" }));
    const dialog = screen.getByRole("dialog", { name: "Delete this recording?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete" }));
    expect(await within(dialog).findByText("No such recording.")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Keep recording" }));
    expect(await screen.findByRole("listitem", { name: /^Standup/ })).toBeInTheDocument();
  });

  it("lists one meeting's recordings from its place in the past meetings, for its host", async () => {
    const seen = mockFetch((request) => {
      const url = new URL(request.url);
      if (url.pathname.endsWith("/auth/session")) return authenticated();
      if (url.pathname === "/api/v1/me") return ME;
      if (url.pathname === "/api/v1/meetings") {
        const meeting = (code: string, title: string, recording_allowed: boolean) => ({
          id: code, code, join_url: "", kind: "instant", status: "ended", title, description: "", host: { id: "u1", name: "Ada" },
          is_host: true, starts_at: null, ends_at: null, timezone: "Asia/Kolkata", started_at: "2030-01-15T04:30:00Z",
          ended_at: "2030-01-15T05:30:00Z", has_passcode: false, passcode: null, waiting_room_enabled: false, guests_allowed: false,
          recording_allowed, max_participants: 6, is_locked: false, media_mode: "sfu", invitees: [], created_at: "2030-01-01T00:00:00Z",
        });
        return page([meeting("aaaa-bbbb-cccc", "Recorded", true), meeting("dddd-eeee-ffff", "Not recorded", false)] as unknown as Recording[]);
      }
      if (url.pathname === "/api/v1/meetings/aaaa-bbbb-cccc/recordings") return page([]);
    });
    renderApp("/meetings");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("tab", { name: "Past" }));
    const recorded = await screen.findByRole("listitem", { name: "Recorded" });
    expect(within(screen.getByRole("listitem", { name: "Not recorded" })).queryByRole("button", { name: "Recordings" })).not.toBeInTheDocument();

    await user.click(within(recorded).getByRole("button", { name: "Recordings" }));
    const dialog = screen.getByRole("dialog", { name: "Recordings of Recorded" });
    expect(await within(dialog).findByText("No recordings of this meeting.")).toBeInTheDocument();
    expect(seen.some((r) => new URL(r.url).pathname === "/api/v1/meetings/aaaa-bbbb-cccc/recordings")).toBe(true);
    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });
});
