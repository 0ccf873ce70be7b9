import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePagedList } from "../../account/hooks/usePagedList";
import { getUnreadCount, listNotifications, markAllRead, markRead, type Notification } from "../api";
import { NOTIFICATIONS_KEY, UNREAD_KEY } from "../queryKeys";
import { useUserEvents, type UserEvent } from "./useUserEvents";

export function useUnreadCount() {
  return useQuery({ queryKey: UNREAD_KEY, queryFn: getUnreadCount, select: (data) => data.count });
}

/** In-app notifications, newest first, a page at a time. */
export function useNotificationList() {
  return usePagedList<Notification>(NOTIFICATIONS_KEY, listNotifications);
}

function useRefreshNotifications() {
  const queryClient = useQueryClient();
  return () => {
    for (const queryKey of [UNREAD_KEY, NOTIFICATIONS_KEY]) void queryClient.invalidateQueries({ queryKey });
  };
}

export function useMarkRead() {
  return useMutation({ mutationFn: markRead, onSuccess: useRefreshNotifications() });
}

export function useMarkAllRead() {
  return useMutation({ mutationFn: markAllRead, onSuccess: useRefreshNotifications() });
}

type NotificationEvent = { type: "notification"; notification: Notification; unread: number };
const isNotificationEvent = (event: UserEvent): event is NotificationEvent =>
  event.type === "notification" && typeof event.unread === "number";

/**
 * Keeps the unread count and the list current from the user's socket: a new notification carries
 * the new unread count; after a reconnect, whatever was missed is read again.
 */
export function useLiveNotifications() {
  const queryClient = useQueryClient();
  const refresh = useRefreshNotifications();
  useUserEvents({
    onEvent: (event) => {
      if (!isNotificationEvent(event)) return;
      queryClient.setQueryData(UNREAD_KEY, { count: event.unread });
      void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
    },
    onReconnect: refresh,
  });
}
