import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { validatePoll } from "../pollForm";
import { PollComposer } from "./PollComposer";

function renderComposer(canSend = true) {
  const onCreate = vi.fn();
  render(<PollComposer canSend={canSend} onCreate={onCreate} />);
  return { onCreate, user: userEvent.setup() };
}

const field = (name: string) => screen.getByRole("textbox", { name });

describe("validatePoll", () => {
  const draft = { question: "Lunch?", options: ["Pizza", "Salad"], multiple: false, anonymous: false };

  it("accepts a question and distinct options within the limits", () => {
    expect(validatePoll(draft)).toBeNull();
    expect(validatePoll({ ...draft, question: "q".repeat(300), options: ["o".repeat(120), "p"] })).toBeNull();
  });

  it("names what is wrong with each field", () => {
    expect(validatePoll({ ...draft, question: "  ", options: ["Pizza", " pizza ", "", "x".repeat(121), "Salad\u0000"] })).toEqual({
      question: "Write a question",
      options: [null, "Same as option 1", "Write this option or remove it", "At most 120 characters (now 121)", "Remove the NUL character"],
    });
    expect(validatePoll({ ...draft, question: "q".repeat(301) })?.question).toBe("At most 300 characters (now 301)");
  });
});

describe("poll composer", () => {
  it("shows each mistake under its field and sends nothing", async () => {
    const { onCreate, user } = renderComposer();
    await user.type(field("Option 1"), "Yes");
    await user.type(field("Option 2"), "yes");
    await user.click(screen.getByRole("button", { name: "Launch poll" }));
    expect(onCreate).not.toHaveBeenCalled();
    expect(field("Question")).toHaveAccessibleDescription("Write a question");
    expect(field("Question")).toBeInvalid();
    expect(field("Option 1")).toBeValid();
    expect(field("Option 2")).toHaveAccessibleDescription("Same as option 1");
    // Fixing a field clears its error at once.
    await user.type(field("Question"), "Lunch?");
    expect(field("Question")).toBeValid();
    await user.clear(field("Option 2"));
    await user.type(field("Option 2"), "No");
    expect(field("Option 2")).toBeValid();
  });

  it("launches a poll with trimmed texts and its settings, then starts over", async () => {
    const { onCreate, user } = renderComposer();
    await user.type(field("Question"), "  Where to?  ");
    await user.type(field("Option 1"), " Park");
    await user.type(field("Option 2"), "Beach ");
    await user.click(screen.getByRole("button", { name: "Add option" }));
    await user.type(field("Option 3"), "Hills");
    await user.click(screen.getByRole("switch", { name: "Allow multiple choices" }));
    await user.click(screen.getByRole("switch", { name: "Anonymous" }));
    await user.click(screen.getByRole("button", { name: "Launch poll" }));
    expect(onCreate).toHaveBeenCalledWith(
      { question: "Where to?", options: ["Park", "Beach", "Hills"], multiple: true, anonymous: true },
      true,
    );
    expect(field("Question")).toHaveValue("");
    expect(screen.queryByRole("textbox", { name: "Option 3" })).toBeNull();
  });

  it("saves a draft", async () => {
    const { onCreate, user } = renderComposer();
    await user.type(field("Question"), "Later?");
    await user.type(field("Option 1"), "A");
    await user.type(field("Option 2"), "B");
    await user.click(screen.getByRole("button", { name: "Save draft" }));
    expect(onCreate).toHaveBeenCalledWith({ question: "Later?", options: ["A", "B"], multiple: false, anonymous: false }, false);
  });

  it("keeps between 2 and 10 options, and removes the one asked for", async () => {
    const { user } = renderComposer();
    expect(screen.getByRole("button", { name: "Remove option 1" })).toBeDisabled();
    const add = screen.getByRole("button", { name: "Add option" });
    for (let i = 0; i < 8; i++) await user.click(add);
    expect(screen.getAllByRole("textbox", { name: /^Option \d+$/ })).toHaveLength(10);
    expect(add).toBeDisabled();
    await user.type(field("Option 2"), "second");
    await user.type(field("Option 3"), "third");
    await user.click(screen.getByRole("button", { name: "Remove option 2" }));
    expect(screen.getAllByRole("textbox", { name: /^Option \d+$/ })).toHaveLength(9);
    expect(field("Option 2")).toHaveValue("third");
    expect(add).toBeEnabled();
  });

  it("can't send while disconnected", () => {
    renderComposer(false);
    expect(screen.getByRole("button", { name: "Launch poll" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Save draft" })).toBeDisabled();
  });
});
