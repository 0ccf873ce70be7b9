import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { MEETINGS_KEY } from "../queryKeys";

interface Props {
  title: string;
  text: string;
  /** The confirm button; the other one, "Keep meeting", changes nothing. */
  confirmLabel: string;
  action: () => Promise<unknown>;
  onClose: () => void;
}

/** Asks before a change to a meeting that cannot be undone (cancel, end), then makes it. */
export function ConfirmMeetingActionDialog({ title, text, confirmLabel, action, onClose }: Props) {
  const queryClient = useQueryClient();
  const confirm = useMutation({
    mutationFn: action,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: MEETINGS_KEY });
      onClose();
    },
  });
  return (
    <Dialog open onClose={onClose}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <FormAlert errors={formErrors(confirm.error)} />
        <DialogContentText>{text}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} autoFocus>Keep meeting</Button>
        <Button color="error" variant="contained" onClick={() => confirm.mutate()} loading={confirm.isPending}>
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
