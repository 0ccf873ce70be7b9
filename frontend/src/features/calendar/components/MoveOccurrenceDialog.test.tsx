import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../../test/server";
import { occurrence } from "../testing/fixtures";
import { MoveOccurrenceDialog, type PendingMove } from "./MoveOccurrenceDialog";

afterEach(() => vi.unstubAllGlobals());

const PATCH_PATH = "/api/v1/meetings/abcd-efgh-jkmn/occurrences/20270322T190000Z";

function renderDialog(move: PendingMove, editTime = false) {
  const handlers = { onSaved: vi.fn(), onFailed: vi.fn(), onCancel: vi.fn() };
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MoveOccurrenceDialog move={move} timeZone="Asia/Kolkata" editTime={editTime} {...handlers} />
    </QueryClientProvider>,
  );
  return handlers;
}

// Moved to Tuesday 04:30–05:00 UTC: 10:00–10:30 in Kolkata.
const toTuesday = { starts_at: "2027-03-23T04:30:00Z", ends_at: "2027-03-23T05:00:00Z" };

describe("moving an occurrence", () => {
  it("asks which meetings of a series move, and sends that scope", async () => {
    const seen = mockFetch((request) => (request.method === "PATCH" && new URL(request.url).pathname === PATCH_PATH ? { status: 200, body: {} } : undefined));
    const handlers = renderDialog({ occurrence: occurrence(), ...toTuesday });
    const user = userEvent.setup();
    const dialog = screen.getByRole("dialog", { name: "Move a repeating meeting" });
    expect(within(dialog).getByText("Move “Stand-up” to Tue 10:00–10:30?")).toBeInTheDocument();
    const scopes = within(dialog).getByRole("radiogroup", { name: "Meetings to move" });
    expect(within(scopes).getAllByRole("radio").map((radio) => (radio as HTMLInputElement).labels?.[0].textContent)).toEqual([
      "This meeting", "This and following meetings", "All meetings in the series",
    ]);
    expect(within(scopes).getByRole("radio", { name: "This meeting" })).toBeChecked();

    await user.click(within(scopes).getByRole("radio", { name: "This and following meetings" }));
    await user.click(within(dialog).getByRole("button", { name: "Move" }));

    await vi.waitFor(() => expect(handlers.onSaved).toHaveBeenCalledOnce());
    expect(await seen[0].json()).toEqual({ scope: "following", ...toTuesday });
    expect(handlers.onFailed).not.toHaveBeenCalled();
  });

  it("moves a one-off meeting without asking about a series; cancel changes nothing", async () => {
    const seen = mockFetch(() => ({ status: 200, body: {} }));
    const handlers = renderDialog({ occurrence: occurrence({ is_recurring: false }), ...toTuesday });
    const dialog = screen.getByRole("dialog", { name: "Move meeting" });
    expect(within(dialog).queryByRole("radiogroup")).not.toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();

    await userEvent.setup().click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(handlers.onCancel).toHaveBeenCalledOnce();
    expect(seen).toEqual([]);
  });

  it("puts the event back and says why when the server refuses", async () => {
    mockFetch(() => ({ status: 403, body: { code: "permission_denied", message: "Only the host can move this meeting.", detail: null } }));
    const handlers = renderDialog({ occurrence: occurrence({ is_recurring: false }), ...toTuesday });
    await userEvent.setup().click(screen.getByRole("button", { name: "Move" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Only the host can move this meeting.");
    expect(handlers.onFailed).toHaveBeenCalledOnce();
    expect(handlers.onSaved).not.toHaveBeenCalled();
  });

  it("asks for the new date and times in my zone from the keyboard (Change time…)", async () => {
    const seen = mockFetch((request) => (request.method === "PATCH" && new URL(request.url).pathname === PATCH_PATH ? { status: 200, body: {} } : undefined));
    const o = occurrence();
    const handlers = renderDialog({ occurrence: o, starts_at: o.starts_at, ends_at: o.ends_at }, true);
    const dialog = screen.getByRole("dialog", { name: "Move a repeating meeting" });
    // 19:00–19:30 UTC on Monday is 00:30–01:00 on Tuesday in Kolkata.
    expect(within(dialog).getByLabelText("Date")).toHaveValue("2027-03-23");
    expect(within(dialog).getByLabelText("Start time")).toHaveValue("00:30");
    expect(within(dialog).getByLabelText("End time")).toHaveValue("01:00");
    fireEvent.change(within(dialog).getByLabelText("Start time"), { target: { value: "10:00" } });
    fireEvent.change(within(dialog).getByLabelText("End time"), { target: { value: "10:30" } });
    expect(within(dialog).getByText("Move “Stand-up” to Tue 10:00–10:30?")).toBeInTheDocument();

    fireEvent.click(within(dialog).getByLabelText("All meetings in the series"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Move" }));
    await vi.waitFor(() => expect(handlers.onSaved).toHaveBeenCalledOnce());
    expect(await seen[0].json()).toEqual({ scope: "all", starts_at: "2027-03-23T04:30:00.000Z", ends_at: "2027-03-23T05:00:00.000Z" });
  });
});
