import { ConfirmDialog } from "../../../components/ConfirmDialog";

interface EndMeetingDialogProps {
  open: boolean;
  onEnd: () => void;
  onClose: () => void;
}

export function EndMeetingDialog({ open, onEnd, onClose }: EndMeetingDialogProps) {
  return (
    <ConfirmDialog
      open={open}
      title="End the meeting for everyone?"
      text="Everyone, you included, will leave the meeting and nobody can rejoin it."
      confirmLabel="End for all"
      onConfirm={() => {
        onEnd();
        onClose();
      }}
      onClose={onClose}
    />
  );
}
