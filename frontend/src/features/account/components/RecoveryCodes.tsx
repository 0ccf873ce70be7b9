import { Box, Button, Stack, Typography } from "@mui/material";
import { useMutation } from "@tanstack/react-query";
import { useEffect } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { useReauth } from "../../auth/hooks/useReauth";
import { getRecoveryCodes, regenerateRecoveryCodes } from "../api";

/** Recovery codes are shown only on request (they are secrets), and can be replaced. */
export function RecoveryCodes({ showAtOnce = false }: { showAtOnce?: boolean }) {
  const withReauth = useReauth();
  const show = useMutation({ mutationFn: () => withReauth(getRecoveryCodes) });
  const regenerate = useMutation({
    mutationFn: () => withReauth(regenerateRecoveryCodes),
    onSuccess: () => show.mutate(),
  });
  const errors = formErrors(show.error ?? regenerate.error);
  const { mutate: showCodes } = show;

  useEffect(() => {
    if (showAtOnce) showCodes();
  }, [showAtOnce, showCodes]);

  return (
    <Stack spacing={1.5}>
      <Typography variant="subtitle1" component="h3">
        Recovery codes
      </Typography>
      <Typography variant="body2" color="text.secondary">
        If you lose your phone, sign in with one of these. Each works once. Keep them somewhere safe.
      </Typography>
      <FormAlert errors={errors} />
      {show.data && (
        <Box component="ul" aria-label="Recovery codes"
          sx={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(9rem, 1fr))", gap: 1, p: 2, m: 0,
            listStyle: "none", bgcolor: "action.hover", borderRadius: 1, fontFamily: "monospace", fontSize: "1rem" }}>
          {show.data.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </Box>
      )}
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap" }}>
        {!show.data && (
          <Button variant="outlined" onClick={() => show.mutate()} loading={show.isPending}>
            Show recovery codes
          </Button>
        )}
        <Button onClick={() => regenerate.mutate()} loading={regenerate.isPending}>
          Generate new recovery codes
        </Button>
      </Stack>
    </Stack>
  );
}
