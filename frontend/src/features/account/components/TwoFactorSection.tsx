import { Alert, Box, Button, Stack, TextField, Typography } from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { QRCodeSVG } from "qrcode.react";
import { useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { Loading } from "../../../components/states";
import { useReauth } from "../../auth/hooks/useReauth";
import { activateTotp, deactivateTotp, getTwoFactor, startTotpSetup } from "../api";
import { ME_KEY, TWO_FACTOR_KEY } from "../queryKeys";
import { RecoveryCodes } from "./RecoveryCodes";
import { SectionCard } from "./SectionCard";


function TotpSetup({ secret, totpUrl, onActivated }: { secret: string; totpUrl: string; onActivated: () => void }) {
  const withReauth = useReauth();
  const [code, setCode] = useState("");
  const activate = useMutation({ mutationFn: (value: string) => withReauth(() => activateTotp(value)), onSuccess: onActivated });
  const errors = formErrors(activate.error, ["code"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    activate.mutate(code.trim());
  }

  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate>
      <Typography variant="body2">
        Scan this QR code with your authenticator app, or type the key into it. Then enter the code it shows.
      </Typography>
      <Box sx={{ p: 1.5, bgcolor: "#fff", alignSelf: "flex-start", border: 1, borderColor: "divider", borderRadius: 1 }}>
        <QRCodeSVG value={totpUrl} size={176} title="QR code for your authenticator app" />
      </Box>
      <Typography variant="body2">
        Key:{" "}
        <Box component="code" data-testid="totp-secret" sx={{ fontSize: "1rem", overflowWrap: "anywhere", userSelect: "all" }}>
          {secret}
        </Box>
      </Typography>
      <FormAlert errors={errors} />
      <TextField label="Authenticator code" autoComplete="one-time-code" value={code} autoFocus
        slotProps={{ htmlInput: { inputMode: "numeric" } }}
        onChange={(e) => setCode(e.target.value)} {...fieldError(errors, "code")} />
      <SubmitButton pending={activate.isPending} sx={{ alignSelf: "flex-start" }}>
        Activate
      </SubmitButton>
    </Stack>
  );
}

export function TwoFactorSection() {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const status = useQuery({ queryKey: TWO_FACTOR_KEY, queryFn: getTwoFactor });
  const [justActivated, setJustActivated] = useState(false);
  const setup = useMutation({ mutationFn: () => withReauth(startTotpSetup) });
  const refresh = () => {
    for (const queryKey of [TWO_FACTOR_KEY, ME_KEY]) void queryClient.invalidateQueries({ queryKey });
  };
  const turnOff = useMutation({
    mutationFn: () => withReauth(deactivateTotp),
    onSuccess: () => {
      setup.reset();
      setJustActivated(false);
      refresh();
    },
  });
  const errors = formErrors(setup.error ?? turnOff.error);

  function activated() {
    setJustActivated(true);
    refresh();
  }

  let body;
  if (status.isPending) body = <Loading />;
  else if (status.isError) body = <FormAlert errors={formErrors(status.error)} />;
  else if (status.data.totp)
    body = (
      <>
        <Alert severity="success">Two-factor authentication is on</Alert>
        <RecoveryCodes showAtOnce={justActivated} />
        <Button color="error" variant="outlined" onClick={() => turnOff.mutate()} loading={turnOff.isPending}
          sx={{ alignSelf: "flex-start" }}>
          Turn off two-factor authentication
        </Button>
      </>
    );
  else if (setup.data) body = <TotpSetup {...setup.data} onActivated={activated} />;
  else
    body = (
      <Button variant="contained" onClick={() => setup.mutate()} loading={setup.isPending} sx={{ alignSelf: "flex-start" }}>
        Set up two-factor authentication
      </Button>
    );

  return (
    <SectionCard title="Two-factor authentication"
      description="Ask for a code from an authenticator app, as well as your password, when you sign in.">
      <FormAlert errors={errors} />
      {body}
    </SectionCard>
  );
}
