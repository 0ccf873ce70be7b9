import type { MeetingScope } from "./api";

/** Cache keys of the meetings pages' server data. */
export const MEETINGS_KEY = ["meetings"];
export const meetingsListKey = (scope: MeetingScope) => [...MEETINGS_KEY, "list", scope];

/** Recordings: all I may manage (`all`) or one meeting's. */
export const RECORDINGS_KEY = ["recordings"];
export const recordingsListKey = (meetingCode: string | null) => [...RECORDINGS_KEY, meetingCode ?? "all"];
