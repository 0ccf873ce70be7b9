import { Stack, TextField, Typography } from "@mui/material";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError, formErrors } from "../../../api/errors";
import { FormAlert, SubmitButton } from "../../../components/form";
import { joinMeeting, type JoinIn, type JoinResult } from "../api";

interface Props {
  code: string;
  /** A signed-in user joins under their profile name; a guest gives one. */
  signedInAs: string | null;
  /** From the link's `#p=` fragment: sent without being shown, unless the server refuses it. */
  linkPasscode: string;
  /** False until the browser has answered for the camera and microphone. */
  mediaReady: boolean;
  onJoined: (join: JoinResult, body: JoinIn) => void;
}

export function PreJoinForm({ code, signedInAs, linkPasscode, mediaReady, onJoined }: Props) {
  const [name, setName] = useState("");
  const [nameMissing, setNameMissing] = useState(false);
  const [passcode, setPasscode] = useState(linkPasscode);
  const [passcodeShown, setPasscodeShown] = useState(!linkPasscode);
  const join = useMutation({
    mutationFn: (body: JoinIn) => joinMeeting(code, body),
    onSuccess: (result, body) => onJoined(result, body),
    // The server gives one answer for "no such meeting" and "wrong passcode": let them check both.
    onError: (error) => {
      if (error instanceof ApiError && error.status === 404) setPasscodeShown(true);
    },
  });
  const errors = formErrors(join.error, signedInAs ? [] : ["display_name"]);
  const nameError = nameMissing ? "Enter your name." : errors.fields.display_name;

  function submit(event: FormEvent) {
    event.preventDefault();
    const displayName = signedInAs ? "" : name.trim();
    setNameMissing(!signedInAs && !displayName);
    if (signedInAs || displayName) join.mutate({ display_name: displayName, passcode: passcode.trim() });
  }

  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate>
      <FormAlert errors={errors} />
      {signedInAs ? (
        <Typography color="text.secondary">Joining as {signedInAs}</Typography>
      ) : (
        <TextField label="Your name" autoComplete="name" required autoFocus value={name}
          onChange={(event) => { setName(event.target.value); setNameMissing(false); }}
          error={Boolean(nameError)} helperText={nameError} slotProps={{ htmlInput: { maxLength: 80 } }} />
      )}
      {passcodeShown && (
        <TextField label="Passcode" autoComplete="off" value={passcode} onChange={(event) => setPasscode(event.target.value)}
          helperText="Passcode (if the meeting has one)" slotProps={{ htmlInput: { maxLength: 32 } }} />
      )}
      <SubmitButton pending={join.isPending} disabled={!mediaReady} size="large">
        Join now
      </SubmitButton>
      {!mediaReady && (
        <Typography variant="body2" color="text.secondary" role="status">
          Allow the camera and microphone when your browser asks (or block them to join without).
        </Typography>
      )}
    </Stack>
  );
}
