import { describe, expect, it } from "vitest";
import { joinPathFromInput, normalizeMeetingCode, passcodeFromHash, shareableLink } from "./meetingLinks";

describe("join by code or link", () => {
  it.each([
    ["abcd-efgh-jkmn", "/m/abcd-efgh-jkmn"],
    ["  ABCDEFGHJKMN ", "/m/abcd-efgh-jkmn"],
    ["abcd efgh jkmn", "/m/abcd-efgh-jkmn"],
    ["https://meet.example.com/m/abcd-efgh-jkmn", "/m/abcd-efgh-jkmn"],
    ["meet.example.com/m/abcdefghjkmn/", "/m/abcd-efgh-jkmn"],
    ["https://meet.example.com/m/abcd-efgh-jkmn#p=s3cret", "/m/abcd-efgh-jkmn#p=s3cret"],
    ["/m/abcd-efgh-jkmn?utm=x#p=ab%2Bc", "/m/abcd-efgh-jkmn#p=ab%2Bc"],
  ])("opens %j as %s", (input, path) => {
    expect(joinPathFromInput(input)).toBe(path);
  });

  it.each(["", "abcd-efgh", "abcd-efgh-jkm0", "https://meet.example.com/meetings", "abcd-efgh-jkmn-pqrs"])(
    "refuses %j",
    (input) => expect(joinPathFromInput(input)).toBeNull(),
  );

  it("normalizes a code and reads the passcode fragment", () => {
    expect(normalizeMeetingCode("ABCD-EFGH-JKMN")).toBe("abcd-efgh-jkmn");
    expect(passcodeFromHash("#p=1234")).toBe("1234");
    expect(passcodeFromHash("")).toBe("");
  });

  it("adds the passcode to the link only when the API gave it", () => {
    const join_url = "https://meet.example.com/m/abcd-efgh-jkmn";
    expect(shareableLink({ join_url, passcode: "ab12" })).toBe(`${join_url}#p=ab12`);
    expect(shareableLink({ join_url, passcode: null })).toBe(join_url);
  });
});
