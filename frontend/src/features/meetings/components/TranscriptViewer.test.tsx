import { ThemeProvider } from "@mui/material";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { theme } from "../../../app/theme";
import { renderApp } from "../../../test/renderApp";
import { authenticated, mockFetch } from "../../../test/server";
import type { Recording } from "../recordingsApi";
import type { Transcript } from "../transcriptsApi";
import { TranscriptViewer } from "./TranscriptViewer";

afterEach(() => {
  vi.unstubAllGlobals();
});

const TRANSCRIPT: Transcript = {
  status: "ready",
  engine: "pocketsphinx",
  language: "en-us",
  segments: [
    { start_ms: 1_230, end_ms: 3_450, speaker: "Asha Rao", text: "one two three four five" },
    { start_ms: 2_000, end_ms: 4_100, speaker: "Ravi Iyer", text: "six seven Two eight" },
    { start_ms: 3_725_004, end_ms: 3_727_000, speaker: "Asha Rao", text: "that is all" },
  ],
};

function transcriptServer(transcript: Transcript = TRANSCRIPT) {
  return mockFetch((request) => {
    if (new URL(request.url).pathname === "/api/v1/recordings/r1/transcript") return { status: 200, body: transcript };
  });
}

/** The viewer beside a bare video element, as the recording's item lays them out. */
function Player() {
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  return (
    <>
      <video ref={setVideo} aria-label="Recording player" />
      <TranscriptViewer recordingId="r1" video={video} />
    </>
  );
}

function renderPlayer() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <ThemeProvider theme={theme}>
        <Player />
      </ThemeProvider>
    </QueryClientProvider>,
  );
  return screen.getByLabelText<HTMLVideoElement>("Recording player");
}

/** The video moves on to `seconds`, as it does while playing. */
function playTo(video: HTMLVideoElement, seconds: number) {
  act(() => {
    video.currentTime = seconds;
    video.dispatchEvent(new Event("timeupdate"));
  });
}

const lines = () => within(screen.getByRole("region", { name: "Transcript" })).getAllByRole("button");
const current = () => lines().filter((line) => line.getAttribute("aria-current") === "true").map((line) => line.textContent);

describe("transcript viewer", () => {
  it("shows each line with its time and speaker, and offers the transcript as WebVTT and text", async () => {
    transcriptServer();
    renderPlayer();
    const region = await screen.findByRole("region", { name: "Transcript" });
    await within(region).findByText("one two three four five");
    expect(lines().map((line) => line.textContent)).toEqual([
      "0:01 Asha Rao: one two three four five",
      "0:02 Ravi Iyer: six seven Two eight",
      "1:02:05 Asha Rao: that is all",
    ]);
    expect(within(region).getByRole("link", { name: "Download WebVTT" })).toHaveAttribute("href", "/api/v1/recordings/r1/transcript.vtt");
    expect(within(region).getByRole("link", { name: "Download text" })).toHaveAttribute("href", "/api/v1/recordings/r1/transcript.txt");
  });

  it("marks the line being spoken as the video plays", async () => {
    transcriptServer();
    const video = renderPlayer();
    await screen.findByText("one two three four five");
    expect(current()).toEqual([]); // 0 s: before anyone speaks

    playTo(video, 1.5);
    expect(current()).toEqual(["0:01 Asha Rao: one two three four five"]);
    playTo(video, 3.0); // both are speaking: the one who started last
    expect(current()).toEqual(["0:02 Ravi Iyer: six seven Two eight"]);
    playTo(video, 3.9);
    expect(current()).toEqual(["0:02 Ravi Iyer: six seven Two eight"]);
    playTo(video, 10); // a pause
    expect(current()).toEqual([]);
    playTo(video, 3725.5);
    expect(current()).toEqual(["1:02:05 Asha Rao: that is all"]);
  });

  it("moves the video to a line when it is clicked", async () => {
    transcriptServer();
    const video = renderPlayer();
    const user = userEvent.setup();
    await screen.findByText("one two three four five");

    await user.click(screen.getByRole("button", { name: /that is all/ }));
    expect(video.currentTime).toBe(3725.004);
    act(() => {
      video.dispatchEvent(new Event("seeked"));
    });
    expect(current()).toEqual(["1:02:05 Asha Rao: that is all"]);

    await user.click(screen.getByRole("button", { name: /six seven/ }));
    expect(video.currentTime).toBe(2);
  });

  it("filters the lines by what was said and marks the matches", async () => {
    transcriptServer();
    const video = renderPlayer();
    const user = userEvent.setup();
    await screen.findByText("one two three four five");
    const search = screen.getByRole("searchbox", { name: "Search transcript" });

    await user.type(search, "two");
    expect(lines().map((line) => line.textContent)).toEqual([
      "0:01 Asha Rao: one two three four five",
      "0:02 Ravi Iyer: six seven Two eight",
    ]);
    const marks = screen.getByRole("region", { name: "Transcript" }).querySelectorAll("mark");
    expect([...marks].map((mark) => mark.textContent)).toEqual(["two", "Two"]);

    playTo(video, 3.0); // the line being spoken is marked among the matches too
    expect(current()).toEqual(["0:02 Ravi Iyer: six seven Two eight"]);

    await user.clear(search);
    await user.type(search, "(eleven");
    expect(screen.queryByRole("list", { name: "Transcript lines" })).not.toBeInTheDocument();
    expect(screen.getByText("No lines match “(eleven”.")).toBeInTheDocument();

    await user.clear(search);
    expect(lines()).toHaveLength(3);
  });

  it("says so when nothing was said", async () => {
    transcriptServer({ ...TRANSCRIPT, segments: [] });
    renderPlayer();
    expect(await screen.findByText("Nothing was said.")).toBeInTheDocument();
  });
});

// ---- in the recordings list ------------------------------------------------------------------------

const recording = (overrides: Partial<Recording> = {}): Recording => ({
  id: "r1",
  meeting_code: "abcd-efgh-jkmn",
  meeting_title: "Standup",
  status: "ready",
  started_at: "2030-01-15T04:30:00Z",
  stopped_at: "2030-01-15T04:31:05Z",
  duration_sec: 65,
  size_bytes: 1000,
  progress: 100,
  error: "",
  mime_type: "video/mp4",
  transcript: null,
  ...overrides,
});

function listServer(item: Recording) {
  return mockFetch((request) => {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/auth/session")) return authenticated();
    if (url.pathname === "/api/v1/me") return { status: 200, body: { email: "ada@example.com", full_name: "Ada", display_name: "Ada", timezone: "UTC" } };
    if (url.pathname === "/api/v1/meetings") return { status: 200, body: { items: [], count: 0 } };
    if (url.pathname === "/api/v1/recordings") return { status: 200, body: { items: [item], count: 1 } };
    if (url.pathname === "/api/v1/recordings/r1/download-url") return { status: 200, body: { url: "http://localhost:3000/api/v1/files/signed/tok", expires_at: "2030-01-15T05:00:00Z" } };
    if (url.pathname === "/api/v1/recordings/r1/transcript") return { status: 200, body: TRANSCRIPT };
  });
}

async function openRecording(item: Recording) {
  listServer(item);
  renderApp("/meetings");
  const user = userEvent.setup();
  await user.click(await screen.findByRole("tab", { name: "Recordings" }));
  const list = await screen.findByRole("list", { name: "Recordings" });
  return { user, item: within(list).getByRole("listitem", { name: /^Standup/ }) };
}

describe("transcripts in the recordings list", { timeout: 30_000 }, () => {
  it("plays the recording with its captions and the transcript beside it", async () => {
    const { user, item } = await openRecording(recording({ transcript: { status: "ready", progress: 100, error: "" } }));
    expect(within(item).queryByText(/Transcrib/)).not.toBeInTheDocument();
    await user.click(within(item).getByRole("button", { name: "Play" }));

    const player = await within(item).findByLabelText("Recording player");
    const track = player.querySelector("track");
    expect(track).toHaveAttribute("kind", "captions");
    expect(track).toHaveAttribute("src", "/api/v1/recordings/r1/transcript.vtt");
    const region = within(item).getByRole("region", { name: "Transcript" });
    expect(await within(region).findByText("one two three four five")).toBeInTheDocument();

    await user.click(within(item).getByRole("button", { name: "Hide player" }));
    expect(within(item).queryByRole("region", { name: "Transcript" })).not.toBeInTheDocument();
  });

  it.each([
    [{ status: "processing", progress: 40, error: "" } as const, "Transcribing 40%"],
    [{ status: "failed", progress: 10, error: "Transcription took too long." } as const, "Transcript failed: Transcription took too long."],
  ])("shows how the transcript is coming along (%o) and no viewer yet", async (transcript, text) => {
    const { user, item } = await openRecording(recording({ transcript }));
    expect(within(item).getByText(text)).toBeInTheDocument();
    await user.click(within(item).getByRole("button", { name: "Play" }));
    const player = await within(item).findByLabelText("Recording player");
    expect(player.querySelector("track")).toBeNull();
    expect(within(item).queryByRole("region", { name: "Transcript" })).not.toBeInTheDocument();
  });

  it("says nothing of a transcript when the meeting had none", async () => {
    const { item } = await openRecording(recording());
    expect(within(item).getByText("Ready · 1:05")).toBeInTheDocument();
    expect(within(item).queryByText(/Transcri/)).not.toBeInTheDocument();
  });
});
