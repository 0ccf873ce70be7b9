import { Alert, Box, Button } from "@mui/material";
import type { SocketStatus } from "../realtime/roomSocket";
import type { Banner } from "../roomState";

interface RoomBannersProps {
  connection: SocketStatus;
  /** SFU mode: the media connection is being made again. */
  mediaReconnecting?: boolean;
  recordingNotice?: boolean;
  banners: Banner[];
  onDismiss: (id: number) => void;
  onDismissRecordingNotice?: () => void;
  onUnmute: () => void;
}

/** Connection trouble, the recording notice, what the host did to us, and server errors. */
export function RoomBanners(props: RoomBannersProps) {
  const { connection, banners, onDismiss, onUnmute } = props;
  const reconnecting = connection === "reconnecting" || props.mediaReconnecting;
  if (!reconnecting && !props.recordingNotice && banners.length === 0) return null;
  return (
    <Box sx={{ display: "grid", gap: 1, px: 1, pt: 1 }}>
      {reconnecting && (
        <Alert severity="warning" role="status">
          Reconnecting…
        </Alert>
      )}
      {props.recordingNotice && (
        <Alert severity="info" role="alert" onClose={props.onDismissRecordingNotice}>
          This meeting is being recorded
        </Alert>
      )}
      {banners.map((banner) => (
        <Alert
          key={banner.id}
          severity={banner.kind === "error" ? "error" : "info"}
          role="alert"
          onClose={() => onDismiss(banner.id)}
          action={
            banner.kind === "unmute_requested" ? (
              <Button
                color="inherit"
                size="small"
                onClick={() => {
                  onUnmute();
                  onDismiss(banner.id);
                }}
              >
                Unmute
              </Button>
            ) : undefined
          }
        >
          {banner.text}
        </Alert>
      ))}
    </Box>
  );
}
