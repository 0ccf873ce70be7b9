import { describe, expect, it } from "vitest";
import { formatTimeRange, nextDay, nextHourSlot, zonedToUtcIso } from "./zonedTime";

describe("zoned times", () => {
  it.each([
    ["2030-01-15", "10:00", "Asia/Kolkata", "2030-01-15T04:30:00.000Z"],
    ["2030-01-15", "02:00", "Asia/Kolkata", "2030-01-14T20:30:00.000Z"],
    ["2030-07-01", "09:00", "America/New_York", "2030-07-01T13:00:00.000Z"], // summer time
    ["2030-01-01", "09:00", "America/New_York", "2030-01-01T14:00:00.000Z"],
    ["2030-03-31", "02:30", "Europe/London", "2030-03-31T01:30:00.000Z"], // the first hour of summer time
    ["2030-06-01", "12:00", "UTC", "2030-06-01T12:00:00.000Z"],
  ])("%s %s in %s is %s", (date, time, zone, iso) => {
    expect(zonedToUtcIso(date, time, zone)).toBe(iso);
  });

  // Wall times the clocks skip (spring forward) resolve to the first instant after the gap.
  it.each([
    ["2030-03-10", "02:30", "America/New_York", "2030-03-10T07:00:00.000Z"], // 03:00 EDT
    ["2030-03-10", "02:00", "America/New_York", "2030-03-10T07:00:00.000Z"],
    ["2030-03-10", "02:59", "America/New_York", "2030-03-10T07:00:00.000Z"],
    ["2030-03-31", "02:30", "Europe/Berlin", "2030-03-31T01:00:00.000Z"], // 03:00 CEST
    ["2030-03-31", "02:00", "Europe/Berlin", "2030-03-31T01:00:00.000Z"],
    ["2030-09-08", "00:30", "America/Santiago", "2030-09-08T04:00:00.000Z"], // 01:00 -03, the gap is at midnight
    ["2030-09-08", "00:00", "America/Santiago", "2030-09-08T04:00:00.000Z"],
  ])("%s %s in %s, skipped by the clocks, is %s", (date, time, zone, iso) => {
    expect(zonedToUtcIso(date, time, zone)).toBe(iso);
  });

  it.each([
    ["2030-03-10", "03:00", "America/New_York", "2030-03-10T07:00:00.000Z"],
    ["2030-03-10", "01:59", "America/New_York", "2030-03-10T06:59:00.000Z"],
    ["2030-03-31", "03:00", "Europe/Berlin", "2030-03-31T01:00:00.000Z"],
    ["2030-09-08", "01:00", "America/Santiago", "2030-09-08T04:00:00.000Z"],
    ["2030-09-07", "23:59", "America/Santiago", "2030-09-08T03:59:00.000Z"],
    // Shown twice (clocks set back): the first time.
    ["2030-11-03", "01:30", "America/New_York", "2030-11-03T05:30:00.000Z"],
    ["2030-10-27", "02:30", "Europe/Berlin", "2030-10-27T00:30:00.000Z"],
    ["2030-04-06", "23:30", "America/Santiago", "2030-04-07T02:30:00.000Z"],
  ])("%s %s in %s, around a change of offset, is %s", (date, time, zone, iso) => {
    expect(zonedToUtcIso(date, time, zone)).toBe(iso);
  });

  it("offers the next full hour in the zone, rolling over midnight", () => {
    expect(nextHourSlot("Asia/Kolkata", Date.parse("2030-01-15T04:10:00Z"))).toEqual({ date: "2030-01-15", startTime: "10:00", endTime: "11:00" });
    expect(nextHourSlot("Asia/Kolkata", Date.parse("2030-01-15T18:00:00Z"))).toEqual({ date: "2030-01-16", startTime: "00:00", endTime: "01:00" });
    expect(nextDay("2030-12-31")).toBe("2031-01-01");
  });

  it("starts the default slot where the clocks land on a spring-forward night, an hour long", () => {
    // 01:15 EST; 02:00 is never shown (the clocks jump to 03:00 EDT).
    expect(nextHourSlot("America/New_York", Date.parse("2027-03-14T06:15:00Z"))).toEqual({ date: "2027-03-14", startTime: "03:00", endTime: "04:00" });
  });

  it("formats a range in the given zone", () => {
    expect(formatTimeRange("2030-01-15T04:30:00Z", "2030-01-15T05:30:00Z", "Asia/Kolkata")).toMatch(/10:00\s*–\s*11:00\sAM/);
  });
});
