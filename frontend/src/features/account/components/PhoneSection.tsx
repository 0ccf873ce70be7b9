import { Alert, Button, Chip, Stack, TextField, Typography } from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { Loading } from "../../../components/states";
import { useReauth } from "../../auth/hooks/useReauth";
import { changePhone, getPhone, verifyPhone } from "../api";
import { ME_KEY, PHONE_KEY } from "../queryKeys";
import { SectionCard } from "./SectionCard";

/** Adding or changing the phone number: the number is only saved once the code texted to it is entered. */
export function PhoneSection() {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const current = useQuery({ queryKey: PHONE_KEY, queryFn: getPhone });
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const send = useMutation({ mutationFn: (number: string) => withReauth(() => changePhone(number)) });
  const verify = useMutation({
    mutationFn: verifyPhone,
    onSuccess: () => {
      send.reset();
      setPhone("");
      setCode("");
      for (const queryKey of [PHONE_KEY, ME_KEY]) void queryClient.invalidateQueries({ queryKey });
    },
  });
  const errors = formErrors(send.error ?? verify.error, ["phone", "code"]);
  const awaitingCode = send.isSuccess;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (awaitingCode) verify.mutate(code.trim());
    else {
      verify.reset();
      send.mutate(phone.trim());
    }
  }

  let status;
  if (current.isPending) status = <Loading />;
  else if (current.isError) status = <FormAlert errors={formErrors(current.error)} />;
  else if (!current.data) status = <Typography color="text.secondary">No phone number yet.</Typography>;
  else
    status = (
      <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
        <Typography>{current.data.phone}</Typography>
        <Chip size="small" variant="outlined" color={current.data.verified ? "success" : "warning"}
          label={current.data.verified ? "Verified" : "Not verified"} />
      </Stack>
    );

  return (
    <SectionCard title="Phone number" description="A verified number can sign in with a code sent by SMS.">
      {status}
      <div role="status">{verify.isSuccess && <Alert severity="success">Phone number verified</Alert>}</div>
      <Stack component="form" spacing={2} onSubmit={submit} noValidate>
        <FormAlert errors={errors} />
        {awaitingCode ? (
          <>
            <Alert severity="info">We sent a code to {send.variables}. Enter it to verify the number.</Alert>
            <TextField label="SMS code" autoComplete="one-time-code" value={code} autoFocus
              onChange={(e) => setCode(e.target.value)} {...fieldError(errors, "code")} />
            <Stack direction="row" spacing={1}>
              <SubmitButton pending={verify.isPending}>Verify phone</SubmitButton>
              <Button onClick={() => {
                send.reset();
                verify.reset();
              }}>
                Cancel
              </Button>
            </Stack>
          </>
        ) : (
          <>
            <TextField label="Phone number" type="tel" autoComplete="tel" value={phone} placeholder="+919812345678"
              onChange={(e) => setPhone(e.target.value)} {...fieldError(errors, "phone")}
              helperText={errors.fields.phone ?? "With country code. We text it a code to verify it."} />
            <SubmitButton pending={send.isPending} sx={{ alignSelf: "flex-start" }}>
              Send code
            </SubmitButton>
          </>
        )}
      </Stack>
    </SectionCard>
  );
}
