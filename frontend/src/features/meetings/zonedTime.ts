// Wall-clock times in IANA time zones, with the platform's Intl data (no date library needed).

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const wallClockFormat = (zone: string) =>
  new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });

/** The wall-clock time in `zone` at `instant`, as milliseconds read as if that wall clock were UTC. */
function wallClockMs(instant: number, zone: string): number {
  const parts = Object.fromEntries(wallClockFormat(zone).formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

const utcMs = (date: string, time = "00:00") => Date.parse(`${date}T${time}:00Z`);
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const timeOf = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** The instant (UTC, ISO 8601) at which the wall clocks of `zone` show `date` (YYYY-MM-DD) `time` (HH:MM). */
export function zonedToUtcIso(date: string, time: string, zone: string): string {
  const wall = utcMs(date, time);
  // The offset found at the wall time read as UTC is right unless a DST change lies between the
  // two; a second look from the first guess settles it.
  const guess = wall - (wallClockMs(wall, zone) - wall);
  return new Date(wall - (wallClockMs(guess, zone) - guess)).toISOString();
}

/** The day after `date` (YYYY-MM-DD). */
export const nextDay = (date: string) => dateOf(utcMs(date) + DAY);

/** A one-hour slot from the next full hour in `zone`: the default for a new meeting. */
export function nextHourSlot(zone: string, now = Date.now()) {
  const start = (Math.floor(wallClockMs(now, zone) / HOUR) + 1) * HOUR;
  return { date: dateOf(start), startTime: timeOf(start), endTime: timeOf(start + HOUR) };
}

/** "Jan 15, 2030, 10:00 – 11:00 AM" in `zone` (the browser's language), or just the start. */
export function formatTimeRange(start: string, end: string | null, zone: string): string {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone: zone });
  return end ? format.formatRange(new Date(start), new Date(end)) : format.format(new Date(start));
}

/** "America/New York" for "America/New_York". */
export const zoneLabel = (zone: string) => zone.replaceAll("_", " ");

/** The browser's own time zone: the fallback until (or unless) the profile's is known. */
export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
