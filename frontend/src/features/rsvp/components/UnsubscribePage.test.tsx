import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { mockFetch } from "../../../test/server";

afterEach(() => vi.unstubAllGlobals());

/** The first render of the app is slow on a busy machine: more than findBy's 1 s. */
const WAIT = { timeout: 5_000 };

describe("unsubscribe page", () => {
  it("says which emails stop and stops them only on the button", async () => {
    const seen = mockFetch((request) =>
      new URL(request.url).pathname === "/api/v1/notifications/unsubscribe/tok-1"
        ? { status: 200, body: { event: "meeting_reminder", label: "Meeting reminders" } }
        : undefined,
    );
    renderApp("/unsubscribe/tok-1");
    const user = userEvent.setup();

    expect(await screen.findByText("Stop emails about: Meeting reminders. Other notifications are not changed.", {}, WAIT)).toBeInTheDocument();
    expect(seen.map((r) => r.method)).toEqual(["GET"]);
    await user.click(screen.getByRole("button", { name: "Unsubscribe" }));

    expect(await screen.findByText("You will no longer get emails about: Meeting reminders.")).toBeInTheDocument();
    expect(seen.map((r) => r.method)).toEqual(["GET", "POST"]);
  });

  it("explains a link that does not work", async () => {
    mockFetch(() => ({ status: 400, body: { code: "invalid_input", message: "This link is not valid.", detail: null } }));
    renderApp("/unsubscribe/bad");
    expect(await screen.findByRole("heading", { name: "This unsubscribe link does not work" }, WAIT)).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("This link is not valid.");
  });
});
