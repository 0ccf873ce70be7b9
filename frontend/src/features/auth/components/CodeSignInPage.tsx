import { Stack, TextField } from "@mui/material";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { confirmSignInCode } from "../api";
import { useAuthStep } from "../hooks/useAuthStep";
import { AuthLayout } from "./AuthLayout";

export function CodeSignInPage() {
  const [code, setCode] = useState("");
  const step = useAuthStep(confirmSignInCode);
  const errors = formErrors(step.error, ["code"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    step.mutate(code.trim());
  }

  return (
    <AuthLayout title="Enter your sign-in code" intro="We sent a code to you by email or SMS. It works once, for a few minutes.">
      <Stack component="form" spacing={2} onSubmit={submit} noValidate>
        <FormAlert errors={errors} />
        <TextField label="Code" autoComplete="one-time-code" value={code} autoFocus
          onChange={(e) => setCode(e.target.value)} {...fieldError(errors, "code")} />
        <SubmitButton pending={step.isPending}>Sign in</SubmitButton>
      </Stack>
    </AuthLayout>
  );
}
