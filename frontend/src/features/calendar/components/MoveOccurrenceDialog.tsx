import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, FormControlLabel, Radio, RadioGroup } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { MEETINGS_KEY } from "../../meetings/queryKeys";
import { moveOccurrence, type Occurrence, type SeriesScope } from "../api";
import { SCOPES, moveQuestion } from "../occurrences";

export interface PendingMove {
  occurrence: Occurrence;
  starts_at: string;
  ends_at: string;
}

interface Props {
  move: PendingMove;
  /** The user's zone, in which the new time is told. */
  timeZone: string;
  onSaved: () => void;
  /** The move was not saved (the calendar puts the event back); the dialog stays open on an error. */
  onFailed: () => void;
  onCancel: () => void;
}

/** Asks before a dragged or resized occurrence is saved; for a series, which meetings it moves. */
export function MoveOccurrenceDialog({ move, timeZone, onSaved, onFailed, onCancel }: Props) {
  const titleId = useId();
  const queryClient = useQueryClient();
  const [scope, setScope] = useState<SeriesScope>("this");
  const { occurrence } = move;
  const save = useMutation({
    mutationFn: () =>
      moveOccurrence(occurrence.meeting_code, occurrence.occurrence_key, { scope, starts_at: move.starts_at, ends_at: move.ends_at }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: MEETINGS_KEY });
      onSaved();
    },
    onError: onFailed,
  });

  return (
    <Dialog open onClose={onCancel} aria-labelledby={titleId}>
      <DialogTitle id={titleId}>{occurrence.is_recurring ? "Move a repeating meeting" : "Move meeting"}</DialogTitle>
      <DialogContent>
        <FormAlert errors={formErrors(save.error)} />
        <DialogContentText gutterBottom>{moveQuestion(occurrence.title, move.starts_at, move.ends_at, timeZone)}</DialogContentText>
        {occurrence.is_recurring && (
          <RadioGroup aria-label="Meetings to move" value={scope} onChange={(event) => setScope(event.target.value as SeriesScope)}>
            {SCOPES.map(({ value, label }) => (
              <FormControlLabel key={value} value={value} control={<Radio />} label={label} />
            ))}
          </RadioGroup>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel} autoFocus>Cancel</Button>
        <Button variant="contained" onClick={() => save.mutate()} loading={save.isPending}>Move</Button>
      </DialogActions>
    </Dialog>
  );
}
