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

const MINUTE = 60_000;

/** How far the wall clocks of `zone` are ahead of UTC at `instant` (ms; negative west of Greenwich). */
const offsetAt = (instant: number, zone: string) => wallClockMs(instant, zone) - instant;

/**
 * The instant (UTC, ISO 8601) at which the wall clocks of `zone` show `date` (YYYY-MM-DD) `time` (HH:MM).
 * A time shown twice (clocks set back) is its first occurrence; a time never shown (clocks set
 * forward past it) is the first instant after the gap, e.g. 02:30 on the day New York or Berlin
 * springs forward is 03:00, and 00:30 on the day Santiago does is 01:00.
 */
export function zonedToUtcIso(date: string, time: string, zone: string): string {
  const wall = utcMs(date, time);
  // The offsets in force around that day (a change of offset lies at most between them).
  const before = offsetAt(wall - DAY, zone);
  const after = offsetAt(wall + DAY, zone);
  const shown = [wall - before, wall - after, wall - offsetAt(wall, zone)]
    .filter((instant) => wallClockMs(instant, zone) === wall)
    .sort((a, b) => a - b);
  if (shown.length > 0) return new Date(shown[0]).toISOString();
  // In the gap: the clocks jump from `before` to `after` at some instant between these two;
  // find the first minute that shows the new offset.
  let lo = wall - after;
  let hi = wall - before;
  if (hi <= lo) return new Date(lo).toISOString(); // no gap after all (an odd history): best effort
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
    if (offsetAt(mid, zone) === after) hi = mid;
    else lo = mid;
  }
  return new Date(hi).toISOString();
}

/** The day after `date` (YYYY-MM-DD). */
export const nextDay = (date: string) => dateOf(utcMs(date) + DAY);

/**
 * A one-hour slot from the next full hour in `zone`: the default for a new meeting. Start and end
 * are instants an hour apart, told as wall clocks: on a night the clocks spring forward past the
 * next hour it starts where they land (01:15 in New York on 2027-03-14 gives 03:00–04:00).
 */
export function nextHourSlot(zone: string, now = Date.now()) {
  const wallHour = (Math.floor(wallClockMs(now, zone) / HOUR) + 1) * HOUR;
  const start = Date.parse(zonedToUtcIso(dateOf(wallHour), timeOf(wallHour), zone));
  const [from, to] = [wallClockMs(start, zone), wallClockMs(start + HOUR, zone)];
  return { date: dateOf(from), startTime: timeOf(from), endTime: timeOf(to) };
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

/** A length of time as a player shows it: "1:02:03" or "4:05". */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
