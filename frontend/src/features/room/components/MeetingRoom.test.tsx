import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { FakePeerConnection, FakeWebSocket, fakeStream, fakeTrack, installFakeBrowserMedia } from "../../../test/mediaFakes";
import { participant, roomJoin, welcomeExtras } from "../testing/fixtures";
import type { Welcome } from "../types";
import { MeetingRoom } from "./MeetingRoom";

const join = roomJoin({ status: "waiting", ticket: "one-time" });

function welcome(status: Welcome["status"]): Welcome {
  return {
    type: "welcome",
    participant_id: "me",
    role: "participant",
    status,
    seq: 4,
    reconnect_ticket: "next",
    meeting: { code: "abcd-efgh-jkmn", title: "Standup", is_locked: true, host_participant_id: "bo" },
    roster: status === "joined" ? [participant("me", { display_name: "Ada" }), participant("bo", { display_name: "Bo" })] : [],
    chat: [],
    ...welcomeExtras(),
  };
}

async function renderRoom() {
  const onExit = vi.fn();
  const rejoin = vi.fn(async () => ({ ...join, ticket: "again" }));
  render(
    <MeetingRoom code="abcd-efgh-jkmn" join={join} localStream={fakeStream([fakeTrack("audio"), fakeTrack("video")])} rejoin={rejoin} onExit={onExit} />,
  );
  await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
  const ws = FakeWebSocket.latest();
  act(() => ws.open());
  return { ws, onExit, rejoin, user: userEvent.setup() };
}

installFakeBrowserMedia(() => delete (navigator as unknown as Record<string, unknown>).mediaDevices);

/** getUserMedia hands out a new microphone and camera each time; returns the streams it made. */
function stubUserMedia(): MediaStream[] {
  const opened: MediaStream[] = [];
  Object.defineProperty(navigator, "mediaDevices", {
    configurable: true,
    value: {
      getUserMedia: vi.fn(async () => {
        const stream = fakeStream([fakeTrack("audio"), fakeTrack("video")]);
        opened.push(stream);
        return stream;
      }),
    },
  });
  return opened;
}

const live = (stream: MediaStream) => stream.getTracks().map((track) => track.readyState);

describe("meeting room", () => {
  it("waits in the lobby, enters when admitted, and leaves", { timeout: 20_000 }, async () => {
    const { ws, onExit, rejoin, user } = await renderRoom();
    act(() => ws.receive(welcome("waiting")));
    const room = screen.getByRole("main", { name: "Meeting room" });
    expect(within(room).getByRole("status")).toHaveTextContent("Waiting for the host to let you in");

    act(() => {
      ws.receive({ type: "admitted" });
      ws.receive(welcome("joined"));
    });
    expect(within(room).getByRole("figure", { name: "You" })).toBeInTheDocument();
    expect(within(room).getByRole("figure", { name: "Bo" })).toBeInTheDocument();
    expect(within(room).getByText("This meeting is locked")).toBeInTheDocument();
    expect(FakePeerConnection.instances).toHaveLength(1);
    expect(ws.sent).toContainEqual({ type: "state", audio_on: true, video_on: true, screen_on: false });

    await user.keyboard("{Control>}d{/Control}");
    const toolbar = within(room).getByRole("toolbar", { name: "Meeting controls" });
    expect(await within(toolbar).findByRole("button", { name: "Turn on microphone" })).toBeInTheDocument();
    expect(ws.sent.at(-1)).toEqual({ type: "state", audio_on: false, video_on: true, screen_on: false });

    act(() => ws.receive({ type: "chat.message", seq: 5, message: { id: "m1", sender_participant_id: "bo", sender_name: "Bo", text: "hi", to_participant_id: null, created_at: "2026-01-01T10:00:00Z", client_id: null } }));
    expect(within(toolbar).getByRole("button", { name: "Chat" })).toHaveTextContent("1");

    await user.click(within(toolbar).getByRole("button", { name: "Leave meeting" }));
    expect(ws.sent.at(-1)).toEqual({ type: "leave" });
    expect(ws.closedWith).toBe(1000);
    expect(await screen.findByRole("heading", { name: "You left the meeting" })).toBeInTheDocument();
    expect(onExit).toHaveBeenCalledWith("left");
    expect(FakePeerConnection.instances[0].closed).toBe(true);

    await user.click(screen.getByRole("button", { name: "Rejoin" }));
    expect(rejoin).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2));
    expect(FakeWebSocket.latest().url).toContain("ticket=again");
  });

  it("rejoins with the microphone as it was, and stops the devices it opened for that", { timeout: 20_000 }, async () => {
    const opened = stubUserMedia();
    const original = fakeStream([fakeTrack("audio"), fakeTrack("video")]);
    // Like the pre-join page: on exit it stops the stream it gave.
    const onExit = vi.fn(() => original.getTracks().forEach((track) => track.stop()));
    const user = userEvent.setup();
    render(<MeetingRoom code="abcd-efgh-jkmn" join={join} localStream={original} rejoin={async () => ({ ...join, ticket: "again" })} onExit={onExit} />);
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    act(() => {
      FakeWebSocket.latest().open();
      FakeWebSocket.latest().receive(welcome("joined"));
    });
    await user.click(screen.getByRole("button", { name: "Turn off microphone" }));
    await user.click(screen.getByRole("button", { name: "Leave meeting" }));
    expect(live(original)).toEqual(["ended", "ended"]);

    await user.click(await screen.findByRole("button", { name: "Rejoin" }));
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2));
    expect(opened).toHaveLength(1);
    const second = FakeWebSocket.latest();
    act(() => {
      second.open();
      second.receive(welcome("joined"));
    });
    // Muted before leaving: still muted after rejoining (not live again).
    expect(second.sent).toContainEqual({ type: "state", audio_on: false, video_on: true, screen_on: false });
    expect(screen.getByRole("button", { name: "Turn on microphone" })).toBeInTheDocument();
    expect(opened[0].getAudioTracks()[0].enabled).toBe(false);

    // The second exit stops the devices the room opened itself.
    await user.click(screen.getByRole("button", { name: "Leave meeting" }));
    expect(await screen.findByRole("heading", { name: "You left the meeting" })).toBeInTheDocument();
    expect(live(opened[0])).toEqual(["ended", "ended"]);
  });

  it("stops the devices it opened when the rejoin fails", async () => {
    const opened = stubUserMedia();
    const original = fakeStream([fakeTrack("audio")]);
    const rejoin = vi.fn(async () => Promise.reject(new Error("The host has locked this meeting.")));
    const user = userEvent.setup();
    render(<MeetingRoom code="abcd-efgh-jkmn" join={join} localStream={original} rejoin={rejoin}
      onExit={() => original.getTracks().forEach((track) => track.stop())} />);
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    act(() => {
      FakeWebSocket.latest().open();
      FakeWebSocket.latest().receive(welcome("joined"));
    });
    await user.click(screen.getByRole("button", { name: "Leave meeting" }));
    await user.click(await screen.findByRole("button", { name: "Rejoin" }));
    expect(await screen.findByRole("alert")).toBeInTheDocument();
    expect(opened).toHaveLength(1);
    expect(live(opened[0])).toEqual(["ended", "ended"]);
  });

  it("offers Leave while connecting, says when it retries, and gives up after a few attempts", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const onExit = vi.fn();
    render(<MeetingRoom code="abcd-efgh-jkmn" join={join} localStream={fakeStream()} rejoin={async () => join} onExit={onExit} />);
    await act(async () => undefined);
    expect(screen.getByRole("status")).toHaveTextContent("Joining the meeting…");
    expect(screen.getByRole("button", { name: "Leave" })).toBeInTheDocument();

    act(() => FakeWebSocket.latest().drop(1006));
    expect(screen.getByRole("status")).toHaveTextContent("Reconnecting…");
    for (const delay of [500, 1000, 2000, 4000]) {
      act(() => vi.advanceTimersByTime(delay));
      act(() => FakeWebSocket.latest().drop(1006));
    }
    expect(screen.getByRole("heading", { name: "You were disconnected from the meeting" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Rejoin" })).toBeInTheDocument();
    expect(onExit).toHaveBeenCalledWith("left");
  });

  it("leaves from the connecting screen", async () => {
    const onExit = vi.fn();
    render(<MeetingRoom code="abcd-efgh-jkmn" join={join} localStream={fakeStream()} rejoin={async () => join} onExit={onExit} />);
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    fireEvent.click(screen.getByRole("button", { name: "Leave" }));
    expect(await screen.findByRole("heading", { name: "You left the meeting" })).toBeInTheDocument();
    expect(onExit).toHaveBeenCalledWith("left");
    expect(FakeWebSocket.latest().closedWith).toBe(1000);
  });

  it("shows that the meeting ended", async () => {
    const { ws, onExit } = await renderRoom();
    act(() => ws.receive(welcome("joined")));
    act(() => ws.drop(4410));
    expect(await screen.findByRole("heading", { name: "The meeting has ended" })).toBeInTheDocument();
    expect(onExit).toHaveBeenCalledWith("ended");
  });

  it("shows that the host did not let us in", async () => {
    const { ws, onExit } = await renderRoom();
    act(() => ws.receive(welcome("waiting")));
    act(() => ws.receive({ type: "denied" }));
    expect(await screen.findByRole("heading", { name: "The host did not let you in" })).toBeInTheDocument();
    expect(onExit).toHaveBeenCalledWith("denied");
  });
});
