import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Poll, PollHostView } from "../types";
import { PollCard } from "./PollCard";
import { PollsPanel } from "./PollsPanel";

const lunch: Poll = {
  id: "p1",
  question: "Lunch?",
  options: ["Pizza", "Salad", "Soup"],
  multiple: false,
  anonymous: false,
  status: "open",
  results_shared: false,
  results: null,
};

function renderCard(poll: Poll, myVote?: number[]) {
  const onVote = vi.fn();
  const view = render(<PollCard poll={poll} myVote={myVote} canVote onVote={onVote} />);
  const card = screen.getByRole("region", { name: poll.question });
  return { onVote, card, user: userEvent.setup(), rerender: (next: Poll, vote?: number[]) => view.rerender(<PollCard poll={next} myVote={vote} canVote onVote={onVote} />) };
}

describe("poll card", () => {
  it("takes one choice and sends it", async () => {
    const { onVote, card, user } = renderCard(lunch);
    const vote = within(card).getByRole("button", { name: "Vote" });
    expect(vote).toBeDisabled();
    await user.click(within(card).getByRole("radio", { name: "Pizza" }));
    await user.click(within(card).getByRole("radio", { name: "Soup" }));
    expect(within(card).getByRole("radio", { name: "Pizza" })).not.toBeChecked();
    await user.click(vote);
    expect(onVote).toHaveBeenCalledWith([2]);
  });

  it("shows my vote and lets me change it", async () => {
    const { onVote, card, user } = renderCard(lunch, [1]);
    expect(within(card).getByRole("radio", { name: "Salad" })).toBeChecked();
    expect(within(card).getByRole("status")).toHaveTextContent("Your vote is in");
    const change = within(card).getByRole("button", { name: "Change vote" });
    expect(change).toBeDisabled(); // nothing changed yet
    await user.click(within(card).getByRole("radio", { name: "Pizza" }));
    await user.click(change);
    expect(onVote).toHaveBeenCalledWith([0]);
  });

  it("takes several choices with checkboxes when the poll allows it", async () => {
    const { onVote, card, user } = renderCard({ ...lunch, multiple: true });
    expect(within(card).queryByRole("radio")).toBeNull();
    await user.click(within(card).getByRole("checkbox", { name: "Soup" }));
    await user.click(within(card).getByRole("checkbox", { name: "Pizza" }));
    await user.click(within(card).getByRole("checkbox", { name: "Salad" }));
    await user.click(within(card).getByRole("checkbox", { name: "Salad" }));
    await user.click(within(card).getByRole("button", { name: "Vote" }));
    expect(onVote).toHaveBeenCalledWith([0, 2]);
  });

  it("says when the poll is closed and shows the results once shared", () => {
    const { card, rerender } = renderCard({ ...lunch, status: "closed" }, [1]);
    expect(within(card).getByText("Poll closed")).toBeInTheDocument();
    expect(within(card).queryByRole("button", { name: /vote/i })).toBeNull();
    expect(within(card).getByRole("radio", { name: "Salad" })).toBeDisabled();
    expect(within(card).queryByRole("progressbar")).toBeNull();

    rerender({ ...lunch, status: "closed", results_shared: true, results: { counts: [1, 2, 0], voters: 3 } }, [1]);
    const shared = screen.getByRole("region", { name: "Lunch?" });
    expect(within(shared).getByRole("progressbar", { name: "Pizza" })).toHaveAttribute("aria-valuenow", "33");
    expect(within(shared).getByRole("progressbar", { name: "Salad" })).toHaveAttribute("aria-valuetext", "2 votes, 67%");
    expect(within(shared).getByRole("progressbar", { name: "Soup" })).toHaveAttribute("aria-valuetext", "0 votes, 0%");
    expect(within(shared).getByText("1 vote · 33%")).toBeInTheDocument();
    expect(within(shared).getByText("3 people voted")).toBeInTheDocument();
  });
});

describe("polls panel", () => {
  const live: PollHostView = {
    ...lunch,
    results: { counts: [1, 1, 0], voters: 2 },
    votes: [
      { name: "Bo", choices: [0] },
      { name: "Cy", choices: [1] },
    ],
  };
  const draft: PollHostView = { ...lunch, id: "p2", question: "Later?", status: "draft", results: { counts: [0, 0, 0], voters: 0 }, votes: [] };

  function renderPanel(polls: PollHostView[]) {
    const send = vi.fn();
    render(<PollsPanel polls={polls} canSend send={send} onClose={() => undefined} />);
    return { send, user: userEvent.setup() };
  }

  it("shows live results and who chose what, and runs each poll", async () => {
    const { send, user } = renderPanel([live, draft]);
    const panel = screen.getByRole("region", { name: "Polls" });
    const items = within(within(panel).getByRole("list", { name: "Polls" })).getAllByRole("listitem", { name: /\?$/ });
    expect(items.map((item) => item.getAttribute("aria-label"))).toEqual(["Later?", "Lunch?"]); // newest first
    const open = within(panel).getByRole("listitem", { name: "Lunch?" });
    expect(within(open).getByText("Open")).toBeInTheDocument();
    expect(within(open).getByRole("progressbar", { name: "Pizza" })).toHaveAttribute("aria-valuetext", "1 vote, 50%");
    expect(within(open).getByText("Cy: Salad")).toBeInTheDocument();
    await user.click(within(open).getByRole("button", { name: "Close poll" }));
    await user.click(within(open).getByRole("button", { name: "Share results" }));
    const later = within(panel).getByRole("listitem", { name: "Later?" });
    expect(within(later).getByText("Draft")).toBeInTheDocument();
    expect(within(later).queryByRole("button", { name: "Close poll" })).toBeNull();
    await user.click(within(later).getByRole("button", { name: "Launch" }));
    await user.click(within(later).getByRole("button", { name: "Delete draft" }));
    expect(send.mock.calls.map(([message]) => message)).toEqual([
      { type: "poll_close", poll_id: "p1" },
      { type: "poll_share", poll_id: "p1" },
      { type: "poll_launch", poll_id: "p2" },
      { type: "poll_delete", poll_id: "p2" },
    ]);
  });

  it("creates polls from its composer", async () => {
    const { send, user } = renderPanel([]);
    expect(screen.getByText("No polls yet")).toBeInTheDocument();
    await user.type(screen.getByRole("textbox", { name: "Question" }), "Tea?");
    await user.type(screen.getByRole("textbox", { name: "Option 1" }), "Yes");
    await user.type(screen.getByRole("textbox", { name: "Option 2" }), "No");
    await user.click(screen.getByRole("button", { name: "Launch poll" }));
    expect(send).toHaveBeenCalledWith({ type: "poll_create", question: "Tea?", options: ["Yes", "No"], multiple: false, anonymous: false, launch: true });
  });
});
