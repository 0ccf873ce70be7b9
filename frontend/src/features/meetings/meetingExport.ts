import { api } from "../../api/clients";
import { unwrap } from "../../api/errors";
import type { Meeting } from "./api";

/** The meeting as JSON: participants, chat, files, polls, breakout rooms (host and account admins). */
export const exportMeeting = (code: string) => unwrap(api.GET("/api/v1/meetings/{code}/export", { params: { path: { code } } }));

/** Characters file systems refuse in a name (Windows' list, the strictest); control characters too. */
const UNSAFE = new Set('\\/:*?"<>|');

function safeForFileName(char: string): string {
  const code = char.charCodeAt(0);
  return UNSAFE.has(char) || code < 32 || code === 127 ? " " : char;
}

/** "<title> <date>.json", the date being the day the meeting started (or was set for) in `timeZone`. */
export function exportFileName(meeting: Pick<Meeting, "title" | "started_at" | "starts_at" | "created_at">, timeZone: string): string {
  const when = new Date(meeting.started_at ?? meeting.starts_at ?? meeting.created_at);
  // en-CA writes dates as YYYY-MM-DD.
  const date = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(when);
  const title = [...meeting.title].map(safeForFileName).join("").replace(/\s+/g, " ").trim().replace(/^\.+/, "").slice(0, 120).trim();
  return `${title || "Meeting"} ${date}.json`;
}

/** Fetches the export and hands it to the browser as a download. */
export async function downloadMeetingExport(meeting: Meeting, timeZone: string): Promise<void> {
  const data = await exportMeeting(meeting.code);
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = exportFileName(meeting, timeZone);
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
