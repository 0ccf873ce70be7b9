import { Link, Stack, TextField, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { Link as RouterLink } from "react-router";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { signUp, signingUp } from "../api";
import { useAuthStep } from "../hooks/useAuthStep";
import { AuthLayout } from "./AuthLayout";

export function SignUpPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const step = useAuthStep(signingUp(signUp));
  const errors = formErrors(step.error, ["email", "password"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    step.mutate({ email, password });
  }

  return (
    <AuthLayout title="Create your account" intro="We will email you a code to confirm your address.">
      <Stack component="form" spacing={2} onSubmit={submit} noValidate>
        <FormAlert errors={errors} />
        <TextField label="Email" type="email" autoComplete="email" value={email}
          onChange={(e) => setEmail(e.target.value)} {...fieldError(errors, "email")} autoFocus />
        <TextField label="Password" type="password" autoComplete="new-password" value={password}
          onChange={(e) => setPassword(e.target.value)} {...fieldError(errors, "password")} />
        <SubmitButton pending={step.isPending}>Create account</SubmitButton>
      </Stack>
      <Typography variant="body2">
        Already have an account?{" "}
        <Link component={RouterLink} to="/signin">
          Sign in
        </Link>
      </Typography>
    </AuthLayout>
  );
}
