import { Button, Stack, TextField } from "@mui/material";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { authenticateTwoFactor } from "../api";
import { useAuthStep } from "../hooks/useAuthStep";
import { AuthLayout } from "./AuthLayout";

export function TwoFactorPage() {
  const [code, setCode] = useState("");
  const [recovery, setRecovery] = useState(false);
  const step = useAuthStep(authenticateTwoFactor);
  const errors = formErrors(step.error, ["code"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    step.mutate(code.trim());
  }

  function toggle() {
    setRecovery(!recovery);
    setCode("");
    step.reset();
  }

  return (
    <AuthLayout
      title="Two-factor authentication"
      intro={recovery ? "Enter one of your recovery codes. Each works once." : "Enter the 6-digit code from your authenticator app."}
    >
      <Stack component="form" spacing={2} onSubmit={submit} noValidate>
        <FormAlert errors={errors} />
        <TextField key={recovery ? "recovery" : "totp"} label={recovery ? "Recovery code" : "Authenticator code"}
          autoComplete="one-time-code" value={code} autoFocus
          slotProps={{ htmlInput: recovery ? {} : { inputMode: "numeric" } }}
          onChange={(e) => setCode(e.target.value)} {...fieldError(errors, "code")} />
        <SubmitButton pending={step.isPending}>Verify</SubmitButton>
        <Button onClick={toggle}>{recovery ? "Use your authenticator app" : "Use a recovery code"}</Button>
      </Stack>
    </AuthLayout>
  );
}
