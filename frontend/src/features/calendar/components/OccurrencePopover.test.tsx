import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../../test/server";
import type { Occurrence } from "../api";
import { occurrence } from "../testing/fixtures";
import { OccurrencePopover } from "./OccurrencePopover";

afterEach(() => vi.unstubAllGlobals());

function renderPopover(item: Occurrence) {
  mockFetch(() => ({ status: 404, body: { code: "not_found", message: "Not found.", detail: null } }));
  const handlers = { onClose: vi.fn(), onChangeTime: vi.fn(), onCancelMeeting: vi.fn() };
  const anchor = document.createElement("div");
  document.body.append(anchor);
  const element = <OccurrencePopover occurrence={item} anchor={anchor} timeZone="Europe/London" {...handlers} />;
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RouterProvider router={createMemoryRouter([{ path: "/", element }])} />
    </QueryClientProvider>,
  );
  return handlers;
}

describe("occurrence details", () => {
  it("offer the host Change time and Cancel, by keyboard-reachable buttons", () => {
    const handlers = renderPopover(occurrence());
    const details = screen.getByRole("dialog", { name: "Stand-up" });
    fireEvent.click(within(details).getByRole("button", { name: "Change time…" }));
    expect(handlers.onChangeTime).toHaveBeenCalledOnce();
    fireEvent.click(within(details).getByRole("button", { name: "Cancel this meeting" }));
    expect(handlers.onCancelMeeting).toHaveBeenCalledOnce();
  });

  it("offer an invitee neither", () => {
    renderPopover(occurrence({ is_host: false }));
    const details = screen.getByRole("dialog", { name: "Stand-up" });
    expect(within(details).queryByRole("button", { name: "Change time…" })).not.toBeInTheDocument();
    expect(within(details).queryByRole("button", { name: "Cancel this meeting" })).not.toBeInTheDocument();
  });
});
