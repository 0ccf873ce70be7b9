import { Button, Stack, TextField } from "@mui/material";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { resendEmailCode, signingUp, verifyEmail } from "../api";
import { useAuthStep } from "../hooks/useAuthStep";
import { AuthLayout } from "./AuthLayout";

export function VerifyEmailPage() {
  const [code, setCode] = useState("");
  const step = useAuthStep(signingUp(verifyEmail));
  const resend = useMutation({ mutationFn: resendEmailCode });
  const errors = formErrors(step.error ?? resend.error, ["key"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    step.mutate(code.trim());
  }

  return (
    <AuthLayout title="Check your email" intro="Enter the code we sent to your email address.">
      <Stack component="form" spacing={2} onSubmit={submit} noValidate>
        <FormAlert errors={errors} />
        <TextField label="Verification code" autoComplete="one-time-code" value={code}
          onChange={(e) => setCode(e.target.value)} {...fieldError(errors, "key")} autoFocus />
        <SubmitButton pending={step.isPending}>Verify</SubmitButton>
        <Button onClick={() => resend.mutate()} loading={resend.isPending}>
          {resend.isSuccess ? "New code sent" : "Send a new code"}
        </Button>
      </Stack>
    </AuthLayout>
  );
}
