import { Button, Card, CardActions, CardContent, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Grid, Stack, Typography } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { EmptyState, Loading } from "../../../components/states";
import { deleteAddress, listAddresses, type Address } from "../api";
import { usePagedList } from "../hooks/usePagedList";
import { ADDRESSES_KEY } from "../queryKeys";
import { AddressDialog } from "./AddressDialog";
import { LoadMore } from "./LoadMore";

function DeleteAddressDialog({ address, onClose }: { address: Address; onClose: () => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => deleteAddress(address.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ADDRESSES_KEY });
      onClose();
    },
  });
  return (
    <Dialog open onClose={onClose}>
      <DialogTitle>Delete this address?</DialogTitle>
      <DialogContent>
        <FormAlert errors={formErrors(remove.error)} />
        <DialogContentText>
          {address.name}, {address.line1}, {address.city}
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button color="error" variant="contained" onClick={() => remove.mutate()} loading={remove.isPending}>
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function AddressesPage() {
  const addresses = usePagedList(ADDRESSES_KEY, listAddresses);
  const [editing, setEditing] = useState<Address | "new" | null>(null);
  const [deleting, setDeleting] = useState<Address | null>(null);

  let body;
  if (addresses.isPending) body = <Loading />;
  else if (addresses.isError) body = <FormAlert errors={formErrors(addresses.error)} />;
  else if (addresses.data.count === 0)
    body = (
      <EmptyState title="No addresses yet">
        <Typography color="text.secondary">Add one for invoices and deliveries.</Typography>
      </EmptyState>
    );
  else
    body = (
      <Grid container spacing={2}>
        {addresses.data.items.map((address) => (
          <Grid key={address.id} size={{ xs: 12, sm: 6 }}>
            <Card variant="outlined" sx={{ height: "100%" }}>
              <CardContent>
                <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
                  {address.name}
                </Typography>
                <Typography variant="body2" component="address" sx={{ fontStyle: "normal", whiteSpace: "pre-line" }}>
                  {[address.line1, address.line2, address.locality, [address.city, address.state, address.postal_code].filter(Boolean).join(", "), address.country, address.phone]
                    .filter(Boolean)
                    .join("\n")}
                </Typography>
              </CardContent>
              <CardActions>
                <Button onClick={() => setEditing(address)} aria-label={`Edit address ${address.name}`}>
                  Edit
                </Button>
                <Button color="error" onClick={() => setDeleting(address)} aria-label={`Delete address ${address.name}`}>
                  Delete
                </Button>
              </CardActions>
            </Card>
          </Grid>
        ))}
      </Grid>
    );

  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ justifyContent: "space-between", alignItems: "center" }}>
        <Typography variant="h6" component="h2">
          Addresses
        </Typography>
        <Button variant="contained" onClick={() => setEditing("new")}>
          Add address
        </Button>
      </Stack>
      {body}
      <LoadMore list={addresses} />
      {editing && <AddressDialog address={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteAddressDialog address={deleting} onClose={() => setDeleting(null)} />}
    </Stack>
  );
}
