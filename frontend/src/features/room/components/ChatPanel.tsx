import { Box, Button, List, ListItem, MenuItem, TextField, Typography } from "@mui/material";
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import type { PendingChat } from "../roomState";
import type { ChatMessage, Participant } from "../types";
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
  onClose: () => void;
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
}

function MessageRow({ sender, recipient, isPrivate, text, time }: MessageRowProps) {
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
        <Typography variant="caption" component="span" color="text.secondary">
          {time ?? "Sending…"}
        </Typography>
      </Box>
      <Typography variant="body2" sx={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
        <LinkifiedText text={text} />
      </Typography>
    </ListItem>
  );
}

/** The meeting chat: everyone or one person, plain text only. */
export function ChatPanel({ meId, others, messages, pending, canSend, onSend, onClose }: ChatPanelProps) {
  const [text, setText] = useState("");
  const [chosen, setChosen] = useState(EVERYONE);
  const listEnd = useRef<HTMLDivElement>(null);
  // Someone who left can no longer be written to.
  const to = others.some((p) => p.id === chosen) ? chosen : EVERYONE;
  const nameOf = (id: string | null) => (id === meId ? "You" : (others.find((p) => p.id === id)?.display_name ?? null));

  useEffect(() => {
    listEnd.current?.scrollIntoView?.({ block: "end" });
  }, [messages.length, pending.length]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || !canSend) return;
    onSend(message, to === EVERYONE ? null : to);
    setText("");
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };

  const empty = messages.length === 0 && pending.length === 0;
  return (
    <SidePanel label="Chat" onClose={onClose}>
      <Box sx={{ flex: 1, overflowY: "auto", minHeight: 0 }}>
        {empty && (
          <Typography color="text.secondary" sx={{ p: 2 }}>
            No messages yet
          </Typography>
        )}
        <List aria-label="Chat messages" dense>
          {messages.map((message) => {
            const mine = message.sender_participant_id === meId;
            return (
              <MessageRow
                key={message.id}
                sender={mine ? "You" : message.sender_name}
                recipient={mine && message.to_participant_id ? nameOf(message.to_participant_id) : null}
                isPrivate={message.to_participant_id !== null}
                text={message.text}
                time={timeOf(message.created_at)}
              />
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
            />
          ))}
        </List>
        <div ref={listEnd} />
      </Box>
      <Box component="form" onSubmit={submit} sx={{ p: 2, display: "grid", gap: 1.5, borderTop: 1, borderColor: "divider" }}>
        <TextField select size="small" label="To" value={to} onChange={(event) => setChosen(event.target.value)}>
          <MenuItem value={EVERYONE}>Everyone</MenuItem>
          {others.map((participant) => (
            <MenuItem key={participant.id} value={participant.id}>
              {participant.display_name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Message"
          multiline
          maxRows={5}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          helperText={text.length > MAX_LENGTH - 200 ? `${text.length}/${MAX_LENGTH}` : " "}
          slotProps={{ htmlInput: { maxLength: MAX_LENGTH } }}
        />
        <Button type="submit" variant="contained" disabled={!canSend || !text.trim()}>
          Send
        </Button>
      </Box>
    </SidePanel>
  );
}
