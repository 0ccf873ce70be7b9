import { TextField } from "@mui/material";

interface Props {
  label: "Camera" | "Microphone";
  devices: MediaDeviceInfo[];
  value: string | undefined;
  onChange: (deviceId: string) => void;
}

/** Picks one camera or microphone; disabled while the browser lists none. */
export function DeviceSelect({ label, devices, value, onChange }: Props) {
  return (
    <TextField select label={label} size="small" fullWidth disabled={devices.length === 0}
      value={devices.length ? (value ?? devices[0].deviceId) : ""} onChange={(event) => onChange(event.target.value)}
      slotProps={{ select: { native: true } }}>
      {devices.length === 0 && <option value="">None found</option>}
      {devices.map((device, index) => (
        <option key={device.deviceId} value={device.deviceId}>
          {device.label || `${label} ${index + 1}`}
        </option>
      ))}
    </TextField>
  );
}
