import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { mockFetch } from "../../../test/server";
import type { Rsvp } from "../api";

afterEach(() => vi.unstubAllGlobals());

/** The first render of the app is slow on a busy machine: more than findBy's 1 s. */
const WAIT = { timeout: 5_000 };

const TOKEN = "eyJpIjoiMSJ9:1tX:sig";
const state = (current: string, answer = ""): Rsvp => ({
  meeting_title: "Weekly stand-up",
  host_name: "Ada Lovelace",
  starts_at: "2030-01-14T09:00:00Z",
  ends_at: "2030-01-14T09:30:00Z",
  timezone: "Asia/Kolkata",
  recurrence_text: "Weekly on Monday, until 31 Jan 2030",
  answer,
  current,
});

function rsvpServer(get: () => { status: number; body?: unknown }) {
  let current = "pending";
  return mockFetch((request) => {
    const url = new URL(request.url);
    if (url.pathname !== `/api/v1/rsvp/${encodeURIComponent(TOKEN)}`) return undefined;
    if (request.method === "POST") {
      current = "accepted";
      return { status: 200, body: state(current, "accepted") };
    }
    const reply = get();
    return reply.status === 200 ? { status: 200, body: state(current, url.searchParams.get("answer") ?? "") } : reply;
  });
}

describe("RSVP page", () => {
  it("shows the meeting with the link's answer chosen, and records it only on Confirm", async () => {
    const seen = rsvpServer(() => ({ status: 200 }));
    renderApp(`/rsvp/${TOKEN}?answer=accepted`);
    const user = userEvent.setup();

    expect(await screen.findByRole("heading", { name: "Weekly stand-up" }, WAIT)).toBeInTheDocument();
    expect(screen.getByText("Ada Lovelace invited you.")).toBeInTheDocument();
    expect(screen.getByText("Weekly on Monday, until 31 Jan 2030")).toBeInTheDocument();
    expect(screen.getByText(/in the meeting's time zone \(Asia\/Kolkata\)/)).toHaveTextContent(/2:30/);
    expect(screen.getByRole("button", { name: "Yes" })).toHaveAttribute("aria-pressed", "true");
    // Opening the link (as a mail scanner would) answered nothing.
    expect(seen.map((r) => r.method)).toEqual(["GET"]);
    expect(new URL(seen[0].url).search).toBe("?answer=accepted");

    await user.click(screen.getByRole("button", { name: "Confirm" }));

    expect(await screen.findByText("You said yes: the host knows you are coming.")).toBeInTheDocument();
    const post = seen.find((r) => r.method === "POST")!;
    expect(await post.json()).toEqual({ answer: "accepted" });
  });

  it("lets the person pick another answer before confirming", async () => {
    const seen = rsvpServer(() => ({ status: 200 }));
    renderApp(`/rsvp/${TOKEN}?answer=accepted`);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Maybe" }, WAIT));
    await user.click(screen.getByRole("button", { name: "Confirm" }));
    await waitFor(() => expect(seen.filter((r) => r.method === "POST")).toHaveLength(1));
    expect(await seen.find((r) => r.method === "POST")!.json()).toEqual({ answer: "tentative" });
  });

  it.each([
    [{ status: 400, body: { code: "invalid_input", message: "This link has expired.", detail: null } }, "This link has expired."],
    [{ status: 400, body: { code: "invalid_input", message: "This link is not valid.", detail: null } }, "This link is not valid."],
    [{ status: 404, body: { code: "not_found", message: "You are no longer invited to this meeting.", detail: null } },
      "You are no longer invited to this meeting."],
  ])("explains a link that does not work (%#)", async (reply, message) => {
    const seen = rsvpServer(() => reply);
    renderApp(`/rsvp/${TOKEN}?answer=declined`);
    expect(await screen.findByRole("heading", { name: "This invitation link does not work" }, WAIT)).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent(message);
    expect(screen.queryByRole("button", { name: "Confirm" })).not.toBeInTheDocument();
    expect(seen.map((r) => r.method)).toEqual(["GET"]);
  });

  it("ignores an answer the link should not carry", async () => {
    const seen = rsvpServer(() => ({ status: 200 }));
    renderApp(`/rsvp/${TOKEN}?answer=maybe-not`);
    expect(await screen.findByRole("button", { name: "Confirm" }, WAIT)).toBeDisabled();
    expect(new URL(seen[0].url).search).toBe("");
  });
});
