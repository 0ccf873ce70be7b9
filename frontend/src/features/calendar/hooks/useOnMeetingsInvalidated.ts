import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { MEETINGS_KEY } from "../../meetings/queryKeys";

/** A query with no server data: invalidating MEETINGS_KEY (a change made here or announced live) refetches it. */
export const CALENDAR_VERSION_KEY = [...MEETINGS_KEY, "calendar-version"];

/**
 * Calls `onInvalidated` whenever MEETINGS_KEY is invalidated while mounted (not on mount): for data
 * fetched outside TanStack Query, such as FullCalendar's events.
 */
export function useOnMeetingsInvalidated(onInvalidated: () => void) {
  // gcTime 0: a remount starts afresh instead of taking an old version for a change.
  const { dataUpdatedAt } = useQuery({ queryKey: CALENDAR_VERSION_KEY, queryFn: () => Date.now(), gcTime: 0 });
  const seen = useRef(0);
  useEffect(() => {
    if (!dataUpdatedAt) return;
    if (seen.current && seen.current !== dataUpdatedAt) onInvalidated();
    seen.current = dataUpdatedAt;
  }, [dataUpdatedAt, onInvalidated]);
}
