import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../../test/server";
import { initialRecurrence, recurrencePayload } from "../recurrence";
import { RecurrenceFields } from "./RecurrenceFields";
import { ScheduleMeetingDialog } from "./ScheduleMeetingDialog";

afterEach(() => vi.unstubAllGlobals());

const MONDAY = "2027-03-22";

describe("recurrence fields", { timeout: 30_000 }, () => {
  it("choose the days and the end, and say what the rule means", async () => {
    let latest = initialRecurrence(MONDAY);
    function Form() {
      const [values, setValues] = useState(latest);
      latest = values;
      return <RecurrenceFields values={values} startDate={MONDAY} onChange={setValues} />;
    }
    render(<Form />);
    const user = userEvent.setup();
    expect(screen.queryByRole("group", { name: "Repeat on" })).not.toBeInTheDocument();

    await user.selectOptions(screen.getByRole("combobox", { name: "Repeat" }), "weekly");
    const days = screen.getByRole("group", { name: "Repeat on" });
    // The start date's weekday is chosen to begin with.
    expect(within(days).getByRole("button", { name: "Monday" })).toHaveAttribute("aria-pressed", "true");
    await user.click(within(days).getByRole("button", { name: "Wednesday" }));
    expect(screen.getByRole("status")).toHaveTextContent("Weekly on Monday and Wednesday");

    expect(screen.getByLabelText("End date")).toBeDisabled();
    await user.click(screen.getByRole("radio", { name: "On" }));
    fireEvent.change(screen.getByLabelText("End date"), { target: { value: "2027-04-30" } });
    expect(screen.getByRole("status")).toHaveTextContent("Weekly on Monday and Wednesday, until 30 Apr 2027");
    expect(recurrencePayload(latest, MONDAY)).toEqual({ frequency: "weekly", interval: 1, weekdays: ["MO", "WE"], until: "2027-04-30", count: null });

    await user.click(screen.getByRole("radio", { name: "After" }));
    expect(screen.getByRole("status")).toHaveTextContent("Weekly on Monday and Wednesday, 10 times");
    await user.selectOptions(screen.getByRole("combobox", { name: "Repeat" }), "none");
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(recurrencePayload(latest, MONDAY)).toBeNull();
  });
});

// By label and fireEvent: role queries and typing walk the time zone list's hundreds of options (slow in jsdom).
describe("schedule dialog", { timeout: 30_000 }, () => {
  it("starts at the selected slot and sends the rule", async () => {
    const seen = mockFetch((request) =>
      request.method === "POST"
        ? { status: 201, body: { code: "abcd-efgh-jkmn", join_url: "https://meet.example.com/m/abcd-efgh-jkmn", title: "Stand-up", passcode: null,
            starts_at: "2027-03-22T19:00:00Z", ends_at: "2027-03-22T20:00:00Z", timezone: "Europe/London", recurrence_text: "Weekly on Monday" } }
        : undefined,
    );
    render(
      <QueryClientProvider client={new QueryClient()}>
        <ScheduleMeetingDialog timeZone="Europe/London" slot={{ date: MONDAY, startTime: "19:00", endTime: "20:00" }} onClose={() => {}} />
      </QueryClientProvider>,
    );
    const dialog = screen.getByRole("dialog", { name: "Schedule a meeting" });
    expect(within(dialog).getByLabelText("Date")).toHaveValue(MONDAY);
    expect(within(dialog).getByLabelText("Start time")).toHaveValue("19:00");
    expect(within(dialog).getByLabelText("End time")).toHaveValue("20:00");
    expect(within(dialog).getByLabelText("Time zone")).toHaveValue("Europe/London");
    fireEvent.change(within(dialog).getByLabelText("Title"), { target: { value: "Stand-up" } });
    fireEvent.change(within(dialog).getByLabelText("Repeat"), { target: { value: "weekly" } });
    fireEvent.click(within(dialog).getByText("Schedule"));

    expect(await screen.findByText("Meeting scheduled")).toBeInTheDocument();
    expect(screen.getByText("Weekly on Monday")).toBeInTheDocument();
    expect(await seen[0].json()).toMatchObject({
      title: "Stand-up", timezone: "Europe/London", starts_at: "2027-03-22T19:00:00.000Z", ends_at: "2027-03-22T20:00:00.000Z",
      recurrence: { frequency: "weekly", interval: 1, weekdays: ["MO"], until: null, count: null },
    });
  });

  it("refuses a blank end instead of sending an endless series, and moves the default weekday with the date", () => {
    const seen = mockFetch(() => undefined);
    render(
      <QueryClientProvider client={new QueryClient()}>
        <ScheduleMeetingDialog timeZone="Europe/London" slot={{ date: MONDAY, startTime: "19:00", endTime: "20:00" }} onClose={() => {}} />
      </QueryClientProvider>,
    );
    const dialog = screen.getByRole("dialog", { name: "Schedule a meeting" });
    fireEvent.change(within(dialog).getByLabelText("Repeat"), { target: { value: "weekly" } });
    fireEvent.change(within(dialog).getByLabelText("Date"), { target: { value: "2027-03-24" } });
    expect(within(dialog).getByLabelText("Wednesday")).toHaveAttribute("aria-pressed", "true");
    expect(within(dialog).getByLabelText("Monday")).toHaveAttribute("aria-pressed", "false");

    fireEvent.click(within(dialog).getByLabelText("After"));
    fireEvent.change(within(dialog).getByLabelText("Occurrences"), { target: { value: "" } });
    fireEvent.click(within(dialog).getByText("Schedule"));
    expect(within(dialog).getByText("Enter a whole number from 1 to 500")).toBeInTheDocument();
    expect(seen).toEqual([]);

    // An empty date while weekly with no day chosen: no summary, no crash.
    fireEvent.click(within(dialog).getByLabelText("Wednesday"));
    fireEvent.change(within(dialog).getByLabelText("Date"), { target: { value: "" } });
    expect(within(dialog).queryByText(/^Weekly on/)).not.toBeInTheDocument();
  });
});
