import { Alert, Button, Chip, List, ListItem, ListItemText, Stack, TextField } from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { Loading } from "../../../components/states";
import { useReauth } from "../../auth/hooks/useReauth";
import { SESSION_KEY } from "../../auth/hooks/useSession";
import { changeEmail, listEmails, verifyEmailChange } from "../api";
import { EMAILS_KEY, ME_KEY } from "../queryKeys";
import { SectionCard } from "./SectionCard";


/** Changing the email: the new address must be confirmed with a code before it replaces the old one. */
export function EmailSection() {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const emails = useQuery({ queryKey: EMAILS_KEY, queryFn: listEmails });
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const request = useMutation({
    mutationFn: (address: string) => withReauth(() => changeEmail(address)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: EMAILS_KEY }),
  });
  const verify = useMutation({
    mutationFn: verifyEmailChange,
    onSuccess: () => {
      request.reset();
      setEmail("");
      setCode("");
      for (const queryKey of [EMAILS_KEY, ME_KEY, SESSION_KEY]) void queryClient.invalidateQueries({ queryKey });
    },
  });
  const errors = formErrors(request.error ?? verify.error, ["email", "key"]);
  const awaitingCode = request.isSuccess;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (awaitingCode) verify.mutate(code.trim());
    else request.mutate(email);
  }

  return (
    <SectionCard title="Email address">
      {emails.isPending ? (
        <Loading />
      ) : (
        <List dense disablePadding>
          {(emails.data ?? []).map((address) => (
            <ListItem key={address.email} disableGutters>
              <ListItemText primary={address.email} sx={{ overflowWrap: "anywhere" }} />
              <Stack direction="row" spacing={1}>
                {address.primary && <Chip size="small" label="Primary" />}
                <Chip size="small" variant="outlined" color={address.verified ? "success" : "warning"}
                  label={address.verified ? "Verified" : "Not verified"} />
              </Stack>
            </ListItem>
          ))}
        </List>
      )}
      <Stack component="form" spacing={2} onSubmit={submit} noValidate>
        {verify.isSuccess && <Alert severity="success">Your email address is changed.</Alert>}
        <FormAlert errors={errors} />
        {awaitingCode ? (
          <>
            <Alert severity="info">We sent a code to {request.variables}. Enter it to confirm the change.</Alert>
            <TextField label="Email verification code" autoComplete="one-time-code" value={code} autoFocus
              onChange={(e) => setCode(e.target.value)} {...fieldError(errors, "key")} />
            <Stack direction="row" spacing={1}>
              <SubmitButton pending={verify.isPending}>Confirm new email</SubmitButton>
              <Button onClick={() => request.reset()}>Cancel</Button>
            </Stack>
          </>
        ) : (
          <>
            <TextField label="New email address" type="email" autoComplete="email" value={email}
              onChange={(e) => setEmail(e.target.value)} {...fieldError(errors, "email")} />
            <SubmitButton pending={request.isPending} sx={{ alignSelf: "flex-start" }}>
              Change email
            </SubmitButton>
          </>
        )}
      </Stack>
    </SectionCard>
  );
}
