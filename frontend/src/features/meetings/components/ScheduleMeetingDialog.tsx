import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, FormControlLabel, FormGroup, Grid, Switch, TextField, Typography } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { CopyLinkButton } from "../../../components/CopyLinkButton";
import { fieldError } from "../../../components/fieldError";
import { FormAlert, SubmitButton } from "../../../components/form";
import { timeZoneOptions } from "../../account/timeZones";
import { createMeeting, type Meeting, type MeetingIn } from "../api";
import { shareableLink } from "../meetingLinks";
import { MEETINGS_KEY } from "../queryKeys";
import { followStartDate, initialRecurrence, recurrenceErrors, recurrencePayload, type RecurrenceValues } from "../recurrence";
import { formatTimeRange, nextDay, nextHourSlot, zoneLabel, zonedToUtcIso } from "../zonedTime";
import { RecurrenceFields } from "./RecurrenceFields";

// The rule's own fields are reported by name (422 `loc` ends in them) and shown under "Repeat".
const RECURRENCE_FIELDS = ["recurrence", "frequency", "interval", "weekdays", "until", "count"];
const FIELDS = ["title", "description", "starts_at", "ends_at", "timezone", "invitees", "passcode", ...RECURRENCE_FIELDS];
const SWITCHES = [
  { name: "waiting_room_enabled", label: "Waiting room" },
  { name: "guests_allowed", label: "Allow guests" },
  { name: "recording_allowed", label: "Allow recording" },
  { name: "transcription_enabled", label: "Transcribe recordings" },
] as const;
// A transcript is made from a recording: the switch is off and disabled while recording is.
const needsRecording = (name: (typeof SWITCHES)[number]["name"]) => name === "transcription_enabled";

type Settings = Record<(typeof SWITCHES)[number]["name"], boolean>;
type TextName = "title" | "description" | "date" | "startTime" | "endTime" | "timezone" | "invitees" | "passcode";
type Values = Settings & Record<TextName, string> & { recurrence: RecurrenceValues };

/** A start and end (wall clock in the dialog's zone) to offer instead of the next full hour. */
export interface Slot {
  date: string;
  startTime: string;
  endTime: string;
}

const at = (date: string, time: string, zone: string) => (date && time ? zonedToUtcIso(date, time, zone) : null);

function requestBody(values: Values): MeetingIn {
  // An end time before the start time means the meeting runs past midnight.
  const endDate = values.endTime && values.endTime < values.startTime ? nextDay(values.date) : values.date;
  return {
    kind: "scheduled",
    title: values.title.trim() || null, // the server names an untitled meeting after its host
    description: values.description,
    timezone: values.timezone,
    starts_at: at(values.date, values.startTime, values.timezone),
    ends_at: at(endDate, values.endTime, values.timezone),
    invitees: values.invitees.split(/[,\n]/).map((email) => email.trim()).filter(Boolean).map((email) => ({ email, name: "" })),
    passcode: values.passcode || null,
    waiting_room_enabled: values.waiting_room_enabled,
    guests_allowed: values.guests_allowed,
    recording_allowed: values.recording_allowed,
    transcription_enabled: values.recording_allowed && values.transcription_enabled,
    recurrence: recurrencePayload(values.recurrence, values.date),
  };
}

function Scheduled({ meeting, onClose }: { meeting: Meeting; onClose: () => void }) {
  const link = shareableLink(meeting);
  return (
    <>
      <DialogTitle>Meeting scheduled</DialogTitle>
      <DialogContent>
        <DialogContentText gutterBottom>
          {meeting.title}, {meeting.starts_at && formatTimeRange(meeting.starts_at, meeting.ends_at, meeting.timezone)} ({zoneLabel(meeting.timezone)})
        </DialogContentText>
        {meeting.recurrence_text && <DialogContentText gutterBottom>{meeting.recurrence_text}</DialogContentText>}
        <Typography sx={{ fontFamily: "monospace", wordBreak: "break-all" }}>{link}</Typography>
      </DialogContent>
      <DialogActions>
        <CopyLinkButton link={link} />
        <Button variant="contained" onClick={onClose}>Done</Button>
      </DialogActions>
    </>
  );
}

interface Props {
  /** The user's own zone: the default, and the zone `slot` is in. */
  timeZone: string;
  /** Prefilled start and end (e.g. a slot selected on the calendar); default: the next full hour. */
  slot?: Slot;
  onClose: () => void;
}

/** Schedules a meeting, once or repeating, at a date and time in the chosen zone (the user's own by default). */
export function ScheduleMeetingDialog({ timeZone, slot, onClose }: Props) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(() => {
    const start = slot ?? nextHourSlot(timeZone);
    return {
      title: "", description: "", ...start, timezone: timeZone, invitees: "", passcode: "",
      waiting_room_enabled: true, guests_allowed: true, recording_allowed: false, transcription_enabled: false,
      recurrence: initialRecurrence(start.date),
    };
  });
  // Hundreds of options: build them once, not on every keystroke.
  const zoneOptions = useMemo(
    () => timeZoneOptions(timeZone).map((zone) => <option key={zone} value={zone}>{zoneLabel(zone)}</option>),
    [timeZone],
  );
  const save = useMutation({
    mutationFn: createMeeting,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: MEETINGS_KEY }),
  });
  const errors = formErrors(save.error, FIELDS);
  const set = (name: TextName) => (event: { target: { value: string } }) => setValues({ ...values, [name]: event.target.value });
  const text = (name: TextName, label: string) => ({ label, value: values[name], onChange: set(name), fullWidth: true });
  const hint = (name: string, help: string) => ({ ...fieldError(errors, name), helperText: errors.fields[name] ?? help });
  const recurrenceError = RECURRENCE_FIELDS.map((name) => errors.fields[name]).find(Boolean);
  // Shown once the user tries to schedule: a blank end would otherwise send an endless series.
  const [checked, setChecked] = useState(false);
  const endErrors = recurrenceErrors(values.recurrence, values.date);
  const changeDate = (event: { target: { value: string } }) =>
    setValues({ ...values, date: event.target.value, recurrence: followStartDate(values.recurrence, values.date, event.target.value) });

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(endErrors).length === 0) save.mutate(requestBody(values));
  }

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm"
      slotProps={{ paper: save.data ? {} : { component: "form", onSubmit: submit } }}>
      {save.data ? (
        <Scheduled meeting={save.data} onClose={onClose} />
      ) : (
        <>
          <DialogTitle>Schedule a meeting</DialogTitle>
          <DialogContent>
            <FormAlert errors={errors} />
            <Grid container spacing={2} sx={{ pt: 1 }}>
              <Grid size={12}>
                <TextField {...text("title", "Title")} autoFocus {...fieldError(errors, "title")} />
              </Grid>
              <Grid size={12}>
                <TextField {...text("description", "Description")} multiline rows={3} {...fieldError(errors, "description")} />
              </Grid>
              <Grid size={{ xs: 12, sm: 4 }}>
                <TextField {...text("date", "Date")} onChange={changeDate} type="date" slotProps={{ inputLabel: { shrink: true } }} />
              </Grid>
              <Grid size={{ xs: 6, sm: 4 }}>
                <TextField {...text("startTime", "Start time")} type="time" slotProps={{ inputLabel: { shrink: true } }} {...fieldError(errors, "starts_at")} />
              </Grid>
              <Grid size={{ xs: 6, sm: 4 }}>
                <TextField {...text("endTime", "End time")} type="time" slotProps={{ inputLabel: { shrink: true } }} {...fieldError(errors, "ends_at")} />
              </Grid>
              <Grid size={12}>
                <TextField {...text("timezone", "Time zone")} select slotProps={{ select: { native: true } }} {...fieldError(errors, "timezone")}>
                  {zoneOptions}
                </TextField>
              </Grid>
              <Grid size={12}>
                <RecurrenceFields values={values.recurrence} startDate={values.date} error={recurrenceError}
                  fieldErrors={checked ? endErrors : {}}
                  onChange={(recurrence) => setValues({ ...values, recurrence })} />
              </Grid>
              <Grid size={12}>
                <TextField {...text("invitees", "Invitees")} multiline rows={3} autoComplete="email"
                  {...hint("invitees", "Email addresses, separated by commas or new lines")} />
              </Grid>
              <Grid size={12}>
                <TextField {...text("passcode", "Passcode")} autoComplete="off" {...hint("passcode", "Optional: 4 to 10 letters or digits")} />
              </Grid>
              <Grid size={12}>
                <FormGroup>
                  {SWITCHES.map(({ name, label }) => {
                    const off = needsRecording(name) && !values.recording_allowed;
                    return (
                      <FormControlLabel key={name} label={label} disabled={off}
                        control={<Switch checked={values[name] && !off} onChange={(event) => setValues({ ...values, [name]: event.target.checked })} />} />
                    );
                  })}
                </FormGroup>
              </Grid>
            </Grid>
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <SubmitButton pending={save.isPending}>Schedule</SubmitButton>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
}
