import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, FormControlLabel, Grid, Radio, RadioGroup, TextField } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { MEETINGS_KEY } from "../../meetings/queryKeys";
import { nextDay, zonedToUtcIso } from "../../meetings/zonedTime";
import { moveOccurrence, type Occurrence, type SeriesScope } from "../api";
import { SCOPES, moveQuestion, slotIn } from "../occurrences";

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
  /** Ask for the new date and times (in `timeZone`) instead of taking a drag's: "Change time…" from the keyboard. */
  editTime?: boolean;
}

type Times = ReturnType<typeof slotIn>;
const TIME_FIELDS = [["date", "Date", "date"], ["startTime", "Start time", "time"], ["endTime", "End time", "time"]] as const;

/** The instants of a date and wall-clock times in `zone`; an end before the start runs past midnight. */
function instantsOf({ date, startTime, endTime }: Times, zone: string) {
  if (!date || !startTime || !endTime) return null;
  const endDate = endTime <= startTime ? nextDay(date) : date;
  return { starts_at: zonedToUtcIso(date, startTime, zone), ends_at: zonedToUtcIso(endDate, endTime, zone) };
}

/** Asks before a dragged or resized occurrence is saved; for a series, which meetings it moves. */
export function MoveOccurrenceDialog({ move, timeZone, onSaved, onFailed, onCancel, editTime = false }: Props) {
  const titleId = useId();
  const queryClient = useQueryClient();
  const [scope, setScope] = useState<SeriesScope>("this");
  const [times, setTimes] = useState<Times>(() => slotIn(new Date(move.starts_at), new Date(move.ends_at), timeZone));
  const { occurrence } = move;
  const target = editTime ? instantsOf(times, timeZone) : move;
  const save = useMutation({
    mutationFn: (to: { starts_at: string; ends_at: string }) =>
      moveOccurrence(occurrence.meeting_code, occurrence.occurrence_key, { scope, starts_at: to.starts_at, ends_at: to.ends_at }),
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
        {editTime && (
          <Grid container spacing={2} sx={{ pt: 1, pb: 2 }}>
            {TIME_FIELDS.map(([name, label, type]) => (
              <Grid key={name} size={{ xs: 12, sm: 4 }}>
                <TextField label={label} type={type} value={times[name]} fullWidth slotProps={{ inputLabel: { shrink: true } }}
                  onChange={(event) => setTimes({ ...times, [name]: event.target.value })} />
              </Grid>
            ))}
          </Grid>
        )}
        {target && <DialogContentText gutterBottom>{moveQuestion(occurrence.title, target.starts_at, target.ends_at, timeZone)}</DialogContentText>}
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
        <Button variant="contained" disabled={!target} onClick={() => target && save.mutate(target)} loading={save.isPending}>Move</Button>
      </DialogActions>
    </Dialog>
  );
}
