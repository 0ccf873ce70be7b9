import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { authenticated, mockFetch } from "../../../test/server";
import { occurrence } from "../../calendar/testing/fixtures";

afterEach(() => vi.unstubAllGlobals());

const ME = { status: 200, body: { email: "ada@example.com", display_name: "Ada", timezone: "Asia/Kolkata" } };
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function server(occurrences: unknown[], past: unknown[] = []) {
  return mockFetch((request) => {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/auth/session")) return authenticated();
    if (url.pathname === "/api/v1/me") return ME;
    if (url.pathname === "/api/v1/calendar/occurrences") return { status: 200, body: occurrences };
    if (url.pathname === "/api/v1/meetings") return { status: 200, body: { items: past, count: past.length } };
  });
}

describe("dashboard", { timeout: 20_000 }, () => {
  it("is the signed-in home, with the next 7 days and Join open only from 10 minutes before", async () => {
    const now = Date.now();
    const soon = occurrence({ id: "a:1", title: "Starts in 5 minutes", starts_at: iso(now + 5 * MINUTE), ends_at: iso(now + 35 * MINUTE), is_recurring: false });
    const later = occurrence({ id: "b:1", title: "Starts in an hour", starts_at: iso(now + 60 * MINUTE), ends_at: iso(now + 90 * MINUTE), meeting_code: "pqrs-tuvw-xyz2", join_path: "/m/pqrs-tuvw-xyz2" });
    const seen = server([soon, later]);
    renderApp("/");

    // The first render of the whole app is slow in jsdom.
    const upcoming = await screen.findByRole("list", { name: "Upcoming meetings" }, { timeout: 10_000 });
    const [first, second] = within(upcoming).getAllByRole("listitem");
    expect(within(first).getByRole("link", { name: "Join" })).toHaveAttribute("href", "/m/abcd-efgh-jkmn");
    expect(within(second).getByRole("button", { name: "Join" })).toBeDisabled();
    expect(within(second).getByText("Join opens 10 minutes before")).toBeInTheDocument();
    // Times in my zone (Kolkata), with the meeting's own (London) alongside.
    expect(within(second).getByText(/in Europe\/London\)/)).toBeInTheDocument();

    const range = new URL(seen.find((r) => r.url.includes("/calendar/occurrences"))!.url).searchParams;
    // From a day back (a live meeting running over stays listed) to a week ahead.
    expect(Date.parse(range.get("end")!) - Date.parse(range.get("start")!)).toBe(8 * 24 * 60 * MINUTE);
    const recent = new URL(seen.find((r) => new URL(r.url).pathname === "/api/v1/meetings")!.url).searchParams;
    expect(Object.fromEntries(recent)).toEqual({ scope: "past", limit: "5", offset: "0" });
    expect(await screen.findByText("No past meetings yet.")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Home" })).toBeInTheDocument();
  });

  it("says when the week is empty, and offers the quick actions", async () => {
    server([]);
    renderApp("/dashboard");
    expect(await screen.findByText("Nothing in the next 7 days.", {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "New meeting" })).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Meeting code or link" })).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: "Schedule" }));
    expect(screen.getByRole("dialog", { name: "Schedule a meeting" })).toBeInTheDocument();
  });
});
