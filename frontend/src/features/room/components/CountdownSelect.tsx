import { MenuItem, TextField } from "@mui/material";

const COUNTDOWNS = [0, 10, 30, 60, 120];

/** How long everyone sees "returning to the main room" before the breakout rooms close. */
export function CountdownSelect({ value, onChange }: { value: number; onChange: (seconds: number) => void }) {
  return (
    <TextField select label="Countdown before closing" value={value} onChange={(event) => onChange(Number(event.target.value))} sx={{ flex: 1 }}>
      {COUNTDOWNS.map((seconds) => (
        <MenuItem key={seconds} value={seconds}>
          {seconds === 0 ? "None" : `${seconds} seconds`}
        </MenuItem>
      ))}
    </TextField>
  );
}
