import { Box, Button, Chip, Divider, List, Paper, Typography } from "@mui/material";
import type { PollDraft } from "../pollForm";
import type { PollHostView, PollMessage } from "../types";
import { PollComposer } from "./PollComposer";
import { PollResults } from "./PollResults";
import { SidePanel } from "./SidePanel";

interface PollsPanelProps {
  /** Every poll of the meeting, oldest first, with live results. */
  polls: PollHostView[];
  canSend: boolean;
  send: (message: PollMessage) => void;
  onClose: () => void;
}

const STATUS = { draft: "Draft", open: "Open", closed: "Closed" } as const;

function HostedPoll({ poll, canSend, send }: { poll: PollHostView; canSend: boolean; send: PollsPanelProps["send"] }) {
  const act = (type: "poll_launch" | "poll_close" | "poll_share" | "poll_delete") => send({ type, poll_id: poll.id });
  return (
    <Paper component="li" aria-label={poll.question} variant="outlined" sx={{ p: 1.5, display: "grid", gap: 1, listStyle: "none" }}>
      <Typography variant="subtitle2" component="h3" sx={{ overflowWrap: "anywhere" }}>
        {poll.question}
      </Typography>
      <Box sx={{ display: "flex", gap: 0.5, flexWrap: "wrap" }}>
        <Chip size="small" label={STATUS[poll.status]} color={poll.status === "open" ? "success" : "default"} />
        {poll.results_shared && <Chip size="small" label="Results shared" />}
        {poll.multiple && <Chip size="small" variant="outlined" label="Multiple choice" />}
        {poll.anonymous && <Chip size="small" variant="outlined" label="Anonymous" />}
      </Box>
      {poll.status === "draft" ? (
        <List dense disablePadding aria-label="Options" sx={{ pl: 2, listStyle: "disc" }}>
          {poll.options.map((option) => (
            <Typography key={option} component="li" variant="body2" sx={{ display: "list-item" }}>
              {option}
            </Typography>
          ))}
        </List>
      ) : (
        <PollResults options={poll.options} results={poll.results} />
      )}
      {poll.votes && poll.votes.length > 0 && (
        <Box component="details">
          <Typography component="summary" variant="body2">
            Who chose what
          </Typography>
          <List dense disablePadding aria-label="Votes">
            {poll.votes.map((vote, index) => (
              // Names repeat (two guests called Sam); the server's order is fixed.
              <Typography key={index} component="li" variant="body2" sx={{ listStyle: "none" }}>
                {vote.name}: {vote.choices.map((index) => poll.options[index]).join(", ")}
              </Typography>
            ))}
          </List>
        </Box>
      )}
      <Box sx={{ display: "flex", gap: 1, flexWrap: "wrap" }}>
        {poll.status === "draft" && (
          <>
            <Button size="small" variant="contained" disabled={!canSend} onClick={() => act("poll_launch")}>
              Launch
            </Button>
            <Button size="small" color="error" disabled={!canSend} onClick={() => act("poll_delete")}>
              Delete draft
            </Button>
          </>
        )}
        {poll.status === "open" && (
          <Button size="small" variant="outlined" disabled={!canSend} onClick={() => act("poll_close")}>
            Close poll
          </Button>
        )}
        {poll.status !== "draft" && !poll.results_shared && (
          <Button size="small" disabled={!canSend} onClick={() => act("poll_share")}>
            Share results
          </Button>
        )}
      </Box>
    </Paper>
  );
}

/** Hosts and co-hosts: write polls, launch them, watch the results come in, close and share them. */
export function PollsPanel({ polls, canSend, send, onClose }: PollsPanelProps) {
  const create = (poll: PollDraft, launch: boolean) => send({ type: "poll_create", ...poll, launch });
  return (
    <SidePanel label="Polls" onClose={onClose}>
      <Box sx={{ flex: 1, overflowY: "auto", minHeight: 0, p: 2, display: "grid", gap: 2, alignContent: "start" }}>
        <PollComposer canSend={canSend} onCreate={create} />
        <Divider />
        {polls.length === 0 ? (
          <Typography color="text.secondary">No polls yet</Typography>
        ) : (
          <List aria-label="Polls" disablePadding sx={{ display: "grid", gap: 1.5 }}>
            {[...polls].reverse().map((poll) => (
              <HostedPoll key={poll.id} poll={poll} canSend={canSend} send={send} />
            ))}
          </List>
        )}
      </Box>
    </SidePanel>
  );
}
