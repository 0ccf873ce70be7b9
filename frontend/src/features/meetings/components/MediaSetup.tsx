import Mic from "@mui/icons-material/Mic";
import MicOff from "@mui/icons-material/MicOff";
import Videocam from "@mui/icons-material/Videocam";
import VideocamOff from "@mui/icons-material/VideocamOff";
import { Alert, Grid, IconButton, Stack, type SvgIconProps } from "@mui/material";
import type { ComponentType } from "react";
import type { LocalMediaControls } from "../hooks/useLocalMedia";
import { useMediaInputs } from "../hooks/useMediaInputs";
import { mediaProblemText } from "../localMedia";
import { CameraPreview } from "./CameraPreview";
import { DeviceSelect } from "./DeviceSelect";
import { MicLevelMeter } from "./MicLevelMeter";

interface ToggleProps {
  on: boolean;
  available: boolean;
  what: "microphone" | "camera";
  icons: [ComponentType<SvgIconProps>, ComponentType<SvgIconProps>];
  onToggle: () => void;
}

function MediaToggle({ on, available, what, icons: [OnIcon, OffIcon], onToggle }: ToggleProps) {
  const Icon = on ? OnIcon : OffIcon;
  return (
    <IconButton aria-label={`${on ? "Turn off" : "Turn on"} ${what}`} onClick={onToggle} disabled={!available} size="large"
      sx={{ bgcolor: on ? "action.selected" : "error.main", color: on ? undefined : "error.contrastText",
        "&:hover": { bgcolor: on ? "action.focus" : "error.dark" } }}>
      <Icon />
    </IconButton>
  );
}

/** Camera preview, microphone level, devices and on/off switches for joining muted. */
export function MediaSetup({ local }: { local: LocalMediaControls }) {
  const stream = local.media?.stream ?? null;
  const { cameras, microphones } = useMediaInputs(stream);
  const problem = local.media && mediaProblemText(local.media);

  return (
    <Stack spacing={2}>
      <CameraPreview stream={stream} on={local.videoOn} />
      <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
        <MediaToggle what="microphone" on={local.audioOn} available={local.hasAudio} icons={[Mic, MicOff]} onToggle={local.toggleAudio} />
        <MediaToggle what="camera" on={local.videoOn} available={local.hasVideo} icons={[Videocam, VideocamOff]} onToggle={local.toggleVideo} />
        <Stack sx={{ flexGrow: 1 }}>
          <MicLevelMeter stream={stream} on={local.audioOn} />
        </Stack>
      </Stack>
      {problem && <Alert severity="warning" role="status">{problem}</Alert>}
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, sm: 6 }}>
          <DeviceSelect label="Camera" devices={cameras} value={local.deviceIds.cameraId}
            onChange={(cameraId) => local.chooseDevices({ cameraId })} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6 }}>
          <DeviceSelect label="Microphone" devices={microphones} value={local.deviceIds.microphoneId}
            onChange={(microphoneId) => local.chooseDevices({ microphoneId })} />
        </Grid>
      </Grid>
    </Stack>
  );
}
