import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, FormControlLabel, Radio, RadioGroup } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { cancelMeeting } from "../../meetings/api";
import { MEETINGS_KEY } from "../../meetings/queryKeys";
import { cancelOccurrence, type CancelScope, type Occurrence } from "../api";
import { SCOPES, shortRange } from "../occurrences";

// A cancellation reaches this one or this and the following; the whole series is cancelled from the meeting's page.
const CANCEL_SCOPES = SCOPES.filter((scope): scope is { value: CancelScope; label: string } => scope.value !== "all");

interface Props {
  occurrence: Occurrence;
  /** The user's zone, in which the time is told. */
  timeZone: string;
  onDone: () => void;
  onClose: () => void;
}

/** Confirms cancelling a meeting; for a series, this meeting or this and the following ones. */
export function CancelOccurrenceDialog({ occurrence, timeZone, onDone, onClose }: Props) {
  const titleId = useId();
  const queryClient = useQueryClient();
  const [scope, setScope] = useState<CancelScope>("this");
  const save = useMutation({
    mutationFn: () =>
      occurrence.is_recurring
        ? cancelOccurrence(occurrence.meeting_code, occurrence.occurrence_key, scope)
        : cancelMeeting(occurrence.meeting_code),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: MEETINGS_KEY });
      onDone();
    },
  });

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId}>
      <DialogTitle id={titleId}>{occurrence.is_recurring ? "Cancel a repeating meeting" : "Cancel meeting"}</DialogTitle>
      <DialogContent>
        <FormAlert errors={formErrors(save.error)} />
        <DialogContentText gutterBottom>
          Cancel “{occurrence.title}” on {shortRange(occurrence.starts_at, occurrence.ends_at, timeZone)}?
        </DialogContentText>
        {occurrence.is_recurring && (
          <RadioGroup aria-label="Meetings to cancel" value={scope} onChange={(event) => setScope(event.target.value as CancelScope)}>
            {CANCEL_SCOPES.map(({ value, label }) => (
              <FormControlLabel key={value} value={value} control={<Radio />} label={label} />
            ))}
          </RadioGroup>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} autoFocus>Keep it</Button>
        <Button variant="contained" color="error" onClick={() => save.mutate()} loading={save.isPending}>Cancel meeting</Button>
      </DialogActions>
    </Dialog>
  );
}
