import { describe, expect, it } from "vitest";
import { dateIn, isJoinOpen, isStillOn, meetingZoneNote, moveQuestion, occurrenceToEvent, slotIn } from "./occurrences";
import { occurrence } from "./testing/fixtures";

describe("occurrence -> calendar event", () => {
  it("is editable only for the host and carries the occurrence along", () => {
    const mine = occurrence();
    expect(occurrenceToEvent(mine)).toEqual({
      id: mine.id, title: "Stand-up", start: mine.starts_at, end: mine.ends_at, editable: true, extendedProps: { occurrence: mine },
    });
    expect(occurrenceToEvent(occurrence({ is_host: false, my_rsvp: "accepted" })).editable).toBe(false);
  });
});

describe("join window", () => {
  const at = (iso: string) => Date.parse(iso);
  it.each([
    ["2027-03-22T18:49:59Z", false], // more than 10 minutes before
    ["2027-03-22T18:50:00Z", true],
    ["2027-03-22T19:29:59Z", true],
    ["2027-03-22T19:30:00Z", false], // over
  ])("at %s is open: %s", (now, open) => {
    expect(isJoinOpen(occurrence(), at(now))).toBe(open);
  });

  it.each([
    // [status, recurring, now, open]
    ["live", false, "2027-03-22T18:30:00Z", true], // the host started early
    ["live", false, "2027-03-22T20:15:00Z", true], // running over
    ["live", true, "2027-03-22T19:10:00Z", true], // the occurrence under way
    ["live", true, "2027-03-29T18:30:00Z", false], // not next week's (this fixture is the 22nd's)
    ["live", true, "2027-03-22T18:30:00Z", false],
    ["ended", false, "2027-03-22T19:10:00Z", false], // ended early
    ["ended", true, "2027-03-22T19:10:00Z", false],
    ["cancelled", false, "2027-03-22T19:10:00Z", false],
  ] as const)("a %s meeting (series: %s) at %s is open: %s", (status, recurring, now, open) => {
    expect(isJoinOpen(occurrence({ status, is_recurring: recurring }), at(now))).toBe(open);
  });

  it("keeps a live one-off meeting listed past its end", () => {
    const late = at("2027-03-22T20:15:00Z");
    expect(isStillOn(occurrence({ is_recurring: false }), late)).toBe(false);
    expect(isStillOn(occurrence({ is_recurring: false, status: "live" }), late)).toBe(true);
    expect(isStillOn(occurrence({ status: "live" }), late)).toBe(false);
    expect(isStillOn(occurrence(), at("2027-03-22T19:29:00Z"))).toBe(true);
  });
});

describe("time zones", () => {
  it("notes the meeting's own wall clock when it differs from mine", () => {
    // 19:00 in London in winter (GMT) is 00:30 the next day in Kolkata.
    expect(meetingZoneNote("2027-03-22T19:00:00Z", "Europe/London", "Asia/Kolkata")).toBe("(Mon 19:00 in Europe/London)");
    // After London moves to summer time (28 March 2027), the same wall clock is an hour earlier in UTC.
    expect(meetingZoneNote("2027-03-29T18:00:00Z", "Europe/London", "Asia/Kolkata")).toBe("(19:00 in Europe/London)");
    expect(meetingZoneNote("2027-03-22T09:00:00Z", "America/New_York", "America/New_York")).toBeNull();
    // Different names, same clocks in winter: nothing to add.
    expect(meetingZoneNote("2027-01-11T09:00:00Z", "Europe/London", "Europe/Lisbon")).toBeNull();
  });

  it("asks before a move in my zone, naming both days across midnight", () => {
    expect(moveQuestion("Stand-up", "2027-03-23T04:30:00Z", "2027-03-23T05:00:00Z", "Asia/Kolkata")).toBe("Move “Stand-up” to Tue 10:00–10:30?");
    expect(moveQuestion("Late", "2027-03-22T18:00:00Z", "2027-03-22T19:00:00Z", "Asia/Kolkata")).toBe("Move “Late” to Mon 23:30–Tue 00:30?");
  });

  it("reads a selected slot as wall-clock date and times in my zone", () => {
    const start = new Date("2027-03-22T19:00:00Z");
    const end = new Date("2027-03-22T20:00:00Z");
    expect(slotIn(start, end, "Europe/London")).toEqual({ date: "2027-03-22", startTime: "19:00", endTime: "20:00" });
    expect(slotIn(start, end, "Asia/Kolkata")).toEqual({ date: "2027-03-23", startTime: "00:30", endTime: "01:30" });
    // A whole day selected in month view: the day, at 09:00.
    expect(slotIn(new Date("2027-03-28T23:00:00Z"), new Date("2027-03-29T23:00:00Z"), "Europe/London", true)).toEqual({
      date: "2027-03-29", startTime: "09:00", endTime: "10:00",
    });
    expect(dateIn(new Date("2027-03-22T20:00:00Z"), "Asia/Kolkata")).toBe("2027-03-23");
  });
});
