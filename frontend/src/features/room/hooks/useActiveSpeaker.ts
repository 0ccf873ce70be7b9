import { useEffect, useState } from "react";
import type { RoomSession } from "../roomSession";

const SAMPLE_MS = 250;
// audioLevel is linear 0..1; quiet rooms sit well under this.
const SPEAKING_LEVEL = 0.05;
// Keep the highlight through the short pauses of speech.
const HOLD_MS = 1200;

function loudest(levels: Map<string, number>): string | null {
  let best: string | null = null;
  let bestLevel = SPEAKING_LEVEL;
  for (const [id, level] of levels) {
    if (level > bestLevel) {
      best = id;
      bestLevel = level;
    }
  }
  return best;
}

/** The participant id of whoever is speaking, from the peer connections' audio levels. */
export function useActiveSpeaker(session: RoomSession): string | null {
  const [speaker, setSpeaker] = useState<string | null>(null);
  useEffect(() => {
    let current: string | null = null;
    let heardAt = 0;
    let active = true;
    const timer = setInterval(async () => {
      const levels = await session.audioLevels();
      if (!active) return;
      const now = Date.now();
      const next = loudest(levels);
      if (next) {
        current = next;
        heardAt = now;
      } else if (now - heardAt > HOLD_MS) {
        current = null;
      }
      setSpeaker(current);
    }, SAMPLE_MS);
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, [session]);
  return speaker;
}
