import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { anonymous, authenticated, mockFetch } from "../../../test/server";
import type { MeetingRoomProps } from "../../room/components/MeetingRoom";
import { installFakeMedia, removeFakeMedia } from "../../../test/fakeDevices";

// The room has its own tests; here it only shows what it was given.
const room = vi.hoisted(() => ({ props: null as MeetingRoomProps | null }));
vi.mock("../../room/components/MeetingRoom", () => ({
  MeetingRoom: (props: MeetingRoomProps) => {
    room.props = props;
    return <p>In the room as {props.join.display_name}</p>;
  },
}));

beforeEach(() => {
  room.props = null;
});
afterEach(() => {
  vi.unstubAllGlobals();
  removeFakeMedia();
});

const CODE = "abcd-efgh-jkmn";
const JOIN = `/api/v1/meetings/${CODE}/join`;
const path = (request: Request) => new URL(request.url).pathname;
const joined = (display_name: string) => ({
  status: 200,
  body: {
    status: "waiting", participant_id: "p1", role: "participant", display_name, ticket: "t", ws_path: `/ws/meetings/${CODE}/`,
    media_mode: "p2p", ice_servers: [], max_participants: 6, meeting: { code: CODE, title: "Standup", host_name: "Ada", status: "live" },
  },
});
const UNAVAILABLE = {
  status: 404,
  body: { code: "meeting_unavailable", message: "This meeting doesn't exist or you can't join it. Check the code and the passcode.", detail: null },
};

describe("pre-join", { timeout: 15_000 }, () => {
  it("asks a guest for a name, sends the link's passcode unseen, and enters the room", async () => {
    installFakeMedia();
    const seen = mockFetch((request) => {
      if (path(request).endsWith("/auth/session")) return anonymous();
      if (path(request) === JOIN) return joined("Grace");
    });
    renderApp(`/m/${CODE}#p=1234`);
    const user = userEvent.setup();

    const name = await screen.findByRole("textbox", { name: "Your name" });
    expect(screen.queryByRole("textbox", { name: "Passcode" })).not.toBeInTheDocument();
    expect(screen.getByTestId("prejoin-preview")).toBeInTheDocument();
    expect(screen.getByRole("meter", { name: "Microphone level" })).toBeInTheDocument();
    expect(await screen.findByRole("option", { name: "USB camera" })).toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "Microphone" })).toHaveValue("mic-1");

    await user.click(screen.getByRole("button", { name: "Join now" }));
    expect(await screen.findByText("Enter your name.")).toBeInTheDocument();
    await user.type(name, "Grace");
    await user.click(screen.getByRole("button", { name: "Turn off microphone" }));
    expect(screen.getByRole("button", { name: "Turn on microphone" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Join now" }));

    expect(await screen.findByText("In the room as Grace")).toBeInTheDocument();
    const join = seen.find((r) => path(r) === JOIN)!;
    expect(await join.json()).toEqual({ display_name: "Grace", passcode: "1234" });
    expect(room.props).toMatchObject({ code: CODE, initialAudioOn: false, initialVideoOn: true });
    expect(room.props!.localStream.getTracks()).toHaveLength(2);

    await room.props!.rejoin();
    const joins = seen.filter((r) => path(r) === JOIN);
    expect(joins).toHaveLength(2);
    expect(await joins[1].json()).toEqual({ display_name: "Grace", passcode: "1234" });

    room.props!.onExit("left");
    expect(room.props!.localStream.getTracks().map((track) => track.readyState)).toEqual(["ended", "ended"]);
  });

  it("opens the chosen camera instead of the first", async () => {
    const { getUserMedia } = installFakeMedia();
    mockFetch((request) => (path(request).endsWith("/auth/session") ? authenticated() : undefined));
    renderApp(`/m/${CODE}`);
    const user = userEvent.setup();

    const camera = await screen.findByRole("combobox", { name: "Camera" });
    await screen.findByRole("option", { name: "USB camera" });
    const first: MediaStream = await getUserMedia.mock.results[0].value;
    await user.selectOptions(camera, "USB camera");

    await waitFor(() => expect(getUserMedia).toHaveBeenLastCalledWith({ audio: true, video: { deviceId: { exact: "cam-2" } } }));
    expect(first.getTracks().map((track) => track.readyState)).toEqual(["ended", "ended"]);
    await waitFor(() => expect(camera).toHaveValue("cam-2"));
  });

  it("does not ask a signed-in user for a name", async () => {
    installFakeMedia();
    const seen = mockFetch((request) => {
      if (path(request).endsWith("/auth/session")) return authenticated();
      if (path(request) === JOIN) return joined("Ada");
    });
    renderApp(`/m/${CODE}`);
    const user = userEvent.setup();

    expect(await screen.findByText("Joining as Ada")).toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: "Your name" })).not.toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Passcode" })).toHaveAccessibleDescription("Passcode (if the meeting has one)");
    await user.click(await screen.findByRole("button", { name: "Join now" }));

    expect(await screen.findByText("In the room as Ada")).toBeInTheDocument();
    expect(await seen.find((r) => path(r) === JOIN)!.json()).toEqual({ display_name: "", passcode: "" });
  });

  it("shows the server's message on 404 and lets the user check the passcode", async () => {
    installFakeMedia();
    mockFetch((request) => {
      if (path(request).endsWith("/auth/session")) return anonymous();
      if (path(request) === JOIN) return UNAVAILABLE;
    });
    renderApp(`/m/${CODE}#p=wrong`);
    const user = userEvent.setup();

    await user.type(await screen.findByRole("textbox", { name: "Your name" }), "Grace{Enter}");

    expect(await screen.findByRole("alert")).toHaveTextContent(UNAVAILABLE.body.message);
    expect(screen.getByRole("textbox", { name: "Passcode" })).toHaveValue("wrong");
    expect(room.props).toBeNull();
  });

  it("shows a guest's name error from the server under the field", async () => {
    installFakeMedia();
    mockFetch((request) => {
      if (path(request).endsWith("/auth/session")) return anonymous();
      if (path(request) === JOIN) return { status: 400, body: { code: "invalid_input", message: "Too long.", detail: [{ loc: ["display_name"], msg: "Give a shorter name." }] } };
    });
    renderApp(`/m/${CODE}`);
    const user = userEvent.setup();

    await user.type(await screen.findByRole("textbox", { name: "Your name" }), "Grace{Enter}");

    expect(await screen.findByText("Give a shorter name.")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Your name" })).toHaveAttribute("aria-invalid", "true");
  });

  it("says when the camera and microphone are blocked, and still joins without them", async () => {
    installFakeMedia({ refuse: "NotAllowedError" });
    mockFetch((request) => {
      if (path(request).endsWith("/auth/session")) return authenticated();
      if (path(request) === JOIN) return joined("Ada");
    });
    renderApp(`/m/${CODE}`);
    const user = userEvent.setup();

    expect(await screen.findByText(/Camera and microphone are blocked/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Turn on camera" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Join now" }));

    await waitFor(() => expect(room.props).not.toBeNull());
    expect(room.props!.localStream.getTracks()).toEqual([]);
    expect(room.props).toMatchObject({ initialAudioOn: false, initialVideoOn: false });
  });
});
