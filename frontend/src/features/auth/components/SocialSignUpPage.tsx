import { Stack, TextField, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { completeProviderSignUp, signingUp } from "../api";
import { useAuthStep } from "../hooks/useAuthStep";
import { useSession } from "../hooks/useSession";
import { AuthLayout } from "./AuthLayout";

/** A social sign-up the provider gave no usable email for: ask for one (it is then verified). */
export function SocialSignUpPage() {
  const session = useSession();
  const [email, setEmail] = useState("");
  const step = useAuthStep(signingUp(completeProviderSignUp));
  const errors = formErrors(step.error, ["email"]);
  const pending = session.data?.kind === "anonymous" ? session.data.pending : null;
  const provider = pending?.id === "provider_signup" ? pending.provider : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    step.mutate(email.trim());
  }

  return (
    <AuthLayout title="Finish signing up" intro="Enter your email address. We will email you a code to confirm it.">
      {provider && <Typography>Signed in with {provider.name}</Typography>}
      <Stack component="form" spacing={2} onSubmit={submit} noValidate>
        <FormAlert errors={errors} />
        <TextField label="Email" type="email" autoComplete="email" value={email} autoFocus
          onChange={(e) => setEmail(e.target.value)} {...fieldError(errors, "email")} />
        <SubmitButton pending={step.isPending}>Continue</SubmitButton>
      </Stack>
    </AuthLayout>
  );
}
