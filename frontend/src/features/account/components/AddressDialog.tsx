import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Grid, TextField } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { createAddress, updateAddress, type Address, type AddressIn } from "../api";
import { ADDRESSES_KEY } from "../queryKeys";


const FIELDS: { name: keyof AddressIn; label: string; autoComplete: string; half?: boolean }[] = [
  { name: "name", label: "Name", autoComplete: "name" },
  { name: "phone", label: "Phone", autoComplete: "tel", half: true },
  { name: "line1", label: "Address line 1", autoComplete: "address-line1" },
  { name: "line2", label: "Address line 2", autoComplete: "address-line2" },
  { name: "locality", label: "Locality", autoComplete: "address-level3", half: true },
  { name: "city", label: "City", autoComplete: "address-level2", half: true },
  { name: "state", label: "State", autoComplete: "address-level1", half: true },
  { name: "postal_code", label: "Postal code", autoComplete: "postal-code", half: true },
  { name: "country", label: "Country code", autoComplete: "country", half: true },
];

const EMPTY: AddressIn = { name: "", phone: "", line1: "", line2: "", locality: "", city: "", state: "", postal_code: "", country: "" };

/** Adds an address, or edits `address` when given. */
export function AddressDialog({ address, onClose }: { address?: Address; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<AddressIn>(() =>
    address ? Object.fromEntries(FIELDS.map((f) => [f.name, address[f.name] ?? ""])) as AddressIn : EMPTY,
  );
  const save = useMutation({
    mutationFn: (body: AddressIn) => (address ? updateAddress(address.id, body) : createAddress(body)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ADDRESSES_KEY });
      onClose();
    },
  });
  const errors = formErrors(save.error, FIELDS.map((f) => f.name));

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ ...values, country: String(values.country).trim().toUpperCase() });
  }

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" slotProps={{ paper: { component: "form", onSubmit: submit } }}>
      <DialogTitle>{address ? "Edit address" : "Add address"}</DialogTitle>
      <DialogContent>
        <FormAlert errors={errors} />
        <Grid container spacing={2} sx={{ pt: 1 }}>
          {FIELDS.map((field) => (
            <Grid key={field.name} size={{ xs: 12, sm: field.half ? 6 : 12 }}>
              <TextField label={field.label} autoComplete={field.autoComplete} fullWidth
                value={values[field.name] ?? ""} onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
                {...fieldError(errors, field.name)}
                placeholder={field.name === "country" ? "IN" : undefined}
                autoFocus={field.name === "name"} />
            </Grid>
          ))}
        </Grid>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <SubmitButton pending={save.isPending}>Save address</SubmitButton>
      </DialogActions>
    </Dialog>
  );
}
