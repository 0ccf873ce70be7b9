import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from "@mui/material";
import type { FormErrors } from "../api/errors";
import { FormAlert } from "./form";

interface ConfirmDialogProps {
  /** Open unless told otherwise (for a dialog that is only mounted while it shows). */
  open?: boolean;
  title: string;
  text: string;
  /** The button that goes ahead. */
  confirmLabel: string;
  /** The button that changes nothing; it has the focus. */
  cancelLabel?: string;
  onConfirm: () => void;
  onClose: () => void;
  /** While the step runs, the confirm button says so. */
  pending?: boolean;
  /** Why the step failed, shown above the question. */
  errors?: FormErrors;
}

/** A yes/no question before a step that cannot be undone. */
export function ConfirmDialog({
  open = true,
  title,
  text,
  confirmLabel,
  cancelLabel = "Cancel",
  onConfirm,
  onClose,
  pending,
  errors,
}: ConfirmDialogProps) {
  return (
    <Dialog open={open} onClose={onClose}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        {errors && <FormAlert errors={errors} />}
        <DialogContentText>{text}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} autoFocus>
          {cancelLabel}
        </Button>
        <Button color="error" variant="contained" onClick={onConfirm} loading={pending}>
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
