import { FormControlLabel, FormLabel, Radio, RadioGroup, Stack, TextField, ToggleButton, ToggleButtonGroup, Typography } from "@mui/material";
import type { Weekday } from "../api";
import { WEEKDAYS, recurrenceSummary, type Repeat, type RecurrenceValues, type RepeatEnd } from "../recurrence";

const REPEATS: { value: Repeat; label: string }[] = [
  { value: "none", label: "Does not repeat" },
  { value: "daily", label: "Daily" },
  { value: "weekdays", label: "Every weekday (Monday to Friday)" },
  { value: "weekly", label: "Weekly" },
  { value: "monthly", label: "Monthly" },
];

interface Props {
  values: RecurrenceValues;
  /** The meeting's first day (YYYY-MM-DD): the default weekday and the day of the month. */
  startDate: string;
  onChange: (values: RecurrenceValues) => void;
  /** The server's complaint about the rule, if any. */
  error?: string;
  /** What the user must fix in the end date or the count (see `recurrenceErrors`). */
  fieldErrors?: { until?: string; count?: string };
}

/** How a scheduled meeting repeats: frequency, weekdays (weekly), and when the series ends. */
export function RecurrenceFields({ values, startDate, onChange, error, fieldErrors = {} }: Props) {
  const set = (patch: Partial<RecurrenceValues>) => onChange({ ...values, ...patch });
  const summary = recurrenceSummary(values, startDate);

  return (
    <Stack spacing={2}>
      <TextField select label="Repeat" value={values.repeat} fullWidth slotProps={{ select: { native: true } }}
        onChange={(event) => set({ repeat: event.target.value as Repeat })} error={Boolean(error)} helperText={error}>
        {REPEATS.map(({ value, label }) => <option key={value} value={value}>{label}</option>)}
      </TextField>
      {values.repeat === "weekly" && (
        <ToggleButtonGroup value={values.weekdays} aria-label="Repeat on" size="small"
          onChange={(_, weekdays: Weekday[]) => set({ weekdays })}>
          {WEEKDAYS.map(({ code, short, name }) => (
            <ToggleButton key={code} value={code} aria-label={name} sx={{ px: 1.5 }}>{short}</ToggleButton>
          ))}
        </ToggleButtonGroup>
      )}
      {values.repeat !== "none" && (
        <Stack spacing={1} component="fieldset" sx={{ border: 0, p: 0, m: 0 }}>
          <FormLabel component="legend">Ends</FormLabel>
          <RadioGroup value={values.end} onChange={(event) => set({ end: event.target.value as RepeatEnd })}>
            <FormControlLabel value="never" control={<Radio />} label="Never" />
            <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
              <FormControlLabel value="until" control={<Radio />} label="On" />
              <TextField type="date" size="small" label="End date" value={values.until} disabled={values.end !== "until"}
                onChange={(event) => set({ until: event.target.value })}
                error={Boolean(fieldErrors.until)} helperText={fieldErrors.until} slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: startDate } }} />
            </Stack>
            <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
              <FormControlLabel value="count" control={<Radio />} label="After" />
              <TextField type="number" size="small" label="Occurrences" value={values.count} disabled={values.end !== "count"}
                onChange={(event) => set({ count: event.target.value })}
                error={Boolean(fieldErrors.count)} helperText={fieldErrors.count} slotProps={{ htmlInput: { min: 1, max: 500 } }} sx={{ width: 140 }} />
            </Stack>
          </RadioGroup>
        </Stack>
      )}
      {summary && <Typography color="text.secondary" role="status">{summary}</Typography>}
    </Stack>
  );
}
