import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../../test/server";
import type { Occurrence } from "../api";
import { occurrence } from "../testing/fixtures";
import { CancelOccurrenceDialog } from "./CancelOccurrenceDialog";

afterEach(() => vi.unstubAllGlobals());

function renderDialog(item: Occurrence) {
  const handlers = { onDone: vi.fn(), onClose: vi.fn() };
  const client = new QueryClient();
  const invalidate = vi.spyOn(client, "invalidateQueries");
  render(
    <QueryClientProvider client={client}>
      <CancelOccurrenceDialog occurrence={item} timeZone="Europe/London" {...handlers} />
    </QueryClientProvider>,
  );
  return { ...handlers, invalidate };
}

const ok = { status: 200, body: {} };

describe("cancelling from the calendar", () => {
  it("asks which meetings of a series, and cancels the occurrence with that scope", async () => {
    const seen = mockFetch(() => ok);
    const { onDone, invalidate } = renderDialog(occurrence());
    const dialog = screen.getByRole("dialog", { name: "Cancel a repeating meeting" });
    expect(within(dialog).getByText("Cancel “Stand-up” on Mon 19:00–19:30?")).toBeInTheDocument();
    const scopes = within(dialog).getByRole("radiogroup", { name: "Meetings to cancel" });
    expect(within(scopes).getAllByRole("radio")).toHaveLength(2);
    expect(within(scopes).getByLabelText("This meeting")).toBeChecked();
    fireEvent.click(within(scopes).getByLabelText("This and following meetings"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel meeting" }));

    await vi.waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    expect(seen[0].method).toBe("POST");
    expect(new URL(seen[0].url).pathname).toBe("/api/v1/meetings/abcd-efgh-jkmn/occurrences/20270322T190000Z/cancel");
    expect(await seen[0].json()).toEqual({ scope: "following" });
    // The calendar refetches its events on this.
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ["meetings"] });
  });

  it("cancels a one-off meeting with the meeting's own call; Keep it does nothing", async () => {
    const seen = mockFetch(() => ok);
    const { onDone, onClose } = renderDialog(occurrence({ is_recurring: false }));
    const dialog = screen.getByRole("dialog", { name: "Cancel meeting" });
    expect(within(dialog).queryByRole("radiogroup")).not.toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Keep it" })).toHaveFocus();
    fireEvent.click(within(dialog).getByRole("button", { name: "Keep it" }));
    expect(onClose).toHaveBeenCalledOnce();
    expect(seen).toEqual([]);

    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel meeting" }));
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    expect(new URL(seen[0].url).pathname).toBe("/api/v1/meetings/abcd-efgh-jkmn/cancel");
  });

  it("says why when the server refuses, and stays open", async () => {
    mockFetch(() => ({ status: 403, body: { code: "permission_denied", message: "Only the host can cancel this meeting.", detail: null } }));
    const { onDone } = renderDialog(occurrence({ is_recurring: false }));
    fireEvent.click(screen.getByRole("button", { name: "Cancel meeting" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Only the host can cancel this meeting.");
    expect(onDone).not.toHaveBeenCalled();
  });
});
