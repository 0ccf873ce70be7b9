import NotificationsIcon from "@mui/icons-material/NotificationsOutlined";
import { Badge, IconButton, Popover } from "@mui/material";
import { useState } from "react";
import { useLiveNotifications, useUnreadCount } from "../hooks/useNotifications";
import { usePushState } from "../hooks/usePushState";
import { NotificationCentre } from "./NotificationCentre";

/** The app bar's bell: the unread count, kept live, and the notification centre under it. */
export function NotificationBell() {
  useLiveNotifications();
  usePushState(); // re-posts this browser's push subscription for whoever is signed in now
  const unread = useUnreadCount().data ?? 0;
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const close = () => setAnchor(null);
  return (
    <>
      <IconButton aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"} aria-haspopup="dialog"
        aria-expanded={Boolean(anchor)} onClick={(e) => setAnchor(e.currentTarget)} sx={{ mr: 1 }}>
        <Badge badgeContent={unread} max={99} color="error">
          <NotificationsIcon />
        </Badge>
      </IconButton>
      <Popover open={Boolean(anchor)} anchorEl={anchor} onClose={close}
        anchorOrigin={{ vertical: "bottom", horizontal: "right" }} transformOrigin={{ vertical: "top", horizontal: "right" }}
        slotProps={{ paper: { role: "dialog", "aria-label": "Notifications", sx: { width: 380, maxWidth: "calc(100vw - 16px)" } } }}>
        <NotificationCentre unread={unread} onNavigate={close} />
      </Popover>
    </>
  );
}
