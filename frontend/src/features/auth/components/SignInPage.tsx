import { Alert, Button, Divider, Link, Stack, TextField, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { Link as RouterLink, useLocation, useSearchParams } from "react-router";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { requestSignInCode, signIn } from "../api";
import { useAuthStep } from "../hooks/useAuthStep";
import { AuthLayout } from "./AuthLayout";
import { SocialButtons } from "./SocialButtons";

function Notices() {
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const [params] = useSearchParams();
  return (
    <>
      {notice && <Alert severity="success">{notice}</Alert>}
      {params.get("error") && <Alert severity="error">Sign-in with that provider did not work. Try again or use another way.</Alert>}
    </>
  );
}

function EmailSignIn({ onUsePhone }: { onUsePhone: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [missingEmail, setMissingEmail] = useState(false);
  const login = useAuthStep(signIn);
  const code = useAuthStep(requestSignInCode);
  const errors = formErrors(login.error ?? code.error, ["email", "password"]);
  const emailError = missingEmail ? "Enter your email address first." : errors.fields.email;

  function submit(event: FormEvent) {
    event.preventDefault();
    code.reset();
    login.mutate({ email, password });
  }

  function emailMeACode() {
    setMissingEmail(!email.trim());
    if (!email.trim()) return;
    login.reset();
    code.mutate({ email });
  }

  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate>
      <FormAlert errors={errors} />
      <TextField label="Email" type="email" autoComplete="email" value={email} autoFocus
        onChange={(e) => setEmail(e.target.value)} error={Boolean(emailError)} helperText={emailError} />
      <TextField label="Password" type="password" autoComplete="current-password" value={password}
        onChange={(e) => setPassword(e.target.value)} {...fieldError(errors, "password")} />
      <Link component={RouterLink} to="/forgot-password" variant="body2" sx={{ alignSelf: "flex-end" }}>
        Forgot password?
      </Link>
      <SubmitButton pending={login.isPending}>Sign in</SubmitButton>
      <Divider>or</Divider>
      <Button variant="outlined" onClick={emailMeACode} loading={code.isPending}>
        Email me a sign-in code
      </Button>
      <Button variant="outlined" onClick={onUsePhone}>
        Use phone number
      </Button>
    </Stack>
  );
}

function PhoneSignIn({ onUseEmail }: { onUseEmail: () => void }) {
  const [phone, setPhone] = useState("");
  const code = useAuthStep(requestSignInCode);
  const errors = formErrors(code.error, ["phone"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    code.mutate({ phone: phone.trim() });
  }

  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate>
      <FormAlert errors={errors} />
      <TextField label="Phone number" type="tel" autoComplete="tel" value={phone} autoFocus
        placeholder="+919812345678" onChange={(e) => setPhone(e.target.value)}
        {...fieldError(errors, "phone")} />
      <SubmitButton pending={code.isPending}>Text me a sign-in code</SubmitButton>
      <Button onClick={onUseEmail}>Use email instead</Button>
    </Stack>
  );
}

export function SignInPage() {
  const [usePhone, setUsePhone] = useState(false);
  return (
    <AuthLayout title="Sign in">
      <Notices />
      {usePhone ? <PhoneSignIn onUseEmail={() => setUsePhone(false)} /> : <EmailSignIn onUsePhone={() => setUsePhone(true)} />}
      <SocialButtons />
      <Typography variant="body2">
        New to aapoon meet?{" "}
        <Link component={RouterLink} to="/signup">
          Sign up
        </Link>
      </Typography>
    </AuthLayout>
  );
}
