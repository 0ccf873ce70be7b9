import { api } from "../../api/clients";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/generated/aapoon";
import type { PageQuery } from "../account/api";

type Schemas = components["schemas"];
export type Notification = Schemas["NotificationOut"];
export type Preferences = Schemas["PreferencesOut"];
export type Channel = keyof Schemas["ChannelsSchema"];
export type PushSubscriptionIn = Schemas["PushSubscriptionIn"];
export type CalendarFeed = Schemas["CalendarFeedOut"];

// In-app notifications
export const listNotifications = (query: PageQuery) => unwrap(api.GET("/api/v1/notifications", { params: { query } }));
export const getUnreadCount = () => unwrap(api.GET("/api/v1/notifications/unread-count"));
export const markRead = (id: string) =>
  unwrap(api.POST("/api/v1/notifications/{notification_id}/read", { params: { path: { notification_id: id } } }));
export const markAllRead = () => unwrap(api.POST("/api/v1/notifications/read-all"));

// Preferences (the labels are the server's: only the choices go back)
export const getPreferences = () => unwrap(api.GET("/api/v1/notifications/preferences"));
export const setPreferences = ({ reminder_minutes, events }: Preferences) =>
  unwrap(
    api.PUT("/api/v1/notifications/preferences", {
      body: { reminder_minutes, events: events.map(({ event, channels }) => ({ event, channels })) },
    }),
  );

// Web push
export const getPushKey = () => unwrap(api.GET("/api/v1/notifications/push/key"));
export const addPushSubscription = (body: PushSubscriptionIn) =>
  unwrap(api.POST("/api/v1/notifications/push/subscriptions", { body }));
export const removePushSubscription = (endpoint: string) =>
  unwrap(api.POST("/api/v1/notifications/push/subscriptions/delete", { body: { endpoint } }));

// Calendar feed (the URL carries a secret the server keeps only hashed: it is shown once, when made)
export const getCalendarFeed = () => unwrap(api.GET("/api/v1/calendar/feed"));
export const createCalendarFeed = () => unwrap(api.POST("/api/v1/calendar/feed"));
export const deleteCalendarFeed = () => unwrap(api.DELETE("/api/v1/calendar/feed"));
