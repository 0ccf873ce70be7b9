import { Alert, Stack, TextField } from "@mui/material";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { changePassword } from "../api";
import { SectionCard } from "./SectionCard";

export function PasswordSection({ hasPassword }: { hasPassword: boolean }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const change = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      setCurrent("");
      setNext("");
    },
  });
  const errors = formErrors(change.error, ["current_password", "new_password"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate(hasPassword ? { current_password: current, new_password: next } : { new_password: next });
  }

  return (
    <SectionCard title="Password" description={hasPassword ? undefined : "You sign in without a password. You can set one."}>
      <Stack component="form" spacing={2} onSubmit={submit} noValidate>
        <FormAlert errors={errors} />
        {hasPassword && (
          <TextField label="Current password" type="password" autoComplete="current-password" value={current}
            onChange={(e) => setCurrent(e.target.value)} {...fieldError(errors, "current_password")} />
        )}
        <TextField label="New password" type="password" autoComplete="new-password" value={next}
          onChange={(e) => setNext(e.target.value)} {...fieldError(errors, "new_password")} />
        <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
          <SubmitButton pending={change.isPending}>{hasPassword ? "Change password" : "Set password"}</SubmitButton>
          <div role="status">{change.isSuccess && <Alert severity="success" sx={{ py: 0 }}>Password changed</Alert>}</div>
        </Stack>
      </Stack>
    </SectionCard>
  );
}
