import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { closedBreakout, participant } from "../testing/fixtures";
import type { Breakout, Participant, Role } from "../types";
import { BreakoutBanner } from "./BreakoutBanner";
import { BreakoutPanel } from "./BreakoutPanel";

const rooms = [
  { id: "r1", name: "Room 1" },
  { id: "r2", name: "Room 2" },
];
const people = [
  participant("me", { display_name: "Hema", role: "host" }),
  participant("ana", { display_name: "Ana" }),
  participant("bo", { display_name: "Bo" }),
];

function renderPanel(plan: Breakout, role: Role = "host", participants: Participant[] = people) {
  const send = vi.fn();
  render(<BreakoutPanel plan={plan} me={{ id: "me", role }} participants={participants} send={send} onClose={() => undefined} />);
  return { send, panel: screen.getByRole("region", { name: "Breakout rooms" }), user: userEvent.setup() };
}

afterEach(() => vi.useRealTimers());

describe("breakout panel (hosts)", () => {
  it("creates the number of rooms asked for", async () => {
    const { send, user } = renderPanel(closedBreakout());
    const count = screen.getByRole("spinbutton", { name: "Number of rooms" });
    await user.clear(count);
    await user.type(count, "3");
    await user.click(screen.getByRole("button", { name: "Create rooms" }));
    expect(send).toHaveBeenCalledWith({
      type: "breakout_configure",
      rooms: [{ name: "Room 1" }, { name: "Room 2" }, { name: "Room 3" }],
    });
    await user.clear(count);
    await user.type(count, "101");
    expect(screen.getByRole("button", { name: "Create rooms" })).toBeDisabled();
  });

  it("renames, adds and removes rooms, and sets the timer, the countdown and choosing", async () => {
    const { send, user } = renderPanel(closedBreakout({ rooms }));
    const name = screen.getByRole("textbox", { name: "Room 2 name" });
    await user.clear(name);
    await user.type(name, "Blue{Enter}");
    expect(send).toHaveBeenLastCalledWith({ type: "breakout_configure", rooms: [{ id: "r1", name: "Room 1" }, { id: "r2", name: "Blue" }] });
    await user.click(screen.getByRole("button", { name: "Add room" }));
    expect(send).toHaveBeenLastCalledWith({
      type: "breakout_configure",
      rooms: [{ id: "r1", name: "Room 1" }, { id: "r2", name: "Room 2" }, { name: "Room 3" }],
    });
    await user.click(screen.getByRole("button", { name: "Remove Room 1" }));
    expect(send).toHaveBeenLastCalledWith({ type: "breakout_configure", rooms: [{ id: "r2", name: "Room 2" }] });
    await user.click(screen.getByRole("switch", { name: "Let participants choose a room" }));
    expect(send).toHaveBeenLastCalledWith(expect.objectContaining({ allow_choosing: true }));
    const timer = screen.getByRole("textbox", { name: "Timer (minutes)" });
    await user.type(timer, "10");
    await user.tab();
    expect(send).toHaveBeenLastCalledWith(expect.objectContaining({ duration_minutes: 10 }));
    await user.click(screen.getByRole("combobox", { name: "Countdown before closing" }));
    await user.click(screen.getByRole("option", { name: "10 seconds" }));
    expect(send).toHaveBeenLastCalledWith(expect.objectContaining({ countdown_seconds: 10 }));
  });

  it("assigns by the keyboard's list or by dragging, automatically, then opens", async () => {
    const { send, user, panel } = renderPanel(closedBreakout({ rooms, assignments: { ana: "r1" } }));
    expect(within(within(panel).getByRole("region", { name: "Room 1" })).getByText("Ana")).toBeInTheDocument();
    expect(within(within(panel).getByRole("region", { name: "Not assigned" })).getByText("Bo")).toBeInTheDocument();

    await user.click(screen.getByRole("combobox", { name: "Room for Bo" }));
    await user.click(screen.getByRole("option", { name: "Room 2" }));
    expect(send).toHaveBeenLastCalledWith({ type: "breakout_assign", participant_id: "bo", room_id: "r2" });

    // Drag Ana from Room 1 to "Not assigned".
    const data = new Map<string, string>();
    const dataTransfer = { setData: (k: string, v: string) => data.set(k, v), getData: (k: string) => data.get(k) ?? "" };
    fireEvent.dragStart(screen.getByText("Ana").closest("li") as HTMLElement, { dataTransfer });
    fireEvent.drop(within(panel).getByRole("region", { name: "Not assigned" }), { dataTransfer });
    expect(send).toHaveBeenLastCalledWith({ type: "breakout_assign", participant_id: "ana", room_id: null });

    await user.click(screen.getByRole("button", { name: "Assign automatically" }));
    expect(send).toHaveBeenLastCalledWith({ type: "breakout_auto_assign" });
    await user.click(screen.getByRole("button", { name: "Open all rooms" }));
    expect(send).toHaveBeenLastCalledWith({ type: "breakout_open" });
  });

  it("while open: the time left, who is where, joining a room, a broadcast, closing", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"], now: new Date("2026-12-07T10:00:00Z") });
    const plan = closedBreakout({ rooms, status: "open", ends_at: "2026-12-07T10:09:30Z", assignments: { ana: "r1" } });
    const inRooms = [people[0], participant("ana", { display_name: "Ana", breakout_room_id: "r1" }), people[2]];
    const { send, panel } = renderPanel(plan, "cohost", inRooms);
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    expect(within(panel).getByRole("status")).toHaveTextContent("Breakout rooms are open · 9:30 left");
    expect(within(within(panel).getByRole("region", { name: "Main room" })).getByText("Bo")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Join Room 1" }));
    expect(send).toHaveBeenLastCalledWith({ type: "breakout_join", room_id: "r1" });
    await user.type(screen.getByRole("textbox", { name: "Message to all rooms" }), "2 minutes left");
    await user.click(screen.getByRole("button", { name: "Send to all rooms" }));
    expect(send).toHaveBeenLastCalledWith({ type: "breakout_broadcast", text: "2 minutes left" });
    await user.click(screen.getByRole("button", { name: "Close all rooms" }));
    expect(send).toHaveBeenLastCalledWith({ type: "breakout_close" });
  });
});

describe("breakout panel (participants)", () => {
  it("offers the rooms only when the host lets people choose", async () => {
    const open = closedBreakout({ rooms, status: "open" });
    const { send, user } = renderPanel({ ...open, allow_choosing: true }, "participant");
    await user.click(screen.getByRole("button", { name: "Join Room 2" }));
    expect(send).toHaveBeenCalledWith({ type: "breakout_join", room_id: "r2" });
    expect(screen.queryByRole("button", { name: "Create rooms" })).not.toBeInTheDocument();
  });

  it("says the host decides otherwise", () => {
    renderPanel(closedBreakout({ rooms, status: "open" }), "participant");
    expect(screen.getByText("The host decides who goes to which room.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Join/ })).not.toBeInTheDocument();
  });
});

describe("breakout banner", () => {
  function renderBanner(plan: Breakout, myRoomId: string | null, moderator = false, assignedRoomId: string | null = null) {
    const actions = { onJoin: vi.fn(), onAskForHelp: vi.fn(), onChooseRoom: vi.fn() };
    render(<BreakoutBanner plan={plan} myRoomId={myRoomId} assignedRoomId={assignedRoomId} moderator={moderator} {...actions} />);
    return actions;
  }

  it("shows the room, the time left (a warning near the end), help and the way out", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"], now: new Date("2026-12-07T10:00:00Z") });
    const actions = renderBanner(closedBreakout({ rooms, status: "open", ends_at: "2026-12-07T10:01:05Z" }), "r1");
    const banner = screen.getByRole("status");
    expect(banner).toHaveTextContent("You are in Room 1 · 1:05 left");
    expect(banner.className).toMatch(/Info/);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(screen.getByRole("status")).toHaveTextContent("0:55 left");
    expect(screen.getByRole("status").className).toMatch(/Warning/);
    vi.useRealTimers();
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Ask for help" }));
    expect(screen.getByRole("button", { name: "Hosts asked to come" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Leave breakout room" }));
    expect(actions.onAskForHelp).toHaveBeenCalled();
    expect(actions.onJoin).toHaveBeenCalledWith(null);
  });

  it("leads someone in the main room back to their own room", async () => {
    const actions = renderBanner(closedBreakout({ rooms, status: "open" }), null, false, "r2");
    await userEvent.setup().click(screen.getByRole("button", { name: "Join Room 2" }));
    expect(actions.onJoin).toHaveBeenCalledWith("r2");
  });

  it("counts down to everyone's return", () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"], now: new Date("2026-12-07T10:00:00Z") });
    renderBanner(closedBreakout({ rooms, status: "closing", closes_at: "2026-12-07T10:00:42Z" }), "r1", true);
    expect(screen.getByRole("status")).toHaveTextContent("Breakout rooms close in 0:42");
  });
});
