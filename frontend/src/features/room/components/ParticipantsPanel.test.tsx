import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { participant } from "../testing/fixtures";
import type { Participant, Role } from "../types";
import { ParticipantsPanel } from "./ParticipantsPanel";

const participants = [
  participant("p1", { display_name: "Ada", role: "host" }),
  participant("p2", { display_name: "Bo", role: "cohost" }),
  participant("p3", { display_name: "Cy", audio_on: false, hand_raised: true }),
  participant("p4", { display_name: "Guest Dee", is_guest: true }),
];

function renderPanel(meId: string, role: Role, lobby: Participant[] = []) {
  const send = vi.fn();
  render(
    <ParticipantsPanel
      me={{ id: meId, role }}
      participants={participants}
      lobby={lobby}
      isLocked={false}
      send={send}
      onClose={() => undefined}
    />,
  );
  return { send, panel: screen.getByRole("region", { name: "Participants" }), user: userEvent.setup() };
}

async function menuItemsFor(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(screen.getByRole("button", { name: `More actions for ${name}` }));
  const menu = await screen.findByRole("menu");
  const items = within(menu).getAllByRole("menuitem").map((item) => item.textContent);
  await user.keyboard("{Escape}");
  return items;
}

describe("participants panel", () => {
  it("shows everyone with their roles and state, and no moderation to a participant", () => {
    const { panel } = renderPanel("p3", "participant", [participant("p9", { display_name: "Eve" })]);
    const list = within(panel).getByRole("list", { name: "In the meeting" });
    const rows = within(list).getAllByRole("listitem");
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining("AdaHost"),
      expect.stringContaining("BoCo-host"),
      expect.stringContaining("Cy (You)"),
      expect.stringContaining("Guest Dee"),
    ]);
    expect(within(rows[2]).getByTitle("Microphone off")).toBeInTheDocument();
    expect(within(rows[2]).getByTitle("Hand raised")).toBeInTheDocument();
    expect(within(panel).queryByRole("button", { name: /More actions for/ })).not.toBeInTheDocument();
    expect(within(panel).queryByRole("button", { name: "Mute all" })).not.toBeInTheDocument();
    expect(within(panel).queryByRole("list", { name: "Waiting room" })).not.toBeInTheDocument();
  });

  it("gives the host every action, with host-only ones where they apply", { timeout: 15_000 }, async () => {
    const { panel, user } = renderPanel("p1", "host");
    expect(within(panel).queryByRole("button", { name: "More actions for Ada" })).not.toBeInTheDocument();
    expect(await menuItemsFor(user, "Bo")).toEqual(["Mute", "Ask to unmute", "Stop video", "Remove co-host", "Make host", "Remove from meeting"]);
    expect(await menuItemsFor(user, "Cy")).toEqual(["Mute", "Ask to unmute", "Stop video", "Make co-host", "Make host", "Remove from meeting"]);
    // Guests cannot be made host.
    expect(await menuItemsFor(user, "Guest Dee")).toEqual(["Mute", "Ask to unmute", "Stop video", "Make co-host", "Remove from meeting"]);
  });

  it("gives a co-host moderation but not the host's own powers", { timeout: 15_000 }, async () => {
    const { user } = renderPanel("p2", "cohost");
    expect(await menuItemsFor(user, "Cy")).toEqual(["Mute", "Ask to unmute", "Stop video", "Remove from meeting"]);
    expect(await menuItemsFor(user, "Ada")).toEqual(["Mute", "Ask to unmute", "Stop video"]);
  });

  it("removes a participant only after confirming", { timeout: 15_000 }, async () => {
    const { send, user } = renderPanel("p1", "host");
    await user.click(screen.getByRole("button", { name: "More actions for Cy" }));
    await user.click(await screen.findByRole("menuitem", { name: "Remove from meeting" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove Cy from the meeting?" });
    expect(send).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole("button", { name: "Remove" }));
    expect(send).toHaveBeenCalledWith({ type: "remove", participant_id: "p3" });
  });

  it("lets the host run the waiting room and the meeting", { timeout: 15_000 }, async () => {
    const { send, panel, user } = renderPanel("p1", "host", [participant("p9", { display_name: "Eve" }), participant("p8", { display_name: "Fay" })]);
    const lobby = within(panel).getByRole("list", { name: "Waiting room" });
    await user.click(within(lobby).getByRole("button", { name: "Admit Eve" }));
    await user.click(within(lobby).getByRole("button", { name: "Deny Fay" }));
    await user.click(within(panel).getByRole("button", { name: "Admit all" }));
    await user.click(within(panel).getByRole("button", { name: "Mute all" }));
    await user.click(within(panel).getByRole("button", { name: "Lock meeting" }));
    await user.click(within(panel).getByRole("button", { name: "End meeting for all" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "End for all" }));
    expect(send.mock.calls.map(([message]) => message)).toEqual([
      { type: "admit", participant_id: "p9" },
      { type: "deny", participant_id: "p8" },
      { type: "admit_all" },
      { type: "mute_all" },
      { type: "lock" },
      { type: "end" },
    ]);
  });
});
