import { api } from "../../api/clients";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/generated/aapoon";

export type Transcript = components["schemas"]["TranscriptOut"];
export type TranscriptSegment = components["schemas"]["TranscriptSegmentOut"];

/** Cache key of one recording's transcript. */
export const transcriptKey = (recordingId: string) => ["recordings", recordingId, "transcript"];

export const getTranscript = (recordingId: string) =>
  unwrap(api.GET("/api/v1/recordings/{recording_id}/transcript", { params: { path: { recording_id: recordingId } } }));

/** The transcript as a file to download (or, `vtt`, as the video's captions): same origin, the session's cookie. */
export const transcriptFileUrl = (recordingId: string, format: "vtt" | "txt") =>
  `/api/v1/recordings/${encodeURIComponent(recordingId)}/transcript.${format}`;

/** A time on the video as "m:ss" (or "h:mm:ss"), rounded down: a line said at 1.9 s is at "0:01". */
export function formatTimestamp(ms: number): string {
  const total = Math.floor(ms / 1000);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** The line being spoken at `ms`: of those under way, the one that started last (-1: none). */
export function activeSegmentIndex(segments: readonly TranscriptSegment[], ms: number): number {
  let active = -1;
  segments.forEach((segment, index) => {
    if (segment.start_ms <= ms && ms < segment.end_ms && (active < 0 || segment.start_ms >= segments[active].start_ms)) active = index;
  });
  return active;
}
