import { act, render, screen } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { occurrence } from "../testing/fixtures";
import { JoinOccurrenceButton } from "./JoinOccurrenceButton";

afterEach(() => vi.useRealTimers());

function renderAt(now: string, patch: Parameters<typeof occurrence>[0] = {}) {
  vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"], now: new Date(now) });
  const router = createMemoryRouter([{ path: "/", element: <JoinOccurrenceButton occurrence={occurrence(patch)} /> }]);
  render(<RouterProvider router={router} />);
}

describe("Join", () => {
  it("opens 10 minutes before the start, on the next clock tick", () => {
    renderAt("2027-03-22T18:49:10Z");
    expect(screen.getByRole("button", { name: "Join" })).toBeDisabled();
    expect(screen.getByText("Join opens 10 minutes before")).toBeInTheDocument();

    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.getByRole("link", { name: "Join" })).toHaveAttribute("href", "/m/abcd-efgh-jkmn");
    expect(screen.queryByText("Join opens 10 minutes before")).not.toBeInTheDocument();
  });

  it("closes when the meeting is over", () => {
    renderAt("2027-03-22T19:30:00Z");
    expect(screen.getByRole("button", { name: "Join" })).toBeDisabled();
    expect(screen.queryByText("Join opens 10 minutes before")).not.toBeInTheDocument();
  });

  it("opens for a live meeting the host started early", () => {
    renderAt("2027-03-22T18:30:00Z", { is_recurring: false, status: "live" });
    expect(screen.getByRole("link", { name: "Join" })).toBeInTheDocument();
  });

  it("stays shut for a meeting that ended early, without promising to open", () => {
    renderAt("2027-03-22T18:55:00Z", { status: "ended" });
    expect(screen.getByRole("button", { name: "Join" })).toBeDisabled();
    expect(screen.queryByText("Join opens 10 minutes before")).not.toBeInTheDocument();
  });
});
