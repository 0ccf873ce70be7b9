/** Cache keys of the notifications feature's server data. */
export const NOTIFICATIONS_KEY = ["notifications", "list"];
export const UNREAD_KEY = ["notifications", "unread"];
export const PREFERENCES_KEY = ["notifications", "preferences"];
export const CALENDAR_FEED_KEY = ["notifications", "calendar-feed"];
export const PUSH_STATE_KEY = ["notifications", "push-state"];
