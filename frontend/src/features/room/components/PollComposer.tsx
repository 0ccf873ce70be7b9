import AddIcon from "@mui/icons-material/Add";
import RemoveIcon from "@mui/icons-material/RemoveCircleOutline";
import { Box, Button, FormControlLabel, IconButton, Switch, TextField } from "@mui/material";
import { useState, type FormEvent } from "react";
import {
  MAX_OPTIONS,
  MIN_OPTIONS,
  emptyPollDraft,
  pollToSend,
  validatePoll,
  type PollDraft,
  type PollFormErrors,
} from "../pollForm";

interface PollComposerProps {
  canSend: boolean;
  /** `launch`: live at once; otherwise kept as a draft. */
  onCreate: (poll: PollDraft, launch: boolean) => void;
}

/** Write a poll: a question, 2 to 10 options, and how people answer it. */
export function PollComposer({ canSend, onCreate }: PollComposerProps) {
  const [draft, setDraft] = useState<PollDraft>(emptyPollDraft);
  // Shown after a first try to send, then kept up to date as the fields change.
  const [errors, setErrors] = useState<PollFormErrors | null>(null);

  const change = (next: PollDraft) => {
    setDraft(next);
    if (errors) setErrors(validatePoll(next));
  };
  const setOption = (index: number, text: string) =>
    change({ ...draft, options: draft.options.map((option, i) => (i === index ? text : option)) });

  const submit = (launch: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    const problems = validatePoll(draft);
    setErrors(problems);
    if (problems || !canSend) return;
    onCreate(pollToSend(draft), launch);
    setDraft(emptyPollDraft());
  };

  return (
    <Box component="form" aria-label="New poll" noValidate onSubmit={submit(true)} sx={{ display: "grid", gap: 1.5 }}>
      <TextField
        label="Question"
        multiline
        maxRows={4}
        value={draft.question}
        onChange={(event) => change({ ...draft, question: event.target.value })}
        error={Boolean(errors?.question)}
        helperText={errors?.question ?? " "}
      />
      {draft.options.map((option, index) => {
        const error = errors?.options[index] ?? null;
        return (
          // Options have no ids of their own: their place is their identity while writing.
          <Box key={index} sx={{ display: "flex", alignItems: "flex-start", gap: 0.5 }}>
            <TextField
              label={`Option ${index + 1}`}
              size="small"
              fullWidth
              value={option}
              onChange={(event) => setOption(index, event.target.value)}
              error={Boolean(error)}
              helperText={error ?? " "}
            />
            <IconButton
              aria-label={`Remove option ${index + 1}`}
              disabled={draft.options.length <= MIN_OPTIONS}
              onClick={() => change({ ...draft, options: draft.options.filter((_, i) => i !== index) })}
              sx={{ mt: 0.5 }}
            >
              <RemoveIcon />
            </IconButton>
          </Box>
        );
      })}
      <Box>
        <Button
          startIcon={<AddIcon />}
          disabled={draft.options.length >= MAX_OPTIONS}
          onClick={() => change({ ...draft, options: [...draft.options, ""] })}
        >
          Add option
        </Button>
      </Box>
      <FormControlLabel
        control={<Switch checked={draft.multiple} onChange={(_, on) => change({ ...draft, multiple: on })} />}
        label="Allow multiple choices"
      />
      <FormControlLabel
        control={<Switch checked={draft.anonymous} onChange={(_, on) => change({ ...draft, anonymous: on })} />}
        label="Anonymous"
      />
      <Box sx={{ display: "flex", gap: 1, flexWrap: "wrap" }}>
        <Button type="submit" variant="contained" disabled={!canSend}>
          Launch poll
        </Button>
        <Button variant="outlined" disabled={!canSend} onClick={submit(false)}>
          Save draft
        </Button>
      </Box>
    </Box>
  );
}
