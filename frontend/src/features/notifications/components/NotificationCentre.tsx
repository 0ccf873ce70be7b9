import { Box, Button, Divider, Link, List, ListItemButton, ListItemText, Stack, Typography } from "@mui/material";
import { Link as RouterLink, useNavigate } from "react-router";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { Loading } from "../../../components/states";
import { LoadMore } from "../../account/components/LoadMore";
import type { Notification } from "../api";
import { useMarkAllRead, useMarkRead, useNotificationList } from "../hooks/useNotifications";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The in-app notifications, newest first: opening one marks it read and follows its link. */
export function NotificationCentre({ unread, onNavigate }: { unread: number; onNavigate: () => void }) {
  const list = useNotificationList();
  const markRead = useMarkRead();
  const markAllRead = useMarkAllRead();
  const navigate = useNavigate();

  function open(notification: Notification) {
    if (!notification.read_at) markRead.mutate(notification.id);
    if (!notification.url) return;
    onNavigate();
    const target = new URL(notification.url, location.origin);
    // Links into this app stay in it; the server writes them absolute (they also go out by email).
    if (target.origin === location.origin) void navigate(target.pathname + target.search + target.hash);
    else location.assign(target.href);
  }

  let content;
  if (list.isPending) content = <Loading label="Loading notifications" />;
  else if (list.isError) content = <FormAlert errors={formErrors(list.error)} />;
  else if (list.data.items.length === 0)
    content = (
      <Box sx={{ p: 3, textAlign: "center" }}>
        <Typography gutterBottom>No notifications yet</Typography>
        <Typography variant="body2" color="text.secondary">
          Invitations, reminders and replies to your meetings show up here.
        </Typography>
      </Box>
    );
  else
    content = (
      <>
        <List dense disablePadding aria-label="Notifications list" sx={{ maxHeight: 420, overflowY: "auto" }}>
          {list.data.items.map((notification) => (
            <ListItemButton key={notification.id} onClick={() => open(notification)} alignItems="flex-start"
              sx={{ bgcolor: notification.read_at ? undefined : "action.hover" }}>
              <ListItemText
                primary={notification.read_at ? notification.title : <strong>{notification.title}</strong>}
                secondary={
                  <>
                    {notification.body && <span style={{ display: "block" }}>{notification.body}</span>}
                    <span>
                      {when.format(new Date(notification.created_at))}
                      {!notification.read_at && " · Unread"}
                    </span>
                  </>
                }
              />
            </ListItemButton>
          ))}
        </List>
        <Box sx={{ p: 1 }}>
          <LoadMore list={list} />
        </Box>
      </>
    );

  return (
    <Stack>
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between", px: 2, py: 1 }}>
        <Typography variant="subtitle1" component="h2">
          Notifications
        </Typography>
        <Button size="small" disabled={unread === 0} loading={markAllRead.isPending} onClick={() => markAllRead.mutate()}>
          Mark all read
        </Button>
      </Stack>
      <Divider />
      <FormAlert errors={formErrors(markRead.error ?? markAllRead.error)} />
      {content}
      <Divider />
      <Link component={RouterLink} to="/account/notifications" onClick={onNavigate} sx={{ p: 1.5, textAlign: "center" }}>
        Notification settings
      </Link>
    </Stack>
  );
}
