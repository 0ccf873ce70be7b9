import { listOccurrences } from "../calendar/api";
import { isStillOn } from "../calendar/occurrences";
import { listMeetings } from "../meetings/api";
import { MEETINGS_KEY } from "../meetings/queryKeys";

const DAY_MS = 24 * 3_600_000;
const WEEK_MS = 7 * DAY_MS;
const RECENT = 5;
/** Refetch this often: the 7-day window moves on, and live or ended meetings change their Join. */
export const DASHBOARD_REFRESH_MS = 60_000;

/**
 * From now (meetings under way included) to a week ahead, plus a live one-off meeting running past
 * its end (asked for from a day back, the longest a meeting may be).
 */
async function nextSevenDays() {
  const now = Date.now();
  const occurrences = await listOccurrences(new Date(now - DAY_MS).toISOString(), new Date(now + WEEK_MS).toISOString());
  return occurrences.filter((occurrence) => isStillOn(occurrence, now));
}

/** Both lists live under MEETINGS_KEY: a change announced live (or made here) refreshes them. */
export const upcomingQuery = {
  queryKey: [...MEETINGS_KEY, "occurrences", "next-7-days"],
  queryFn: nextSevenDays,
  refetchInterval: DASHBOARD_REFRESH_MS,
};
export const recentQuery = {
  queryKey: [...MEETINGS_KEY, "recent"],
  queryFn: () => listMeetings("past", { limit: RECENT, offset: 0 }),
  refetchInterval: DASHBOARD_REFRESH_MS,
};
