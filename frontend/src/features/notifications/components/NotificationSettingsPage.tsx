import { Stack } from "@mui/material";
import { CalendarFeedSection } from "./CalendarFeedSection";
import { PreferencesSection } from "./PreferencesSection";
import { PushSection } from "./PushSection";

/** /account/notifications: channels per event, reminders, browser push, the calendar feed. */
export function NotificationSettingsPage() {
  return (
    <Stack spacing={3}>
      <PreferencesSection />
      <PushSection />
      <CalendarFeedSection />
    </Stack>
  );
}
