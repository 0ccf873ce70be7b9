import MicOffIcon from "@mui/icons-material/MicOff";
import PanToolIcon from "@mui/icons-material/PanTool";
import { Avatar, Box, Typography } from "@mui/material";
import { useEffect, useRef } from "react";
import { initials } from "../participantLabels";
import type { FloatingReaction } from "../roomState";
import { FloatingReactions } from "./FloatingReactions";

export interface VideoTileProps {
  /** The figure's accessible name: "You", a display name, or "{name} (screen)". */
  label: string;
  name: string;
  /** Whose feed this is (remote tiles): browser tests map streams to people by it. */
  participantId?: string;
  stream: MediaStream | null;
  self?: boolean;
  screen?: boolean;
  showVideo: boolean;
  audioOff?: boolean;
  handRaised?: boolean;
  speaking?: boolean;
  reactions?: FloatingReaction[];
  onReactionDone?: (id: number) => void;
}

function StreamVideo({ stream, self, screen, hidden }: { stream: MediaStream | null; self: boolean; screen: boolean; hidden: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = stream;
  }, [stream]);
  // The element stays mounted while the camera is off: it also plays the participant's audio.
  return (
    <Box
      component="video"
      ref={ref}
      autoPlay
      playsInline
      muted={self}
      sx={{
        width: "100%",
        height: "100%",
        objectFit: screen ? "contain" : "cover",
        transform: self && !screen ? "scaleX(-1)" : undefined,
        visibility: hidden ? "hidden" : "visible",
        display: "block",
      }}
    />
  );
}

/** One participant's camera (or screen), with their name and state. */
export function VideoTile(props: VideoTileProps) {
  const { label, name, stream, self = false, screen = false, showVideo, audioOff, handRaised, speaking } = props;
  return (
    <Box
      component="figure"
      aria-label={label}
      data-participant-id={props.participantId}
      data-kind={props.participantId ? (screen ? "screen" : "camera") : undefined}
      sx={{
        position: "relative",
        m: 0,
        minWidth: 0,
        minHeight: 0,
        bgcolor: "grey.900",
        borderRadius: 2,
        overflow: "hidden",
        outline: speaking ? "3px solid" : "none",
        outlineColor: "success.light",
        outlineOffset: -3,
      }}
    >
      <StreamVideo stream={stream} self={self} screen={screen} hidden={!showVideo} />
      {!showVideo && (
        <Box sx={{ position: "absolute", inset: 0, display: "grid", placeItems: "center" }}>
          <Avatar sx={{ width: 72, height: 72, fontSize: 28, bgcolor: "primary.main" }}>{initials(name)}</Avatar>
        </Box>
      )}
      <Box
        component="figcaption"
        sx={{
          position: "absolute",
          left: 8,
          bottom: 8,
          maxWidth: "calc(100% - 16px)",
          display: "flex",
          alignItems: "center",
          gap: 0.5,
          px: 1,
          py: 0.25,
          borderRadius: 1,
          bgcolor: "rgba(0, 0, 0, 0.6)",
          color: "common.white",
        }}
      >
        {handRaised && <PanToolIcon fontSize="small" sx={{ color: "warning.light" }} titleAccess="Hand raised" />}
        {audioOff && <MicOffIcon fontSize="small" sx={{ color: "error.light" }} titleAccess="Microphone off" />}
        <Typography variant="body2" noWrap component="span">
          {name}
        </Typography>
      </Box>
      {props.reactions && props.onReactionDone && (
        <FloatingReactions reactions={props.reactions} onDone={props.onReactionDone} />
      )}
    </Box>
  );
}
