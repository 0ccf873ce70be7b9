import type { Occurrence } from "../api";

/** A weekly stand-up at 19:00 London time that I host (Monday 22 March 2027, still GMT). */
export const occurrence = (patch: Partial<Occurrence> = {}): Occurrence => ({
  id: "abcd-efgh-jkmn:20270322T190000Z", meeting_code: "abcd-efgh-jkmn", title: "Stand-up",
  starts_at: "2027-03-22T19:00:00Z", ends_at: "2027-03-22T19:30:00Z", original_start: "2027-03-22T19:00:00Z",
  occurrence_key: "20270322T190000Z", timezone: "Europe/London", is_recurring: true, is_host: true, status: "scheduled",
  my_rsvp: null, join_path: "/m/abcd-efgh-jkmn", ...patch,
});
