import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePagedList } from "../../account/hooks/usePagedList";
import { getSession } from "../../auth/api";
import { SESSION_KEY } from "../../auth/hooks/useSession";
import { MEETINGS_KEY } from "../../meetings/queryKeys";
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

/** Notifications about a meeting I host or am invited to: the meeting views show it changed. */
const MEETING_EVENTS = new Set(["invitation", "meeting_updated", "meeting_cancelled", "rsvp_received"]);

/**
 * Keeps the unread count and the list current from the user's socket: a new notification carries
 * the new unread count; on every open (the first too), whatever was missed is read again. One
 * about a meeting also refreshes the meeting views.
 */
export function useLiveNotifications() {
  const queryClient = useQueryClient();
  const refresh = useRefreshNotifications();
  useUserEvents({
    onEvent: async (event) => {
      if (!isNotificationEvent(event)) return;
      if (MEETING_EVENTS.has(event.notification?.event)) void queryClient.invalidateQueries({ queryKey: MEETINGS_KEY });
      void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
      // A count read earlier must not land after this newer one and overwrite it.
      await queryClient.cancelQueries({ queryKey: UNREAD_KEY });
      queryClient.setQueryData(UNREAD_KEY, { count: event.unread });
    },
    onOpen: refresh,
    isSignedIn: async () => {
      // Also tells the session gate, which sends a signed-out visitor to sign in.
      const session = await queryClient.fetchQuery({ queryKey: SESSION_KEY, queryFn: getSession, staleTime: 0 });
      return session.kind === "authenticated";
    },
  });
}
