import { api } from "../../api/clients";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/generated/aapoon";
import type { PageQuery } from "../account/api";
import type { RoomJoin } from "../room/types";

export type Meeting = components["schemas"]["MeetingOut"];
export type MeetingIn = components["schemas"]["MeetingIn"];
export type JoinIn = components["schemas"]["JoinIn"];
export type JoinResult = components["schemas"]["JoinOut"] & RoomJoin;
export type MeetingScope = "upcoming" | "past";
/** How a meeting repeats (the server keeps it as an RFC 5545 rule). */
export type Recurrence = components["schemas"]["RecurrenceIn"];
export type Weekday = Recurrence["weekdays"][number];

const byCode = (code: string) => ({ params: { path: { code } } });

export const listMeetings = (scope: MeetingScope, query: PageQuery) =>
  unwrap(api.GET("/api/v1/meetings", { params: { query: { scope, ...query } } }));
export const getMeeting = (code: string) => unwrap(api.GET("/api/v1/meetings/{code}", byCode(code)));
export const createMeeting = (body: MeetingIn) => unwrap(api.POST("/api/v1/meetings", { body }));
export const cancelMeeting = (code: string) => unwrap(api.POST("/api/v1/meetings/{code}/cancel", byCode(code)));
export const endMeeting = (code: string) => unwrap(api.POST("/api/v1/meetings/{code}/end", byCode(code)));

/** Works signed in or out (a guest gives a display name). */
export const joinMeeting = async (code: string, body: JoinIn): Promise<JoinResult> =>
  // The schema types `role` and `status` as plain strings; the server sends only the values
  // docs/meetings.md lists, which are what RoomJoin spells out.
  (await unwrap(api.POST("/api/v1/meetings/{code}/join", { ...byCode(code), body }))) as JoinResult;
