import type { MeetingScope } from "./api";

/** Cache keys of the meetings pages' server data. */
export const MEETINGS_KEY = ["meetings"];
export const meetingsListKey = (scope: MeetingScope) => [...MEETINGS_KEY, "list", scope];
