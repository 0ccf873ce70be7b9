import { Box, Typography } from "@mui/material";
import { useEffect, useRef } from "react";

/** The user's own camera, mirrored as in a mirror; a note in its place while it is off. */
export function CameraPreview({ stream, on }: { stream: MediaStream | null; on: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
  }, [stream]);

  return (
    <Box sx={{ position: "relative", aspectRatio: "16 / 9", bgcolor: "grey.900", borderRadius: 2, overflow: "hidden" }}>
      <Box component="video" ref={video} data-testid="prejoin-preview" autoPlay muted playsInline
        sx={{ width: 1, height: 1, objectFit: "cover", transform: "scaleX(-1)", visibility: on ? "visible" : "hidden" }} />
      {!on && (
        <Typography sx={{ position: "absolute", inset: 0, display: "grid", placeItems: "center", color: "grey.300" }}>
          Camera is off
        </Typography>
      )}
    </Box>
  );
}
