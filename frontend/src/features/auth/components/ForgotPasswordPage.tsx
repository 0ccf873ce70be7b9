import { Button, Link, Stack, TextField, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { Link as RouterLink } from "react-router";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { requestPasswordReset, resetPassword } from "../api";
import { useAuthStep } from "../hooks/useAuthStep";
import { useSession } from "../hooks/useSession";
import { AuthLayout } from "./AuthLayout";

function RequestCode({ onSent }: { onSent: () => void }) {
  const [email, setEmail] = useState("");
  const step = useAuthStep(requestPasswordReset);
  const errors = formErrors(step.error, ["email"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    step.mutate(email, { onSuccess: onSent });
  }

  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate>
      <FormAlert errors={errors} />
      <TextField label="Email" type="email" autoComplete="email" value={email} autoFocus
        onChange={(e) => setEmail(e.target.value)} {...fieldError(errors, "email")} />
      <SubmitButton pending={step.isPending}>Send reset code</SubmitButton>
    </Stack>
  );
}

function ResetWithCode({ onStartOver }: { onStartOver: () => void }) {
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const step = useAuthStep(resetPassword, "Your password is changed. Sign in with your new password.");
  const errors = formErrors(step.error, ["key", "password"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    step.mutate({ code: code.trim(), password });
  }

  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate>
      <Typography variant="body2">If an account uses that email, we sent it a code.</Typography>
      <FormAlert errors={errors} />
      <TextField label="Code" autoComplete="one-time-code" value={code} autoFocus
        onChange={(e) => setCode(e.target.value)} {...fieldError(errors, "key")} />
      <TextField label="New password" type="password" autoComplete="new-password" value={password}
        onChange={(e) => setPassword(e.target.value)} {...fieldError(errors, "password")} />
      <SubmitButton pending={step.isPending}>Reset password</SubmitButton>
      <Button onClick={onStartOver}>Use a different email</Button>
    </Stack>
  );
}

export function ForgotPasswordPage() {
  const session = useSession();
  const [startOver, setStartOver] = useState(false);
  const codeSent = !startOver && session.data?.kind === "anonymous" && session.data.pending?.id === "password_reset_by_code";
  return (
    <AuthLayout title="Reset your password">
      {codeSent ? <ResetWithCode onStartOver={() => setStartOver(true)} /> : <RequestCode onSent={() => setStartOver(false)} />}
      <Link component={RouterLink} to="/signin" variant="body2">
        Back to sign in
      </Link>
    </AuthLayout>
  );
}
