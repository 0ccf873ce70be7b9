import { LinearProgress } from "@mui/material";
import { lazy, Suspense } from "react";

// FullCalendar is the largest library in the app: load it with this page only.
const CalendarPage = lazy(async () => ({
  default: (await import("./CalendarPage")).CalendarPage,
}));

export function LazyCalendarPage() {
  return (
    <Suspense fallback={<LinearProgress aria-label="Loading the calendar" />}>
      <CalendarPage />
    </Suspense>
  );
}
