import type { EventInput } from "@fullcalendar/core";
import { DateTime } from "luxon";
import { zoneLabel } from "../meetings/zonedTime";
import type { Occurrence, SeriesScope } from "./api";

const MINUTE = 60_000;
/** Join opens this long before the start (and stays open until the end). */
export const JOIN_OPENS_BEFORE_MS = 10 * MINUTE;

/** An occurrence as FullCalendar shows it; only the host may drag or resize it. */
export function occurrenceToEvent(occurrence: Occurrence): EventInput {
  return {
    id: occurrence.id,
    title: occurrence.title,
    start: occurrence.starts_at,
    end: occurrence.ends_at,
    editable: occurrence.is_host,
    extendedProps: { occurrence },
  };
}

type JoinFacts = Pick<Occurrence, "starts_at" | "ends_at" | "status" | "is_recurring">;

/** Whether `now` lies from 10 minutes before the start until the end. */
const inJoinWindow = (occurrence: JoinFacts, now: number) =>
  now >= Date.parse(occurrence.starts_at) - JOIN_OPENS_BEFORE_MS && now < Date.parse(occurrence.ends_at);

/**
 * Whether Join is open at `now`: never once the meeting ended or was cancelled; whenever a one-off
 * meeting is live (started early or running over); else from 10 minutes before the start until
 * the end (for a live series: only the occurrence under way, not next week's).
 */
export function isJoinOpen(occurrence: JoinFacts, now: number): boolean {
  if (occurrence.status === "ended" || occurrence.status === "cancelled") return false;
  if (occurrence.status === "live" && !occurrence.is_recurring) return true;
  return inJoinWindow(occurrence, now);
}

/** Whether the dashboard still lists it at `now`: not over yet, or a one-off still live past its end. */
export const isStillOn = (occurrence: JoinFacts, now: number) =>
  Date.parse(occurrence.ends_at) > now || (occurrence.status === "live" && !occurrence.is_recurring);

const wallClock = (iso: string, zone: string) => DateTime.fromISO(iso, { zone });

/** "Tue 10:00–10:30" in `zone` (a range across days names both). */
export function shortRange(start: string, end: string, zone: string): string {
  const from = wallClock(start, zone);
  const to = wallClock(end, zone);
  const sameDay = from.hasSame(to, "day");
  return `${from.toFormat("ccc HH:mm")}–${to.toFormat(sameDay ? "HH:mm" : "ccc HH:mm")}`;
}

/** "(09:00 in Europe/London)" when the meeting's own zone shows a different wall clock, else null. */
export function meetingZoneNote(start: string, meetingZone: string, myZone: string): string | null {
  if (meetingZone === myZone) return null;
  const mine = wallClock(start, myZone);
  const theirs = wallClock(start, meetingZone);
  if (mine.offset === theirs.offset) return null;
  const day = mine.toISODate() === theirs.toISODate() ? "" : theirs.toFormat("ccc ");
  return `(${day}${theirs.toFormat("HH:mm")} in ${zoneLabel(meetingZone)})`;
}

/** The question before a drag or resize is saved. */
export const moveQuestion = (title: string, start: string, end: string, zone: string) =>
  `Move “${title}” to ${shortRange(start, end, zone)}?`;

export const SCOPES: { value: SeriesScope; label: string }[] = [
  { value: "this", label: "This meeting" },
  { value: "following", label: "This and following meetings" },
  { value: "all", label: "All meetings in the series" },
];

/** The calendar date (YYYY-MM-DD) in `zone` at an instant. */
export const dateIn = (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone }).toISODate()!;

/**
 * The wall-clock date and times in `zone` of a selected span, as the schedule form takes them;
 * a whole day (month view) gets 09:00–10:00.
 */
export function slotIn(start: Date, end: Date, zone: string, allDay = false) {
  const from = DateTime.fromJSDate(start, { zone });
  if (allDay) return { date: from.toISODate()!, startTime: "09:00", endTime: "10:00" };
  const to = DateTime.fromJSDate(end, { zone });
  return { date: from.toISODate()!, startTime: from.toFormat("HH:mm"), endTime: to.toFormat("HH:mm") };
}
