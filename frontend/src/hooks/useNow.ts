import { useEffect, useState } from "react";

/** The current time (ms), ticking every `everyMs`: enough for "Join opens 10 minutes before". */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
