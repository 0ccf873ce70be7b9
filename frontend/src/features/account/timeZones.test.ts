import { expect, it } from "vitest";
import { timeZoneOptions } from "./timeZones";

it("offers current IANA names, sorted, always including the user's zone", () => {
  expect(timeZoneOptions("UTC", ["Europe/Kiev", "Asia/Calcutta", "America/New_York"])).toEqual([
    "America/New_York",
    "Asia/Kolkata",
    "Europe/Kyiv",
    "UTC",
  ]);
});
