import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { ChatMessage, Participant } from "../types";
import { ChatPanel } from "./ChatPanel";

const bo: Participant = {
  id: "bo",
  display_name: "Bo",
  role: "participant",
  is_guest: true,
  audio_on: true,
  video_on: true,
  screen_on: false,
  hand_raised: false,
  connected: true,
};

function message(id: string, text: string, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id,
    sender_participant_id: "bo",
    sender_name: "Bo",
    text,
    to_participant_id: null,
    created_at: "2026-01-01T10:00:00Z",
    client_id: null,
    ...overrides,
  };
}

function renderChat(messages: ChatMessage[], onSend = vi.fn()) {
  render(
    <ChatPanel meId="me" others={[bo]} messages={messages} pending={[]} canSend onSend={onSend} onClose={() => undefined} />,
  );
  return { onSend, user: userEvent.setup() };
}

describe("chat panel", () => {
  it("says so when there are no messages", () => {
    renderChat([]);
    expect(screen.getByText("No messages yet")).toBeInTheDocument();
  });

  it("shows markup as text and links only web addresses, safely", () => {
    renderChat([
      message("m1", '<script>alert("x")</script><b>bold</b>'),
      message("m2", "see https://example.com/a?b=1. or javascript:alert(1)"),
    ]);
    const list = screen.getByRole("list", { name: "Chat messages" });
    expect(within(list).getByText('<script>alert("x")</script><b>bold</b>')).toBeInTheDocument();
    expect(list.querySelector("script, b")).toBeNull();
    const links = within(list).getAllByRole("link");
    expect(links).toHaveLength(1);
    expect(links[0]).toHaveAttribute("href", "https://example.com/a?b=1");
    expect(links[0]).toHaveAttribute("rel", "noopener noreferrer");
    expect(links[0]).toHaveAttribute("target", "_blank");
  });

  it("marks private messages", () => {
    renderChat([message("m1", "psst", { to_participant_id: "me" })]);
    expect(within(screen.getByRole("list", { name: "Chat messages" })).getByText("(private)")).toBeInTheDocument();
  });

  it("sends on Enter, keeps Shift+Enter as a new line, and can write to one person", { timeout: 15_000 }, async () => {
    const { onSend, user } = renderChat([]);
    const box = screen.getByRole("textbox", { name: "Message" });
    await user.click(box);
    await user.paste("line one");
    await user.keyboard("{Shift>}{Enter}{/Shift}");
    await user.paste("line two");
    await user.keyboard("{Enter}");
    expect(onSend).toHaveBeenLastCalledWith("line one\nline two", null);
    expect(box).toHaveValue("");

    await user.click(screen.getByRole("combobox", { name: "To" }));
    await user.click(await screen.findByRole("option", { name: "Bo" }));
    await user.click(box);
    await user.paste("just you");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(onSend).toHaveBeenLastCalledWith("just you", "bo");
  });
});
