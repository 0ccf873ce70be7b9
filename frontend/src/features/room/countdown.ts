// Times left on the breakout rooms' timer and closing countdown.

/** Seconds from `now` (ms) until `iso` (never below 0); null without a time. */
export function secondsUntil(iso: string | null, now: number): number | null {
  return iso === null ? null : Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000));
}

/** "9:05", "0:42". */
export function clock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
