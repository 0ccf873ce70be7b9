import { useMutation, useQueryClient } from "@tanstack/react-query";
import { formErrors } from "../../../api/errors";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
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
    <ConfirmDialog title={title} text={text} confirmLabel={confirmLabel} cancelLabel="Keep meeting"
      onConfirm={() => confirm.mutate()} onClose={onClose} pending={confirm.isPending} errors={formErrors(confirm.error)} />
  );
}
