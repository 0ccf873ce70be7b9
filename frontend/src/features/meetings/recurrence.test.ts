import { describe, expect, it } from "vitest";
import { initialRecurrence, recurrencePayload, recurrenceSummary, weekdayOf, type RecurrenceValues } from "./recurrence";

// 2027-03-22 is a Monday.
const MONDAY = "2027-03-22";
const values = (patch: Partial<RecurrenceValues>): RecurrenceValues => ({ ...initialRecurrence(MONDAY), ...patch });

describe("recurrence fields", () => {
  it("start from the start date's weekday and do not repeat", () => {
    expect(weekdayOf(MONDAY)).toBe("MO");
    expect(weekdayOf("2027-03-28")).toBe("SU");
    expect(initialRecurrence(MONDAY)).toEqual({ repeat: "none", weekdays: ["MO"], end: "never", until: "", count: "10" });
    expect(recurrencePayload(initialRecurrence(MONDAY), MONDAY)).toBeNull();
    expect(recurrenceSummary(initialRecurrence(MONDAY), MONDAY)).toBeNull();
  });

  it("send weekly days Monday first, until a date", () => {
    const weekly = values({ repeat: "weekly", weekdays: ["WE", "MO"], end: "until", until: "2027-04-30" });
    expect(recurrencePayload(weekly, MONDAY)).toEqual({ frequency: "weekly", interval: 1, weekdays: ["MO", "WE"], until: "2027-04-30", count: null });
    expect(recurrenceSummary(weekly, MONDAY)).toBe("Weekly on Monday and Wednesday, until 30 Apr 2027");
  });

  it("fall back to the start date's day when no weekday is chosen", () => {
    const weekly = values({ repeat: "weekly", weekdays: [] });
    expect(recurrencePayload(weekly, "2027-03-24")).toEqual({ frequency: "weekly", interval: 1, weekdays: ["WE"], until: null, count: null });
    expect(recurrenceSummary(weekly, "2027-03-24")).toBe("Weekly on Wednesday");
  });

  it.each([
    [{ repeat: "daily", end: "count", count: "10" }, { frequency: "daily", interval: 1, weekdays: [], until: null, count: 10 }, "Daily, 10 times"],
    [{ repeat: "weekdays", end: "never", until: "2027-05-01" }, { frequency: "weekdays", interval: 1, weekdays: [], until: null, count: null }, "Every weekday"],
    [{ repeat: "monthly", end: "count", count: "1" }, { frequency: "monthly", interval: 1, weekdays: [], until: null, count: 1 }, "Monthly on day 22, 1 time"],
    [{ repeat: "weekly", weekdays: ["MO", "WE", "FR"], end: "count", count: "" }, { frequency: "weekly", interval: 1, weekdays: ["MO", "WE", "FR"], until: null, count: null }, "Weekly on Monday, Wednesday and Friday"],
  ] as const)("send %j as the contract's shape", (patch, payload, summary) => {
    const form = values({ ...patch, weekdays: [...(("weekdays" in patch && patch.weekdays) || ["MO"])] });
    expect(recurrencePayload(form, MONDAY)).toEqual(payload);
    expect(recurrenceSummary(form, MONDAY)).toBe(summary);
  });
});
