import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import { mockFetch } from "../../test/server";
import { chatFileLink, fileSize, removeChatFile, UploadCancelled, uploadChatFile } from "./chatFiles";
import { initialRoomState, roomReducer } from "./roomState";
import { chatMessage, participant, roomJoin, welcomeExtras } from "./testing/fixtures";
import { installFakeXhr } from "./testing/fakeXhr";

afterEach(() => vi.unstubAllGlobals());

const AUTH = { code: "abcd-efgh-jkmn", token: "tok-1" };
const pdf = () => new File(["%PDF-1.4 hello"], "Agenda.pdf", { type: "application/pdf" });
const fileMessage = chatMessage("m1", {
  type: "file",
  text: "",
  attachments: [{ id: "f1", name: "Agenda.pdf", size_bytes: 14, mime_type: "application/pdf", is_image: false }],
});

describe("uploading a file", () => {
  it("posts it as multipart with the participant token, reports progress, resolves with the message", async () => {
    const Xhr = installFakeXhr();
    const progress: number[] = [];
    const upload = uploadChatFile({ ...AUTH, file: pdf(), to: "bo", onProgress: (sent) => progress.push(sent) });
    const [xhr] = Xhr.sent;
    expect([xhr.method, xhr.url, xhr.headers]).toEqual(["POST", "/api/v1/meetings/abcd-efgh-jkmn/files", { "X-Participant-Token": "tok-1" }]);
    expect((xhr.body?.get("file") as File).name).toBe("Agenda.pdf");
    expect(xhr.body?.get("to")).toBe("bo");

    xhr.progress(5, 20);
    xhr.progress(20, 20);
    xhr.respond(201, { message: fileMessage });
    await expect(upload.done).resolves.toEqual(fileMessage);
    expect(progress).toEqual([0.25, 1]);
  });

  it("sends no `to` for everyone", () => {
    const Xhr = installFakeXhr();
    uploadChatFile({ ...AUTH, file: pdf(), to: null, onProgress: () => undefined });
    expect(Xhr.sent[0].body?.has("to")).toBe(false);
  });

  it("rejects with the server's refusal, a cancellation, or a network error", async () => {
    const Xhr = installFakeXhr();
    const refusal = { code: "file_content_mismatch", message: "This file's content is not what a .pdf file holds.", detail: null };
    const refused = uploadChatFile({ ...AUTH, file: pdf(), to: null, onProgress: () => undefined });
    Xhr.sent[0].respond(400, refusal);
    await expect(refused.done).rejects.toEqual(new ApiError(400, refusal));

    const cancelled = uploadChatFile({ ...AUTH, file: pdf(), to: null, onProgress: () => undefined });
    cancelled.cancel();
    expect(Xhr.sent[1].aborted).toBe(true);
    await expect(cancelled.done).rejects.toBeInstanceOf(UploadCancelled);

    const offline = uploadChatFile({ ...AUTH, file: pdf(), to: null, onProgress: () => undefined });
    Xhr.sent[2].fail();
    await expect(offline.done).rejects.toThrow("Cannot reach the server");
  });
});

describe("links and removal", () => {
  it("ask with the participant token", async () => {
    const seen = mockFetch((request) => {
      const { pathname } = new URL(request.url);
      if (pathname === "/api/v1/meetings/abcd-efgh-jkmn/files/f1/link" && request.method === "POST") {
        return { status: 200, body: { url: "http://localhost/api/v1/files/signed/t", expires_at: "2030-01-01T00:00:00Z" } };
      }
      if (pathname === "/api/v1/meetings/abcd-efgh-jkmn/files/f1" && request.method === "DELETE") return { status: 204 };
      return undefined;
    });
    await expect(chatFileLink(AUTH, "f1")).resolves.toEqual({ url: "http://localhost/api/v1/files/signed/t", expires_at: "2030-01-01T00:00:00Z" });
    await expect(removeChatFile(AUTH, "f1")).resolves.toBeUndefined();
    expect(seen.map((request) => request.headers.get("X-Participant-Token"))).toEqual(["tok-1", "tok-1"]);
  });
});

describe("the room's state", () => {
  it("keeps the welcome's participant token and takes a changed message in place", () => {
    let state = initialRoomState(roomJoin());
    expect(state.participantToken).toBeNull();
    state = roomReducer(state, {
      type: "welcome",
      participant_id: "me",
      role: "participant",
      status: "joined",
      seq: 1,
      reconnect_ticket: "r",
      meeting: { code: "abcd-efgh-jkmn", title: "Standup", is_locked: false, host_participant_id: null },
      roster: [participant("me"), participant("bo")],
      chat: [fileMessage, chatMessage("m2")],
      ...welcomeExtras(),
    });
    expect(state.participantToken).toBe("participant-token");

    const removed = { ...fileMessage, text: "File removed by the host", attachments: [] };
    state = roomReducer(state, { type: "chat.updated", seq: 2, message: removed });
    expect(state.chat.map((message) => [message.id, message.text, message.attachments.length])).toEqual([
      ["m1", "File removed by the host", 0],
      ["m2", "hello m2", 0],
    ]);
  });
});

describe("file sizes", () => {
  it("read like people write them", () => {
    expect([0, 900, 1536, 10 * 1024, 25 * 1024 * 1024, 3 * 1024 ** 3].map(fileSize)).toEqual([
      "0 bytes",
      "900 bytes",
      "1.5 KB",
      "10 KB",
      "25 MB",
      "3.0 GB",
    ]);
  });
});
