import { Box, Button, List, ListItem, MenuItem, TextField, Typography } from "@mui/material";
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import type { PendingChat } from "../roomState";
import type { ChatFiles } from "../chatFiles";
import type { ChatMessage, Participant } from "../types";
import { AttachButton } from "./AttachButton";
import { ChatAttachments } from "./ChatAttachment";
import { LinkifiedText } from "./LinkifiedText";
import { SidePanel } from "./SidePanel";

const MAX_LENGTH = 2000;
const EVERYONE = "everyone";

interface ChatPanelProps {
  meId: string;
  /** Everyone else in the meeting: who a private message can go to. */
  others: Participant[];
  messages: ChatMessage[];
  pending: PendingChat[];
  canSend: boolean;
  onSend: (text: string, to: string | null) => void;
  /** Sends a message the server refused once more / drops it. */
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  onClose: () => void;
  /** Shows a poll message (a card to vote on); without it, a poll shows as its question. */
  renderPoll?: (message: ChatMessage) => ReactNode;
  /** Files in the chat (attach, download, remove); without it, none are offered. */
  files?: ChatFiles;
}

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

interface MessageRowProps {
  sender: string;
  recipient: string | null;
  isPrivate: boolean;
  text: string;
  time: string | null;
  /** A message of ours the server refused: what to offer instead of "Sending…". */
  failed?: { canRetry: boolean; onRetry: () => void; onDiscard: () => void };
  /** Shown under the text (a message's files). */
  children?: ReactNode;
}

function MessageRow({ sender, recipient, isPrivate, text, time, failed, children }: MessageRowProps) {
  return (
    <ListItem sx={{ display: "block", py: 0.75 }}>
      <Box sx={{ display: "flex", gap: 1, alignItems: "baseline", flexWrap: "wrap" }}>
        <Typography variant="subtitle2" component="span">
          {recipient ? `${sender} to ${recipient}` : sender}
        </Typography>
        {isPrivate && (
          <Typography variant="caption" component="span" color="secondary">
            (private)
          </Typography>
        )}
        {failed ? (
          <Typography variant="caption" component="span" color="error">
            Not sent
          </Typography>
        ) : (
          <Typography variant="caption" component="span" color="text.secondary">
            {time ?? "Sending…"}
          </Typography>
        )}
      </Box>
      {text && (
        <Typography variant="body2" sx={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          <LinkifiedText text={text} />
        </Typography>
      )}
      {children}
      {failed && (
        <Box sx={{ display: "flex", gap: 1 }}>
          <Button size="small" onClick={failed.onRetry} disabled={!failed.canRetry}>
            Retry
          </Button>
          <Button size="small" color="inherit" onClick={failed.onDiscard}>
            Discard
          </Button>
        </Box>
      )}
    </ListItem>
  );
}

/** The meeting chat: everyone or one person, plain text only. */
export function ChatPanel({ meId, others, messages, pending, canSend, onSend, onRetry, onDiscard, onClose, renderPoll, files }: ChatPanelProps) {
  const [text, setText] = useState("");
  /** The private recipient (their name kept for when they have left); null: everyone. */
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(null);
  const listEnd = useRef<HTMLDivElement>(null);
  // Someone who left can no longer be written to, and a private text must not go to everyone
  // instead: the choice stays and sending waits for a new one.
  const recipientGone = chosen !== null && !others.some((p) => p.id === chosen.id);
  const nameOf = (id: string | null) =>
    id === meId ? "You" : (others.find((p) => p.id === id)?.display_name ?? (id === chosen?.id ? chosen.name : null));

  useEffect(() => {
    listEnd.current?.scrollIntoView?.({ block: "end" });
  }, [messages.length, pending.length]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || !canSend || recipientGone) return;
    onSend(message, chosen?.id ?? null);
    setText("");
  };

  const choose = (id: string) => {
    const person = others.find((p) => p.id === id);
    setChosen(person ? { id: person.id, name: person.display_name } : null);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };

  const empty = messages.length === 0 && pending.length === 0;
  return (
    <SidePanel label="Chat" onClose={onClose}>
      <Box role="log" aria-live="polite" aria-label="Chat messages" sx={{ flex: 1, overflowY: "auto", minHeight: 0 }}>
        {empty && (
          <Typography color="text.secondary" sx={{ p: 2 }}>
            No messages yet
          </Typography>
        )}
        <List aria-label="Chat messages" dense>
          {messages.map((message) => {
            if (message.poll && renderPoll) {
              return (
                <ListItem key={message.id} sx={{ display: "block", py: 0.75 }}>
                  {renderPoll(message)}
                </ListItem>
              );
            }
            const mine = message.sender_participant_id === meId;
            return (
              <MessageRow
                key={message.id}
                sender={mine ? "You" : message.sender_name}
                recipient={mine && message.to_participant_id ? nameOf(message.to_participant_id) : null}
                isPrivate={message.to_participant_id !== null}
                text={message.text}
                time={timeOf(message.created_at)}
              >
                {files && <ChatAttachments message={message} files={files} />}
              </MessageRow>
            );
          })}
          {pending.map((message) => (
            <MessageRow
              key={message.client_id}
              sender="You"
              recipient={nameOf(message.to_participant_id)}
              isPrivate={message.to_participant_id !== null}
              text={message.text}
              time={null}
              failed={
                message.failed
                  ? { canRetry: canSend, onRetry: () => onRetry(message.client_id), onDiscard: () => onDiscard(message.client_id) }
                  : undefined
              }
            />
          ))}
        </List>
        <div ref={listEnd} />
      </Box>
      <Box component="form" onSubmit={submit} sx={{ p: 2, display: "grid", gap: 1.5, borderTop: 1, borderColor: "divider" }}>
        <TextField
          select
          size="small"
          label="To"
          value={chosen?.id ?? EVERYONE}
          onChange={(event) => choose(event.target.value)}
          error={recipientGone}
          helperText={recipientGone ? `${chosen.name} left the meeting — choose who to send to` : undefined}
          slotProps={{ formHelperText: { role: "status" } }}
        >
          <MenuItem value={EVERYONE}>Everyone</MenuItem>
          {others.map((participant) => (
            <MenuItem key={participant.id} value={participant.id}>
              {participant.display_name}
            </MenuItem>
          ))}
          {recipientGone && (
            <MenuItem value={chosen.id} disabled>
              {chosen.name} (left)
            </MenuItem>
          )}
        </TextField>
        <TextField
          label="Message"
          // Opening the chat is for writing: start in the message box.
          autoFocus
          multiline
          maxRows={5}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          helperText={text.length > MAX_LENGTH - 200 ? `${text.length}/${MAX_LENGTH}` : " "}
          slotProps={{ htmlInput: { maxLength: MAX_LENGTH } }}
        />
        {files && <AttachButton files={files} to={chosen?.id ?? null} disabled={!canSend || recipientGone} />}
        <Button type="submit" variant="contained" disabled={!canSend || !text.trim() || recipientGone}>
          Send
        </Button>
      </Box>
    </SidePanel>
  );
}
