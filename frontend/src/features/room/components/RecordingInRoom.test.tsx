import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { FakeWebSocket, fakeStream, fakeTrack, installFakeBrowserMedia } from "../../../test/mediaFakes";
import { FakeJanus, sfuGrant } from "../testing/fakeJanus";
import { participant, roomJoin, welcomeExtras } from "../testing/fixtures";
import type { Role, Welcome } from "../types";
import { MeetingRoom } from "./MeetingRoom";

const janus = vi.hoisted(() => ({ current: null as FakeJanus | null }));
vi.mock("../media/sfu/janusApi", () => ({
  connectJanus: (options: Parameters<FakeJanus["connect"]>[0]) => janus.current?.connect(options),
}));

installFakeBrowserMedia();

function welcome(role: Role, meeting: Partial<Welcome["meeting"]>): Welcome {
  return {
    type: "welcome",
    participant_id: "me",
    role,
    status: "joined",
    seq: 4,
    reconnect_ticket: "next",
    meeting: { code: "abcd-efgh-jkmn", title: "Standup", is_locked: false, host_participant_id: "me", ...meeting },
    roster: [participant("me", { display_name: "Ada", role }), participant("bo", { display_name: "Bo" })],
    chat: [],
    sfu: meeting.media_mode === "sfu" ? sfuGrant() : null,
    ...welcomeExtras(),
  };
}

async function enter(message: Welcome) {
  janus.current = new FakeJanus();
  const join = roomJoin({ role: message.role, media_mode: message.meeting.media_mode ?? "p2p" });
  render(<MeetingRoom code="abcd-efgh-jkmn" join={join} localStream={fakeStream([fakeTrack("audio")])} rejoin={async () => join} onExit={() => undefined} />);
  await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
  const ws = FakeWebSocket.latest();
  act(() => {
    ws.open();
    ws.receive(message);
  });
  return { ws, room: screen.getByRole("main", { name: "Meeting room" }), toolbar: screen.getByRole("toolbar", { name: "Meeting controls" }) };
}

const SFU_RECORDABLE = { media_mode: "sfu", recording_allowed: true };

describe("recording in the room", () => {
  it("lets the host start and stop recording, and shows everyone the indicator while it runs", { timeout: 20_000 }, async () => {
    const user = userEvent.setup();
    const { ws, room, toolbar } = await enter(welcome("host", SFU_RECORDABLE));
    expect(within(room).queryByRole("status", { name: "Recording" })).not.toBeInTheDocument();

    await user.click(within(toolbar).getByRole("button", { name: "Start recording" }));
    expect(ws.sent.at(-1)).toEqual({ type: "recording_start" });
    act(() => ws.receive({ type: "recording", seq: 5, active: true, started_at: "2026-01-01T10:00:00Z" }));
    expect(within(room).getByRole("status", { name: "Recording" })).toBeInTheDocument();
    expect(within(room).getByRole("alert")).toHaveTextContent("This meeting is being recorded");

    await user.click(within(toolbar).getByRole("button", { name: "Stop recording" }));
    expect(ws.sent.at(-1)).toEqual({ type: "recording_stop" });
    act(() => ws.receive({ type: "recording", seq: 6, active: false, started_at: null }));
    expect(within(room).queryByRole("status", { name: "Recording" })).not.toBeInTheDocument();
    expect(within(room).queryByText("This meeting is being recorded")).not.toBeInTheDocument();
    expect(within(toolbar).getByRole("button", { name: "Start recording" })).toBeInTheDocument();
  });

  it("tells a participant who joins during a recording, until they dismiss it; no record button for them", { timeout: 20_000 }, async () => {
    const user = userEvent.setup();
    const { room, toolbar, ws } = await enter(
      welcome("participant", { ...SFU_RECORDABLE, recording: { active: true, started_at: "2026-01-01T10:00:00Z" } }),
    );
    expect(within(room).getByRole("status", { name: "Recording" })).toBeInTheDocument();
    const notice = within(room).getByRole("alert");
    expect(notice).toHaveTextContent("This meeting is being recorded");
    expect(within(toolbar).queryByRole("button", { name: /recording/ })).not.toBeInTheDocument();

    await user.click(within(notice).getByRole("button", { name: "Close" }));
    expect(within(room).queryByText("This meeting is being recorded")).not.toBeInTheDocument();
    // A reconnect's welcome with the same recording does not bring it back.
    act(() => ws.receive(welcome("participant", { ...SFU_RECORDABLE, recording: { active: true, started_at: "2026-01-01T10:00:00Z" } })));
    expect(within(room).queryByText("This meeting is being recorded")).not.toBeInTheDocument();
    expect(within(room).getByRole("status", { name: "Recording" })).toBeInTheDocument();
  });

  it("offers recording only once the meeting allows it", { timeout: 20_000 }, async () => {
    const first = await enter(welcome("host", { media_mode: "sfu", recording_allowed: false }));
    expect(within(first.toolbar).queryByRole("button", { name: "Start recording" })).not.toBeInTheDocument();
    first.ws.receive({ type: "meeting.updated", seq: 5, meeting: { recording_allowed: true } });
    expect(await within(first.toolbar).findByRole("button", { name: "Start recording" })).toBeInTheDocument();
  });

  it("offers no recording in a P2P meeting", { timeout: 20_000 }, async () => {
    const { toolbar } = await enter(welcome("host", { media_mode: "p2p", recording_allowed: true }));
    expect(within(toolbar).getByRole("button", { name: "Leave meeting" })).toBeInTheDocument();
    expect(within(toolbar).queryByRole("button", { name: "Start recording" })).not.toBeInTheDocument();
  });

  it("marks each remote tile with whose feed it is", { timeout: 20_000 }, async () => {
    const { room } = await enter(welcome("host", SFU_RECORDABLE));
    const bo = within(room).getByRole("figure", { name: "Bo" });
    expect(bo).toHaveAttribute("data-participant-id", "bo");
    expect(bo).toHaveAttribute("data-kind", "camera");
  });
});
