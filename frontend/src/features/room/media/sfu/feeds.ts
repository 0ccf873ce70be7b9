// Janus publishers ("feeds") and the participants they belong to (docs/sfu.md: the camera feed's
// id is the participant id, the screen share's is `<participant id>:screen`).

const SCREEN_SUFFIX = ":screen";

export interface FeedOwner {
  participantId: string;
  kind: "camera" | "screen";
}

export function feedOwner(feedId: string): FeedOwner {
  return feedId.endsWith(SCREEN_SUFFIX)
    ? { participantId: feedId.slice(0, -SCREEN_SUFFIX.length), kind: "screen" }
    : { participantId: feedId, kind: "camera" };
}

export interface PublishedStream {
  mid: string;
  type: string;
}

export interface Publisher {
  id: string;
  streams: PublishedStream[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The publishers listed in a VideoRoom `joined` or `event` message, with their audio and video streams. */
export function publishersIn(message: Record<string, unknown>): Publisher[] {
  const list = message.publishers;
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).flatMap((entry) => {
    if (typeof entry.id !== "string" || entry.dummy === true) return [];
    const streams = (Array.isArray(entry.streams) ? entry.streams : [])
      .filter(isRecord)
      .filter((s) => typeof s.mid === "string" && (s.type === "audio" || s.type === "video") && s.disabled !== true)
      .map((s) => ({ mid: s.mid as string, type: s.type as string }));
    return [{ id: entry.id, streams }];
  });
}

/**
 * The feed a `leaving` / `unpublished` / `kicked` event names (not "ok", which is about ourselves).
 * A kicked publisher (the server kicks a person's old feeds when their room socket reconnects) is
 * announced with `kicked` alone: no `unpublished` follows.
 */
export function departedFeed(message: Record<string, unknown>): string | null {
  const feed = message.unpublished ?? message.leaving ?? message.kicked;
  return typeof feed === "string" && feed !== "ok" ? feed : null;
}

/** Janus took this handle's publisher out of the room (`leaving: "ok"`, e.g. `reason: "kicked"`). */
export function weLeft(message: Record<string, unknown>): boolean {
  return message.videoroom === "event" && message.leaving === "ok";
}
