import { Button, Paper, Stack, TextField, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { joinPathFromInput } from "../meetingLinks";

/** "Join a meeting": a code (with or without dashes) or a pasted link, passcode fragment and all. */
export function JoinByCodeForm() {
  const navigate = useNavigate();
  const [input, setInput] = useState("");
  const [invalid, setInvalid] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    const path = joinPathFromInput(input);
    setInvalid(!path);
    if (path) void navigate(path);
  }

  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="join-meeting-heading">
      <Typography id="join-meeting-heading" variant="h6" component="h2" gutterBottom>
        Join a meeting
      </Typography>
      <Stack component="form" direction={{ xs: "column", sm: "row" }} spacing={1} onSubmit={submit} noValidate
        sx={{ alignItems: { sm: "flex-start" } }}>
        <TextField label="Meeting code or link" placeholder="abcd-efgh-jkmn" size="small" fullWidth autoComplete="off"
          value={input} onChange={(event) => { setInput(event.target.value); setInvalid(false); }}
          error={invalid} helperText={invalid ? "Enter a code like abcd-efgh-jkmn, or paste a meeting link." : undefined} />
        <Button type="submit" variant="outlined" sx={{ flexShrink: 0 }}>
          Join
        </Button>
      </Stack>
    </Paper>
  );
}
