import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { PendingChat } from "../roomState";
import type { ChatMessage, Participant } from "../types";
import { chatMessage, participant } from "../testing/fixtures";
import { ChatPanel } from "./ChatPanel";

const bo: Participant = participant("bo", { display_name: "Bo", is_guest: true });

function message(id: string, text: string, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return chatMessage(id, { text, ...overrides });
}

function renderChat(messages: ChatMessage[], onSend = vi.fn(), pending: PendingChat[] = []) {
  const onRetry = vi.fn();
  const onDiscard = vi.fn();
  const panel = (others: Participant[]) => (
    <ChatPanel meId="me" others={others} messages={messages} pending={pending} canSend onSend={onSend}
      onRetry={onRetry} onDiscard={onDiscard} onClose={() => undefined} />
  );
  const { rerender } = render(panel([bo]));
  return { onSend, onRetry, onDiscard, user: userEvent.setup(), setOthers: (others: Participant[]) => rerender(panel(others)) };
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

  it("keeps a private recipient who left and will not send to everyone instead", { timeout: 15_000 }, async () => {
    const { onSend, user, setOthers } = renderChat([]);
    await user.click(screen.getByRole("combobox", { name: "To" }));
    await user.click(await screen.findByRole("option", { name: "Bo" }));
    const box = screen.getByRole("textbox", { name: "Message" });
    await user.click(box);
    await user.paste("only for Bo");

    setOthers([]);
    expect(screen.getByText("Bo left the meeting — choose who to send to")).toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "To" })).toHaveTextContent("Bo (left)");
    expect(screen.getByRole("button", { name: "Send" })).toBeDisabled();
    await user.click(box);
    await user.keyboard("{Enter}");
    expect(onSend).not.toHaveBeenCalled();
    expect(box).toHaveValue("only for Bo");

    // Choosing again (here: everyone) sends.
    await user.click(screen.getByRole("combobox", { name: "To" }));
    await user.click(await screen.findByRole("option", { name: "Everyone" }));
    expect(screen.queryByText(/left the meeting/)).toBeNull();
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(onSend).toHaveBeenLastCalledWith("only for Bo", null);
  });

  it("shows a refused message as not sent, with Retry and Discard", async () => {
    const { onRetry, onDiscard, user } = renderChat([], vi.fn(), [
      { client_id: "c1", text: "too fast", to_participant_id: null, failed: true },
      { client_id: "c2", text: "on its way", to_participant_id: null, failed: false },
    ]);
    const list = screen.getByRole("list", { name: "Chat messages" });
    const [refused, sending] = within(list).getAllByRole("listitem");
    expect(refused).toHaveTextContent("Not sent");
    expect(sending).toHaveTextContent("Sending…");
    expect(within(sending).queryByRole("button")).toBeNull();
    await user.click(within(refused).getByRole("button", { name: "Retry" }));
    expect(onRetry).toHaveBeenCalledWith("c1");
    await user.click(within(refused).getByRole("button", { name: "Discard" }));
    expect(onDiscard).toHaveBeenCalledWith("c1");
  });

  it("announces new messages politely and starts in the message box", () => {
    renderChat([message("m1", "hello")]);
    const log = screen.getByRole("log", { name: "Chat messages" });
    expect(log).toHaveAttribute("aria-live", "polite");
    expect(within(log).getByRole("list", { name: "Chat messages" })).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Message" })).toHaveFocus();
  });
});
