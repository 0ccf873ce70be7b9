import { Alert, Box, Button } from "@mui/material";
import type { SocketStatus } from "../realtime/roomSocket";
import type { Banner } from "../roomState";

interface RoomBannersProps {
  connection: SocketStatus;
  banners: Banner[];
  onDismiss: (id: number) => void;
  onUnmute: () => void;
}

/** Connection trouble, what the host did to us, and server errors. */
export function RoomBanners({ connection, banners, onDismiss, onUnmute }: RoomBannersProps) {
  if (connection !== "reconnecting" && banners.length === 0) return null;
  return (
    <Box sx={{ display: "grid", gap: 1, px: 1, pt: 1 }}>
      {connection === "reconnecting" && (
        <Alert severity="warning" role="status">
          Reconnecting…
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
