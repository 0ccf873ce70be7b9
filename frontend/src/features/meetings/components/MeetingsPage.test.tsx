import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { authenticated, mockFetch } from "../../../test/server";
import { installFakeMedia, removeFakeMedia } from "../../../test/fakeDevices";

// The pre-join page opens after some of these steps; give it a camera and keep the room out.
vi.mock("../../room/components/MeetingRoom", () => ({ MeetingRoom: () => null }));
beforeEach(() => installFakeMedia());
afterEach(() => {
  vi.unstubAllGlobals();
  removeFakeMedia();
});

const path = (request: Request) => new URL(request.url).pathname;
const ME = { status: 200, body: { email: "ada@example.com", full_name: "Ada Lovelace", display_name: "Ada", timezone: "Asia/Kolkata" } };

const meeting = (n: number, overrides: Record<string, unknown> = {}) => ({
  id: `id-${n}`, code: "abcd-efgh-jkmn", join_url: "https://meet.example.com/m/abcd-efgh-jkmn", kind: "scheduled", status: "scheduled",
  title: `Meeting ${n}`, description: "", host: { id: "u1", name: "Ada" }, is_host: true,
  starts_at: "2030-01-15T04:30:00Z", ends_at: "2030-01-15T05:30:00Z", timezone: "Asia/Kolkata", started_at: null, ended_at: null,
  has_passcode: false, passcode: null, waiting_room_enabled: true, guests_allowed: true, recording_allowed: false,
  max_participants: 6, is_locked: false, media_mode: "p2p", invitees: [], created_at: "2030-01-01T00:00:00Z", ...overrides,
});

/** Answers the session, the profile and the lists; `more` handles anything else. */
function server(lists: Record<string, (offset: number) => { items: unknown[]; count: number }>, more: (r: Request) => { status: number; body?: unknown } | undefined = () => undefined) {
  return mockFetch((request) => {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/auth/session")) return authenticated();
    if (url.pathname === "/api/v1/me") return ME;
    if (url.pathname === "/api/v1/meetings" && request.method === "GET") {
      return { status: 200, body: lists[url.searchParams.get("scope")!](Number(url.searchParams.get("offset"))) };
    }
    return more(request);
  });
}

// A page of 50 meetings and a dialog of many fields are slow in jsdom (fast in a browser).
describe("meetings page", { timeout: 30_000 }, () => {
  it("lists upcoming meetings and loads more", async () => {
    const seen = server({
      upcoming: (offset) => ({ items: offset === 0 ? Array.from({ length: 50 }, (_, n) => meeting(n)) : [meeting(50, { status: "live", is_host: false, host: { id: "u2", name: "Grace" }, timezone: "Europe/London", passcode: null })], count: 51 }),
    });
    renderApp("/meetings");
    const user = userEvent.setup();

    expect(await screen.findByText("Showing 50 of 51", {}, { timeout: 10_000 })).toBeInTheDocument();
    // Role queries over 50 items are slow in jsdom: find the items by their titles.
    const first = screen.getByText("Meeting 0").closest("li")!;
    expect(first).toHaveAccessibleName("Meeting 0");
    expect(first).toHaveTextContent(/Jan 15, 2030, 10:00\s*–\s*11:00\sAM/);
    expect(first).toHaveTextContent("Scheduled");
    expect(first).toHaveTextContent("Host: Ada (you)");
    expect(within(first).getByRole("link", { name: "Join" })).toHaveAttribute("href", "/m/abcd-efgh-jkmn");
    expect(within(first).getByRole("button", { name: "Cancel meeting" })).toBeInTheDocument();

    await user.click(screen.getByText("Load more"));

    const last = (await screen.findByText("Meeting 50", {}, { timeout: 10_000 })).closest("li")!;
    expect(last).toHaveTextContent("Live");
    expect(last).toHaveTextContent("Host: Grace");
    expect(last).toHaveTextContent("4:30 – 5:30 AM (Europe/London)"); // the meeting's own zone, as it differs from the user's
    expect(within(last).queryByRole("button", { name: "End meeting" })).not.toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText("Load more")).not.toBeInTheDocument());
    expect(seen.filter((r) => path(r) === "/api/v1/meetings").map((r) => new URL(r.url).search)).toEqual([
      "?scope=upcoming&limit=50&offset=0",
      "?scope=upcoming&limit=50&offset=50",
    ]);
  });

  it("shows empty states, and the past tab", async () => {
    server({ upcoming: () => ({ items: [], count: 0 }), past: () => ({ items: [meeting(1, { status: "ended" })], count: 1 }) });
    renderApp("/meetings");
    const user = userEvent.setup();

    expect(await screen.findByText("No upcoming meetings. Start one now or schedule one.")).toBeInTheDocument();
    await user.click(screen.getByRole("tab", { name: "Past" }));
    const item = await screen.findByRole("listitem", { name: "Meeting 1" });
    expect(item).toHaveTextContent("Ended");
    expect(within(item).queryByRole("link", { name: "Join" })).not.toBeInTheDocument();
  });

  it("copies the host's link with the passcode, and cancels after asking", async () => {
    let cancelled = false;
    const seen = server(
      { upcoming: () => ({ items: [meeting(1, { passcode: "ab12", has_passcode: true, status: cancelled ? "cancelled" : "scheduled" })], count: 1 }) },
      (request) => (path(request).endsWith("/cancel") ? ((cancelled = true), { status: 200, body: meeting(1, { status: "cancelled" }) }) : undefined),
    );
    renderApp("/meetings");
    const user = userEvent.setup();

    const item = await screen.findByRole("listitem", { name: "Meeting 1" });
    await user.click(within(item).getByRole("button", { name: "Copy meeting link" }));
    expect(await navigator.clipboard.readText()).toBe("https://meet.example.com/m/abcd-efgh-jkmn#p=ab12");
    expect(await screen.findByText("Meeting link copied")).toBeInTheDocument();

    await user.click(within(item).getByRole("button", { name: "Cancel meeting" }));
    const dialog = screen.getByRole("dialog", { name: "Cancel this meeting?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel meeting" }));

    await waitFor(() => expect(screen.getByRole("listitem", { name: "Meeting 1" })).toHaveTextContent("Cancelled"));
    expect(seen.filter((r) => r.method === "POST").map(path)).toEqual(["/api/v1/meetings/abcd-efgh-jkmn/cancel"]);
  });

  it("starts an instant meeting and opens it", async () => {
    const seen = server({ upcoming: () => ({ items: [], count: 0 }) }, (request) =>
      request.method === "POST" && path(request) === "/api/v1/meetings" ? { status: 201, body: meeting(1, { kind: "instant", status: "live", code: "pqrs-tuvw-xyz2" }) } : undefined,
    );
    const router = renderApp("/meetings");
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "New meeting" }));
    await user.click(screen.getByRole("menuitem", { name: "Start an instant meeting" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/m/pqrs-tuvw-xyz2"));
    expect(await seen.find((r) => r.method === "POST")!.json()).toEqual({ kind: "instant" });
  });

  // Role queries walk the time zone list's hundreds of options: slow in jsdom, so fields go by label.
  it("schedules at a time in the user's zone, and shows field errors from the API", async () => {
    let attempts = 0;
    const seen = server({ upcoming: () => ({ items: [], count: 0 }) }, (request) => {
      if (request.method !== "POST" || path(request) !== "/api/v1/meetings") return undefined;
      attempts += 1;
      if (attempts === 1) return { status: 400, body: { code: "invalid_input", message: "The meeting must end after it starts.", detail: [{ loc: ["ends_at"], msg: "The meeting must end after it starts." }] } };
      return { status: 201, body: meeting(1, { title: "Planning", passcode: "ab12", has_passcode: true }) };
    });
    renderApp("/meetings");
    const user = userEvent.setup();
    await screen.findByText("No upcoming meetings. Start one now or schedule one.");

    await user.click(screen.getByRole("button", { name: "New meeting" }));
    await user.click(screen.getByRole("menuitem", { name: "Schedule a meeting" }));
    const dialog = screen.getByRole("dialog", { name: "Schedule a meeting" });
    expect(within(dialog).getByLabelText("Time zone")).toHaveValue("Asia/Kolkata");
    await user.type(within(dialog).getByLabelText("Title"), "Planning");
    for (const [label, value] of [["Date", "2030-01-15"], ["Start time", "10:00"], ["End time", "11:00"]]) {
      const field = within(dialog).getByLabelText(label);
      await user.clear(field);
      await user.type(field, value);
    }
    await user.click(within(dialog).getByLabelText("Invitees"));
    await user.paste("grace@example.com, alan@example.com\nedsger@example.com");
    const recording = within(dialog).getByLabelText("Allow recording");
    expect(recording).toHaveAttribute("role", "switch");
    const transcribe = within(dialog).getByRole("switch", { name: "Transcribe recordings" });
    expect(transcribe).toBeDisabled(); // a transcript is made from a recording
    await user.click(recording);
    expect(transcribe).toBeEnabled();
    expect(transcribe).not.toBeChecked();
    await user.click(transcribe);
    await user.type(within(dialog).getByLabelText("Passcode"), "ab12{Enter}");

    expect(await within(dialog).findByText("The meeting must end after it starts.")).toBeInTheDocument();
    expect(within(dialog).getByLabelText("End time")).toHaveAttribute("aria-invalid", "true");
    expect(within(dialog).getByText("Schedule")).toHaveAttribute("type", "submit");
    await user.keyboard("{Enter}");

    expect(await screen.findByText("Meeting scheduled")).toBeInTheDocument();
    expect(screen.getByText("https://meet.example.com/m/abcd-efgh-jkmn#p=ab12")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Copy meeting link" })).toBeInTheDocument();
    const body = await seen.filter((r) => r.method === "POST").at(-1)!.json();
    expect(body).toEqual({
      kind: "scheduled", title: "Planning", description: "", timezone: "Asia/Kolkata",
      starts_at: "2030-01-15T04:30:00.000Z", ends_at: "2030-01-15T05:30:00.000Z",
      invitees: ["grace@example.com", "alan@example.com", "edsger@example.com"].map((email) => ({ email, name: "" })),
      passcode: "ab12", waiting_room_enabled: true, guests_allowed: true, recording_allowed: true,
      transcription_enabled: true, recurrence: null,
    });
  });

  it.each([
    ["abcdefghjkmn", "/m/abcd-efgh-jkmn", ""],
    ["https://meet.example.com/m/abcd-efgh-jkmn#p=ab12", "/m/abcd-efgh-jkmn", "#p=ab12"],
  ])("joins by code or link: %s", async (input, pathname, hash) => {
    server({ upcoming: () => ({ items: [], count: 0 }) }, (request) => (path(request).endsWith("/join") ? { status: 404, body: {} } : undefined));
    const router = renderApp("/meetings");
    const user = userEvent.setup();

    await user.click(await screen.findByRole("textbox", { name: "Meeting code or link" }));
    await user.paste(input);
    await user.keyboard("{Enter}");

    await waitFor(() => expect(router.state.location.pathname).toBe(pathname));
    expect(router.state.location.hash).toBe(hash);
  });

  it("says when the input is not a code or link", async () => {
    server({ upcoming: () => ({ items: [], count: 0 }) });
    const router = renderApp("/meetings");
    const user = userEvent.setup();

    await user.type(await screen.findByRole("textbox", { name: "Meeting code or link" }), "hello");
    await user.click(screen.getByRole("button", { name: "Join" }));

    expect(screen.getByText("Enter a code like abcd-efgh-jkmn, or paste a meeting link.")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/meetings");
  });
});
