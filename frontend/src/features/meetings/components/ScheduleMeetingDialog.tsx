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
import { formatTimeRange, nextDay, nextHourSlot, zoneLabel, zonedToUtcIso } from "../zonedTime";

const FIELDS = ["title", "description", "starts_at", "ends_at", "timezone", "invitees", "passcode"];
const SWITCHES = [
  { name: "waiting_room_enabled", label: "Waiting room" },
  { name: "guests_allowed", label: "Allow guests" },
  { name: "recording_allowed", label: "Allow recording" },
] as const;

type Settings = Record<(typeof SWITCHES)[number]["name"], boolean>;
type TextName = "title" | "description" | "date" | "startTime" | "endTime" | "timezone" | "invitees" | "passcode";
type Values = Settings & Record<TextName, string>;

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
        <Typography sx={{ fontFamily: "monospace", wordBreak: "break-all" }}>{link}</Typography>
      </DialogContent>
      <DialogActions>
        <CopyLinkButton link={link} />
        <Button variant="contained" onClick={onClose}>Done</Button>
      </DialogActions>
    </>
  );
}

/** Schedules a meeting at a date and time in the chosen zone (the user's own by default). */
export function ScheduleMeetingDialog({ timeZone, onClose }: { timeZone: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(() => {
    const slot = nextHourSlot(timeZone);
    return {
      title: "", description: "", ...slot, timezone: timeZone, invitees: "", passcode: "",
      waiting_room_enabled: true, guests_allowed: true, recording_allowed: false,
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

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(requestBody(values));
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
                <TextField {...text("date", "Date")} type="date" slotProps={{ inputLabel: { shrink: true } }} />
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
                <TextField {...text("invitees", "Invitees")} multiline rows={3} autoComplete="email"
                  {...hint("invitees", "Email addresses, separated by commas or new lines")} />
              </Grid>
              <Grid size={12}>
                <TextField {...text("passcode", "Passcode")} autoComplete="off" {...hint("passcode", "Optional: 4 to 10 letters or digits")} />
              </Grid>
              <Grid size={12}>
                <FormGroup>
                  {SWITCHES.map(({ name, label }) => (
                    <FormControlLabel key={name} label={label}
                      control={<Switch checked={values[name]} onChange={(event) => setValues({ ...values, [name]: event.target.checked })} />} />
                  ))}
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
