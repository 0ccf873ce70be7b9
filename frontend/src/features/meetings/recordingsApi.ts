import { api } from "../../api/clients";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/generated/aapoon";
import type { PageQuery } from "../account/api";

export type Recording = components["schemas"]["RecordingOut"];

export const listRecordings = (query: PageQuery) => unwrap(api.GET("/api/v1/recordings", { params: { query } }));
export const listMeetingRecordings = (code: string, query: PageQuery) =>
  unwrap(api.GET("/api/v1/meetings/{code}/recordings", { params: { path: { code }, query } }));
export const deleteRecording = (id: string) =>
  unwrap(api.DELETE("/api/v1/recordings/{recording_id}", { params: { path: { recording_id: id } } }));
/** A signed link valid for a few minutes: plays inline; `?download=1` saves it. */
export const recordingLink = (id: string) =>
  unwrap(api.POST("/api/v1/recordings/{recording_id}/download-url", { params: { path: { recording_id: id } } }));

/** The signed link, made to download instead of playing. */
export function downloadUrl(url: string): string {
  const link = new URL(url, window.location.origin);
  link.searchParams.set("download", "1");
  return link.toString();
}
