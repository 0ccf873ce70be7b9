import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Stack, TextField } from "@mui/material";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useState, type FormEvent, type ReactNode } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { reauthenticate, reauthenticateTwoFactor } from "../api";
import { ReauthContext, reauthFlows, type WithReauth } from "../hooks/useReauth";

interface Pending {
  byPassword: boolean;
  done: (confirmed: boolean) => void;
}

/** Lets any page run sensitive actions with `useReauth()`: asks for the password or a 2FA code when needed. */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);

  const withReauth: WithReauth = useCallback(async (action) => {
    try {
      return await action();
    } catch (error) {
      const flows = reauthFlows(error);
      if (!flows) throw error;
      const confirmed = await new Promise<boolean>((done) =>
        setPending({ byPassword: flows.includes("reauthenticate"), done }),
      );
      if (!confirmed) throw error;
      return action();
    }
  }, []);

  function finish(confirmed: boolean) {
    pending?.done(confirmed);
    setPending(null);
  }

  return (
    <ReauthContext.Provider value={withReauth}>
      {children}
      {pending && <ReauthDialog byPassword={pending.byPassword} onDone={finish} />}
    </ReauthContext.Provider>
  );
}

function ReauthDialog({ byPassword, onDone }: { byPassword: boolean; onDone: (confirmed: boolean) => void }) {
  const [value, setValue] = useState("");
  const confirm = useMutation({
    mutationFn: (secret: string) => (byPassword ? reauthenticate(secret) : reauthenticateTwoFactor(secret)),
    onSuccess: () => onDone(true),
  });
  const field = byPassword ? "password" : "code";
  const errors = formErrors(confirm.error, [field]);

  function submit(event: FormEvent) {
    event.preventDefault();
    confirm.mutate(value);
  }

  return (
    <Dialog open onClose={() => onDone(false)} slotProps={{ paper: { component: "form", onSubmit: submit } }}>
      <DialogTitle>Confirm it's you</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <DialogContentText>
            {byPassword ? "Enter your password to continue." : "Enter a code from your authenticator app to continue."}
          </DialogContentText>
          <FormAlert errors={errors} />
          <TextField label={byPassword ? "Password" : "Authenticator code"} type={byPassword ? "password" : "text"}
            autoComplete={byPassword ? "current-password" : "one-time-code"} value={value} autoFocus
            onChange={(e) => setValue(e.target.value)} {...fieldError(errors, field)} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onDone(false)}>Cancel</Button>
        <SubmitButton pending={confirm.isPending}>Confirm</SubmitButton>
      </DialogActions>
    </Dialog>
  );
}
