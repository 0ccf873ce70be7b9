import { Alert, Chip, Stack, TextField, Typography } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { EmptyState, Loading } from "../../../components/states";
import { listAccounts, updateAccount, type Account, type AccountPatch } from "../api";
import { usePagedList } from "../hooks/usePagedList";
import { ACCOUNTS_KEY } from "../queryKeys";
import { LoadMore } from "./LoadMore";
import { SectionCard } from "./SectionCard";

const COMPANY_SIZES = ["", "1-10", "11-50", "51-200", "201-1000", "1000+"] as const;
const FIELDS = ["type", "business_name", "website", "location", "company_size"];

type Details = Required<Pick<AccountPatch, "business_name" | "website" | "location">> & {
  type: "professional" | "business";
  company_size: (typeof COMPANY_SIZES)[number];
};

function detailsOf(account: Account): Details {
  return {
    type: account.type === "business" ? "business" : "professional",
    business_name: account.business_name,
    website: account.website,
    location: account.location,
    company_size: COMPANY_SIZES.find((size) => size === account.company_size) ?? "",
  };
}

function BusinessDetails({ account }: { account: Account }) {
  const queryClient = useQueryClient();
  const canEdit = account.role === "owner" || account.role === "admin";
  const [values, setValues] = useState(() => detailsOf(account));
  const save = useMutation({
    mutationFn: (body: Details) => updateAccount(account.id, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ACCOUNTS_KEY }),
  });
  const errors = formErrors(save.error, FIELDS);
  const set = (name: keyof Details) => (event: { target: { value: string } }) => {
    save.reset();
    setValues({ ...values, [name]: event.target.value });
  };
  const readOnly = { htmlInput: { readOnly: !canEdit } };

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(values);
  }

  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate>
      {!canEdit && <Alert severity="info">Only the owner or an admin can change these details.</Alert>}
      <FormAlert errors={errors} />
      <TextField select label="Account type" value={values.type} onChange={set("type")} disabled={!canEdit}
        slotProps={{ select: { native: true } }} {...fieldError(errors, "type")}>
        <option value="professional">Professional</option>
        <option value="business">Business</option>
      </TextField>
      <TextField label="Business name" autoComplete="organization" value={values.business_name} onChange={set("business_name")}
        slotProps={readOnly} {...fieldError(errors, "business_name")} />
      <TextField label="Website" type="url" autoComplete="url" value={values.website} onChange={set("website")}
        placeholder="https://example.com" slotProps={readOnly} {...fieldError(errors, "website")} />
      <TextField label="Location" value={values.location} onChange={set("location")} slotProps={readOnly}
        {...fieldError(errors, "location")} />
      <TextField select label="Company size" value={values.company_size} onChange={set("company_size")} disabled={!canEdit}
        slotProps={{ select: { native: true }, inputLabel: { shrink: true } }} {...fieldError(errors, "company_size")}>
        {COMPANY_SIZES.map((size) => (
          <option key={size} value={size}>
            {size ? `${size} people` : "Not set"}
          </option>
        ))}
      </TextField>
      {canEdit && (
        <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
          <SubmitButton pending={save.isPending}>Save business details</SubmitButton>
          <div role="status">{save.isSuccess && <Alert severity="success" sx={{ py: 0 }}>Business details saved</Alert>}</div>
        </Stack>
      )}
    </Stack>
  );
}

export function OrganisationPage() {
  const accounts = usePagedList(ACCOUNTS_KEY, listAccounts);
  if (accounts.isPending) return <Loading />;
  if (accounts.isError) return <FormAlert errors={formErrors(accounts.error)} />;
  if (accounts.data.count === 0) return <EmptyState title="You are not a member of any account yet" />;
  return (
    <Stack spacing={3}>
      {accounts.data.items.map((account) => (
        <SectionCard key={account.id} title={account.business_name || "My account"}
          description={
            <Stack direction="row" spacing={1} component="span" sx={{ mt: 0.5, display: "flex" }}>
              <Chip size="small" label={`Role: ${account.role}`} component="span" />
              {account.is_owner && <Chip size="small" color="primary" label="Owner" component="span" />}
            </Stack>
          }>
          <Typography variant="subtitle2" component="h3">
            Business details
          </Typography>
          <BusinessDetails account={account} />
        </SectionCard>
      ))}
      <LoadMore list={accounts} />
    </Stack>
  );
}
