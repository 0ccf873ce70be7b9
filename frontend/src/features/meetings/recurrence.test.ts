import { describe, expect, it } from "vitest";
import { followStartDate, initialRecurrence, recurrenceErrors, recurrencePayload, recurrenceSummary, weekdayOf, type RecurrenceValues } from "./recurrence";

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
    [{ repeat: "weekly", weekdays: ["MO", "WE", "FR"], end: "never" }, { frequency: "weekly", interval: 1, weekdays: ["MO", "WE", "FR"], until: null, count: null }, "Weekly on Monday, Wednesday and Friday"],
  ] as const)("send %j as the contract's shape", (patch, payload, summary) => {
    const form = values({ ...patch, weekdays: [...(("weekdays" in patch && patch.weekdays) || ["MO"])] });
    expect(recurrencePayload(form, MONDAY)).toEqual(payload);
    expect(recurrenceSummary(form, MONDAY)).toBe(summary);
  });

  it.each([
    [{ end: "count", count: "" }, { count: "Enter a whole number from 1 to 500" }],
    [{ end: "count", count: "abc" }, { count: "Enter a whole number from 1 to 500" }],
    [{ end: "count", count: "0" }, { count: "Enter a whole number from 1 to 500" }],
    [{ end: "count", count: "2.5" }, { count: "Enter a whole number from 1 to 500" }],
    [{ end: "until", until: "" }, { until: "Choose the date the series ends" }],
    [{ end: "until", until: "2027-03-21" }, { until: "The series can't end before it starts" }],
    [{ end: "count", count: "3" }, {}],
    [{ end: "until", until: "2027-03-22" }, {}],
    [{ end: "never", count: "" }, {}],
  ] as const)("check the end of a series %j (a blank end must not become an endless series)", (patch, errors) => {
    expect(recurrenceErrors(values({ repeat: "daily", ...patch }), MONDAY)).toEqual(errors);
    expect(recurrenceErrors(values({ repeat: "none", ...patch }), MONDAY)).toEqual({});
  });

  it("move default weekdays along with the start date, but keep the user's choice", () => {
    const weekly = values({ repeat: "weekly" });
    expect(followStartDate(weekly, MONDAY, "2027-03-24").weekdays).toEqual(["WE"]);
    expect(followStartDate(values({ repeat: "none" }), MONDAY, "2027-03-24").weekdays).toEqual(["WE"]);
    const chosen = values({ repeat: "weekly", weekdays: ["MO", "FR"] });
    expect(followStartDate(chosen, MONDAY, "2027-03-24")).toBe(chosen);
    expect(followStartDate(values({ weekdays: ["FR"] }), MONDAY, "2027-03-24").weekdays).toEqual(["FR"]);
    // While the date is being typed (empty), the default stays and comes back once it is whole.
    expect(followStartDate(weekly, MONDAY, "").weekdays).toEqual(["MO"]);
  });

  it("say nothing, and do not crash, without a valid start date", () => {
    expect(weekdayOf("")).toBeNull();
    expect(weekdayOf("2027-02-31x")).toBeNull();
    expect(initialRecurrence("").weekdays).toEqual([]);
    const weekly = { ...initialRecurrence(""), repeat: "weekly" as const };
    expect(() => recurrencePayload(weekly, "")).not.toThrow();
    expect(recurrenceSummary(weekly, "")).toBeNull();
    expect(recurrenceSummary(values({ repeat: "monthly" }), "")).toBeNull();
  });
});
