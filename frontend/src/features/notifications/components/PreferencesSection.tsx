import { Alert, Button, FormControl, InputLabel, MenuItem, Select, Stack, Switch, Table, TableBody, TableCell, TableContainer,
  TableHead, TableRow } from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { Loading } from "../../../components/states";
import { SectionCard } from "../../account/components/SectionCard";
import { getPreferences, setPreferences, type Channel, type Preferences } from "../api";
import { PREFERENCES_KEY } from "../queryKeys";

const CHANNELS: { channel: Channel; label: string }[] = [
  { channel: "email", label: "Email" },
  { channel: "sms", label: "SMS" },
  { channel: "push", label: "Push" },
  { channel: "inapp", label: "In app" },
];

const REMINDER_CHOICES = [
  { minutes: 0, label: "No reminder" },
  { minutes: 5, label: "5 minutes before" },
  { minutes: 10, label: "10 minutes before" },
  { minutes: 15, label: "15 minutes before" },
  { minutes: 30, label: "30 minutes before" },
  { minutes: 60, label: "1 hour before" },
  { minutes: 1440, label: "1 day before" },
];

/** Which events reach the person by which channel, and when meeting reminders go out. Saved together. */
export function PreferencesSection() {
  const queryClient = useQueryClient();
  const saved = useQuery({ queryKey: PREFERENCES_KEY, queryFn: getPreferences });
  const [draft, setDraft] = useState<Preferences | null>(null);
  const save = useMutation({
    mutationFn: setPreferences,
    onSuccess: (preferences) => {
      queryClient.setQueryData(PREFERENCES_KEY, preferences);
      setDraft(null);
    },
  });

  if (saved.isPending) return <SectionCard title="Notifications"><Loading /></SectionCard>;
  if (saved.isError) return <SectionCard title="Notifications"><FormAlert errors={formErrors(saved.error)} /></SectionCard>;
  const shown = draft ?? saved.data;

  function edit(change: Partial<Preferences>) {
    save.reset();
    setDraft({ ...shown, ...change });
  }
  function toggle(event: string, channel: Channel, on: boolean) {
    edit({ events: shown.events.map((row) => (row.event === event ? { ...row, channels: { ...row.channels, [channel]: on } } : row)) });
  }
  // A value set elsewhere (the API takes any 0..1440) stays choosable.
  const choices = REMINDER_CHOICES.some((c) => c.minutes === shown.reminder_minutes)
    ? REMINDER_CHOICES
    : [...REMINDER_CHOICES, { minutes: shown.reminder_minutes, label: `${shown.reminder_minutes} minutes before` }];

  return (
    <SectionCard title="Notifications"
      description="Choose how we tell you about each event. SMS goes to your verified phone number (Security tab).">
      <FormAlert errors={formErrors(save.error)} />
      <div role="status">{save.isSuccess && <Alert severity="success">Notification settings saved</Alert>}</div>
      <TableContainer>
        <Table size="small" aria-label="Notification channels">
          <TableHead>
            <TableRow>
              <TableCell>Event</TableCell>
              {CHANNELS.map(({ channel, label }) => (
                <TableCell key={channel} align="center">{label}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.events.map((row) => (
              <TableRow key={row.event}>
                <TableCell component="th" scope="row">{row.label}</TableCell>
                {CHANNELS.map(({ channel, label }) => (
                  <TableCell key={channel} align="center" padding="checkbox">
                    <Switch checked={row.channels[channel]} onChange={(e) => toggle(row.event, channel, e.target.checked)}
                      slotProps={{ input: { "aria-label": `${row.label}: ${label}` } }} />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <FormControl sx={{ maxWidth: 280 }}>
        <InputLabel id="reminder-minutes-label">Meeting reminders</InputLabel>
        <Select labelId="reminder-minutes-label" label="Meeting reminders" value={shown.reminder_minutes}
          onChange={(e) => edit({ reminder_minutes: Number(e.target.value) })}>
          {choices.map(({ minutes, label }) => (
            <MenuItem key={minutes} value={minutes}>{label}</MenuItem>
          ))}
        </Select>
      </FormControl>
      <Stack direction="row" spacing={1}>
        <Button variant="contained" disabled={!draft} loading={save.isPending} onClick={() => draft && save.mutate(draft)}>
          Save
        </Button>
        <Button disabled={!draft || save.isPending} onClick={() => { save.reset(); setDraft(null); }}>
          Discard changes
        </Button>
      </Stack>
    </SectionCard>
  );
}
