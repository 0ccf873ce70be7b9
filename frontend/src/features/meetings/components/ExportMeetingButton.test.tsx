import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../../test/server";
import type { Meeting } from "../api";
import { exportFileName } from "../meetingExport";
import { ExportMeetingButton } from "./ExportMeetingButton";

// jsdom has no object URLs: each test that downloads puts its own in, and they go afterwards.
const { createObjectURL, revokeObjectURL } = URL;
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  Object.assign(URL, { createObjectURL, revokeObjectURL });
});

const meeting = {
  code: "abcd-efgh-jkmn",
  title: "Weekly sync",
  status: "ended",
  is_host: true,
  starts_at: null,
  started_at: "2030-01-15T20:30:00Z",
  created_at: "2030-01-15T20:29:00Z",
} as Meeting;

function renderButton() {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ExportMeetingButton meeting={meeting} timeZone="Asia/Kolkata" />
    </QueryClientProvider>,
  );
  return userEvent.setup();
}

describe("exportFileName", () => {
  it("is the title and the day it started in my time zone", () => {
    expect(exportFileName(meeting, "Asia/Kolkata")).toBe("Weekly sync 2030-01-16.json");
    expect(exportFileName(meeting, "UTC")).toBe("Weekly sync 2030-01-15.json");
  });

  it("keeps out what file systems refuse", () => {
    const named = (title: string) => exportFileName({ ...meeting, title }, "UTC");
    expect(named('Q1/Q2: "plans"\u0000 <draft>?')).toBe("Q1 Q2 plans draft 2030-01-15.json");
    expect(named("..")).toBe("Meeting 2030-01-15.json");
    expect(named("x".repeat(200))).toBe(`${"x".repeat(120)} 2030-01-15.json`);
  });
});

describe("export button", () => {
  it("downloads the meeting as JSON", async () => {
    const body = { meeting: { title: "Weekly sync" }, chat: [], polls: [] };
    const seen = mockFetch(() => ({ status: 200, body }));
    const blobs: Blob[] = [];
    Object.assign(URL, { createObjectURL: (blob: Blob) => (blobs.push(blob), "blob:export"), revokeObjectURL: () => undefined });
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const user = renderButton();

    await user.click(screen.getByRole("button", { name: "Export chat and polls" }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(new URL(seen[0].url).pathname).toBe("/api/v1/meetings/abcd-efgh-jkmn/export");
    expect(clicked[0].download).toBe("Weekly sync 2030-01-16.json");
    expect(clicked[0].href).toBe("blob:export");
    expect(blobs[0].type).toBe("application/json");
    expect(JSON.parse(await blobs[0].text())).toEqual(body);
  });

  it("says so when the export fails", async () => {
    mockFetch(() => ({ status: 404, body: { code: "not_found", message: "No such meeting.", detail: null } }));
    const user = renderButton();
    await user.click(screen.getByRole("button", { name: "Export chat and polls" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("No such meeting.");
  });
});
