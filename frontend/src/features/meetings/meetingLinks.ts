import type { Meeting } from "./api";

// The server's alphabet (docs/meetings.md): no i, l, o or 0; 12 symbols shown as xxxx-xxxx-xxxx.
const CODE = /^[abcdefghjkmnpqrstuvwxyz1-9]{12}$/;

/** `xxxx-xxxx-xxxx` for a code typed with or without dashes, spaces or capitals; null if it can't be one. */
export function normalizeMeetingCode(text: string): string | null {
  const compact = text.replace(/[\s-]/g, "").toLowerCase();
  return CODE.test(compact) ? compact.match(/.{4}/g)!.join("-") : null;
}

/** The passcode a link carries in its `#p=` fragment (the fragment never reaches the server). */
export function passcodeFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, "")).get("p") ?? "";
}

/** The page that joins a meeting, with its passcode (if any) kept in the fragment. */
export function joinPath(code: string, passcode = ""): string {
  return `/m/${code}${passcode ? `#p=${encodeURIComponent(passcode)}` : ""}`;
}

/** What someone pasted into "Meeting code or link" as the page to open, or null when it is neither. */
export function joinPathFromInput(input: string): string | null {
  const text = input.trim();
  const link = text.match(/\/m\/([^/?#]+)[^#]*(#.*)?$/);
  const code = normalizeMeetingCode(link ? decodeURIComponent(link[1]) : text);
  if (!code) return null;
  return joinPath(code, link?.[2] ? passcodeFromHash(link[2]) : "");
}

/** The link a host shares: with the passcode in the fragment when the API gave it (hosts only). */
export function shareableLink(meeting: Pick<Meeting, "join_url" | "passcode">): string {
  return meeting.passcode ? `${meeting.join_url}#p=${encodeURIComponent(meeting.passcode)}` : meeting.join_url;
}
