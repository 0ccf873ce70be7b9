import { Alert, Button, Stack, TextField, Typography } from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { EmptyState, Loading } from "../../../components/states";
import { getBankAccount, setBankAccount, type BankAccountIn } from "../api";
import { BANK_KEY } from "../queryKeys";
import { SectionCard } from "./SectionCard";

const FIELDS = ["holder_name", "account_number", "ifsc"];

function BankAccountForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<BankAccountIn>({ holder_name: "", account_number: "", ifsc: "" });
  const save = useMutation({
    mutationFn: setBankAccount,
    onSuccess: (bank) => {
      queryClient.setQueryData(BANK_KEY, bank);
      onDone();
    },
  });
  const errors = formErrors(save.error, FIELDS);
  const set = (name: keyof BankAccountIn) => (event: { target: { value: string } }) =>
    setValues({ ...values, [name]: event.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ ...values, account_number: values.account_number.replace(/\s/g, ""), ifsc: values.ifsc.trim().toUpperCase() });
  }

  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate>
      <FormAlert errors={errors} />
      <TextField label="Account holder name" autoComplete="name" value={values.holder_name} onChange={set("holder_name")}
        {...fieldError(errors, "holder_name")} />
      <TextField label="Account number" autoComplete="off" value={values.account_number} onChange={set("account_number")}
        slotProps={{ htmlInput: { inputMode: "numeric" } }} {...fieldError(errors, "account_number")} />
      <TextField label="IFSC" autoComplete="off" value={values.ifsc} onChange={set("ifsc")} placeholder="HDFC0001234"
        {...fieldError(errors, "ifsc")} />
      <Stack direction="row" spacing={1}>
        <SubmitButton pending={save.isPending}>Save bank account</SubmitButton>
        <Button onClick={onDone}>Cancel</Button>
      </Stack>
    </Stack>
  );
}

export function BankAccountPage() {
  const bank = useQuery({ queryKey: BANK_KEY, queryFn: getBankAccount });
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);

  let body;
  if (bank.isPending) body = <Loading />;
  else if (bank.isError) body = <FormAlert errors={formErrors(bank.error)} />;
  else if (editing)
    body = <BankAccountForm onDone={() => { setEditing(false); setSaved(true); }} />;
  else if (bank.data === null)
    body = (
      <EmptyState title="No bank account yet">
        <Button variant="contained" onClick={() => setEditing(true)}>
          Add bank account
        </Button>
      </EmptyState>
    );
  else
    body = (
      <>
        {saved && <Alert severity="success">Bank account saved</Alert>}
        <Stack component="dl" spacing={1} sx={{ m: 0, "& dd": { m: 0, fontWeight: 500 } }}>
          <Typography component="dt" variant="body2" color="text.secondary">Account holder</Typography>
          <Typography component="dd">{bank.data.holder_name}</Typography>
          <Typography component="dt" variant="body2" color="text.secondary">Account number</Typography>
          <Typography component="dd" aria-label={`ending in ${bank.data.account_number_last4}`}>
            ••••{bank.data.account_number_last4}
          </Typography>
          <Typography component="dt" variant="body2" color="text.secondary">IFSC</Typography>
          <Typography component="dd">{bank.data.ifsc}</Typography>
        </Stack>
        <Button variant="outlined" onClick={() => { setSaved(false); setEditing(true); }} sx={{ alignSelf: "flex-start" }}>
          Replace bank account
        </Button>
      </>
    );

  return (
    <SectionCard title="Bank account" description="For payouts. We show only the last four digits.">
      {body}
    </SectionCard>
  );
}
