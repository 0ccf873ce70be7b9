import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../../test/server";
import { preferences, renderWithQuery } from "../testing/fixtures";
import { CalendarFeedSection } from "./CalendarFeedSection";
import { PreferencesSection } from "./PreferencesSection";
import { PushSection } from "./PushSection";

afterEach(() => vi.unstubAllGlobals());

const inactiveFeed = { status: 200, body: { active: false, created_at: null, webcal_url: null, https_url: null } };
const madeFeed = {
  status: 200,
  body: { active: true, created_at: "2030-01-01T00:00:00Z", webcal_url: "webcal://meet.example/api/v1/calendar/feed/t1.ics",
    https_url: "https://meet.example/api/v1/calendar/feed/t1.ics" },
};

// MUI's Select and dialogs under userEvent take seconds each on a busy 2-core machine: a limit, not a speed check.
const SLOW = { timeout: 60_000 };

describe("notification settings", () => {
  it("saves the event x channel matrix and the reminder time in one PUT", SLOW, async () => {
    const seen = mockFetch((request) =>
      new URL(request.url).pathname === "/api/v1/notifications/preferences" ? { status: 200, body: preferences() } : undefined,
    );
    renderWithQuery(<PreferencesSection />);
    const user = userEvent.setup();

    expect(await screen.findByLabelText("Meeting invitation: Email")).toBeChecked();
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    await user.click(screen.getByLabelText("Meeting invitation: SMS"));
    await user.click(screen.getByLabelText("Meeting reminder: Push"));
    await user.click(screen.getByRole("combobox", { name: "Meeting reminders" }));
    await user.click(screen.getByRole("option", { name: "30 minutes before" }));
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("Notification settings saved")).toBeInTheDocument();
    const puts = seen.filter((r) => r.method === "PUT");
    expect(puts).toHaveLength(1);
    expect(await puts[0].json()).toEqual({
      reminder_minutes: 30,
      events: [
        { event: "invitation", channels: { email: true, sms: true, push: false, inapp: true } },
        { event: "meeting_reminder", channels: { email: true, sms: false, push: false, inapp: true } },
      ],
    });
  });

  it("says when this browser has no Push API instead of offering a button that cannot work", async () => {
    renderWithQuery(<PushSection />);
    expect(await screen.findByText("This browser cannot show notifications from websites.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Enable browser notifications" })).not.toBeInTheDocument();
  });

  it("shows the calendar feed URL once when made, and regenerates or turns it off after confirmation", SLOW, async () => {
    let active = false;
    const seen = mockFetch((request) => {
      if (new URL(request.url).pathname !== "/api/v1/calendar/feed") return undefined;
      if (request.method === "POST") {
        active = true;
        return madeFeed;
      }
      if (request.method === "DELETE") {
        active = false;
        return { status: 204 };
      }
      return active ? { status: 200, body: { ...madeFeed.body, webcal_url: null, https_url: null } } : inactiveFeed;
    });
    renderWithQuery(<CalendarFeedSection />);
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Create calendar link" }));

    expect(await screen.findByLabelText("Calendar link (webcal)")).toHaveValue(madeFeed.body.webcal_url);
    expect(screen.getByLabelText("Calendar link (https)")).toHaveValue(madeFeed.body.https_url);
    expect(screen.getByRole("link", { name: "Subscribe in Apple Calendar" })).toHaveAttribute("href", madeFeed.body.webcal_url);
    expect(screen.getByRole("link", { name: "Subscribe in Google Calendar" })).toHaveAttribute(
      "href", `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(madeFeed.body.webcal_url)}`);
    expect(screen.getByText(/we show it only once/)).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Regenerate link" }));
    const regenerate = screen.getByRole("dialog", { name: "Regenerate the calendar link?" });
    expect(seen.filter((r) => r.method === "POST")).toHaveLength(1);
    await user.click(within(regenerate).getByRole("button", { name: "Regenerate" }));
    await waitFor(() => expect(seen.filter((r) => r.method === "POST")).toHaveLength(2));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());

    await user.click(await screen.findByRole("button", { name: "Turn off" }));
    await user.click(within(screen.getByRole("dialog", { name: "Turn off the calendar feed?" })).getByRole("button", { name: "Turn off" }));

    expect(await screen.findByRole("button", { name: "Create calendar link" })).toBeInTheDocument();
    expect(screen.queryByLabelText("Calendar link (webcal)")).not.toBeInTheDocument();
    expect(seen.filter((r) => r.method === "DELETE")).toHaveLength(1);
  });
});
