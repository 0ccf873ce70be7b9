import PollIcon from "@mui/icons-material/PollOutlined";
import { Box, Button, Checkbox, FormControlLabel, FormGroup, Paper, Radio, RadioGroup, Typography } from "@mui/material";
import { useId, useState, type ReactNode } from "react";
import type { Poll } from "../types";
import { PollResults } from "./PollResults";

interface PollCardProps {
  poll: Poll;
  /** What I chose, if I voted. */
  myVote: number[] | undefined;
  canVote: boolean;
  onVote: (choices: number[]) => void;
  /** Extra controls (the pop-up's "Close"). */
  actions?: ReactNode;
}

function sameChoices(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((choice) => b.includes(choice));
}

/** A launched poll as everyone sees it: vote (or change the vote) while open, results once shared. */
export function PollCard({ poll, myVote, canVote, onVote, actions }: PollCardProps) {
  const headingId = useId();
  // What I am choosing now; null: what I voted (nothing yet).
  const [picking, setPicking] = useState<number[] | null>(null);
  const chosen = picking ?? myVote ?? [];
  const open = poll.status === "open";
  const changed = chosen.length > 0 && !(myVote && sameChoices(chosen, myVote));

  const toggle = (index: number, on: boolean) =>
    setPicking(poll.multiple ? (on ? [...chosen, index] : chosen.filter((i) => i !== index)).sort((a, b) => a - b) : [index]);
  const vote = () => {
    onVote(chosen);
    setPicking(null);
  };

  const options = poll.options.map((option, index) => {
    const control = poll.multiple ? <Checkbox /> : <Radio />;
    return (
      <FormControlLabel
        key={option}
        value={index}
        control={control}
        label={option}
        checked={chosen.includes(index)}
        disabled={!open || !canVote}
        onChange={(_, on) => toggle(index, on)}
        sx={{ overflowWrap: "anywhere" }}
      />
    );
  });
  return (
    <Paper component="section" aria-labelledby={headingId} variant="outlined" sx={{ p: 1.5, display: "grid", gap: 1 }}>
      <Box sx={{ display: "flex", gap: 1, alignItems: "center" }}>
        <PollIcon fontSize="small" color="primary" aria-hidden="true" />
        <Typography id={headingId} variant="subtitle2" component="h3" sx={{ overflowWrap: "anywhere" }}>
          {poll.question}
        </Typography>
      </Box>
      <Typography variant="caption" color="text.secondary">
        {poll.multiple ? "Choose one or more" : "Choose one"}
        {poll.anonymous ? " · Anonymous" : ""}
      </Typography>
      {poll.multiple ? (
        <FormGroup aria-labelledby={headingId}>{options}</FormGroup>
      ) : (
        <RadioGroup aria-labelledby={headingId} value={chosen[0] ?? null}>
          {options}
        </RadioGroup>
      )}
      {open ? (
        <Box sx={{ display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap" }}>
          <Button variant="contained" size="small" onClick={vote} disabled={!canVote || !changed}>
            {myVote ? "Change vote" : "Vote"}
          </Button>
          {myVote && !changed && (
            <Typography variant="body2" color="text.secondary" role="status">
              Your vote is in
            </Typography>
          )}
          {actions}
        </Box>
      ) : (
        <Box sx={{ display: "flex", gap: 1, alignItems: "center", justifyContent: "space-between" }}>
          <Typography variant="body2" color="text.secondary">
            Poll closed
          </Typography>
          {actions}
        </Box>
      )}
      {poll.results_shared && poll.results && <PollResults options={poll.options} results={poll.results} />}
    </Paper>
  );
}
