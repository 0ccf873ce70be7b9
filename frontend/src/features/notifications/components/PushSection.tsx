import { Alert, Button, Stack, Typography } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { Loading } from "../../../components/states";
import { SectionCard } from "../../account/components/SectionCard";
import { usePushState } from "../hooks/usePushState";
import { disablePush, enablePush, PushError } from "../push";
import { PUSH_STATE_KEY } from "../queryKeys";

const errorText = (error: unknown) => (error instanceof PushError ? error.message : formErrors(error).message);

/** Web push on this browser: turn it on (permission, service worker, subscription) or off. */
export function PushSection() {
  const queryClient = useQueryClient();
  const state = usePushState();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: PUSH_STATE_KEY });
  const enable = useMutation({ mutationFn: enablePush, onSettled });
  const disable = useMutation({ mutationFn: disablePush, onSettled });
  const failure = enable.error ?? disable.error;

  let body;
  if (state.isPending) body = <Loading />;
  else if (state.isError) body = <FormAlert errors={formErrors(state.error)} />;
  else if (state.data === "unsupported")
    body = <Alert severity="info">This browser cannot show notifications from websites.</Alert>;
  else if (state.data === "denied")
    body = <Alert severity="warning">Notifications are blocked for this site. Allow them in your browser's site settings, then reload.</Alert>;
  else if (state.data === "on")
    body = (
      <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
        <Typography sx={{ flexGrow: 1 }}>This browser shows your notifications.</Typography>
        <Button variant="outlined" loading={disable.isPending} onClick={() => { enable.reset(); disable.mutate(); }}>
          Disable
        </Button>
      </Stack>
    );
  else
    body = (
      <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
        <Typography sx={{ flexGrow: 1 }}>This browser does not show your notifications yet.</Typography>
        <Button variant="contained" loading={enable.isPending} onClick={() => { disable.reset(); enable.mutate(); }}>
          Enable browser notifications
        </Button>
      </Stack>
    );

  return (
    <SectionCard title="Browser notifications"
      description="Reminders and people waiting to be let in pop up even when this tab is in the background. Turn it on in each browser you use.">
      {failure && <Alert severity="error" role="alert">{errorText(failure)}</Alert>}
      {body}
    </SectionCard>
  );
}
