import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../../test/server";
import type { ChatFiles } from "../chatFiles";
import { installFakeXhr } from "../testing/fakeXhr";
import { chatMessage, participant } from "../testing/fixtures";
import type { Attachment, ChatMessage } from "../types";
import { ChatPanel } from "./ChatPanel";

afterEach(() => vi.unstubAllGlobals());

const AUTH = { code: "abcd-efgh-jkmn", token: "tok-1" };
const FILES = "/api/v1/meetings/abcd-efgh-jkmn/files";
const pdf: Attachment = { id: "f1", name: "Agenda.pdf", size_bytes: 150_000, mime_type: "application/pdf", is_image: false };
const png: Attachment = { id: "f2", name: "chart.png", size_bytes: 2048, mime_type: "image/png", is_image: true };
const fileMessage = (id: string, attachment: Attachment, overrides: Partial<ChatMessage> = {}) =>
  chatMessage(id, { type: "file", text: "", attachments: [attachment], ...overrides });
const signed = (fileId: string) => ({ url: `http://localhost/api/v1/files/signed/${fileId}-token`, expires_at: "2099-01-01T00:00:00Z" });

function withQueries(children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

function renderChat(messages: ChatMessage[], files: ChatFiles = { auth: AUTH, canRemove: false }) {
  const panel = (shown: ChatMessage[]) =>
    withQueries(
      <ChatPanel
        meId="me"
        others={[participant("bo", { display_name: "Bo" })]}
        messages={shown}
        pending={[]}
        canSend
        onSend={() => undefined}
        onRetry={() => undefined}
        onDiscard={() => undefined}
        onClose={() => undefined}
        files={files}
      />,
    );
  const { rerender } = render(panel(messages));
  return { user: userEvent.setup(), setMessages: (shown: ChatMessage[]) => rerender(panel(shown)) };
}

/** Answers link requests for any file (and `more` for the rest); returns the requests seen. */
function server(more: (request: Request, path: string) => { status: number; body?: unknown } | undefined = () => undefined) {
  return mockFetch((request) => {
    const path = new URL(request.url).pathname;
    const link = path.match(/^\/api\/v1\/meetings\/abcd-efgh-jkmn\/files\/([^/]+)\/link$/);
    if (link && request.method === "POST") return { status: 200, body: signed(link[1]) };
    return more(request, path);
  });
}

describe("files in the chat", () => {
  it("shows a file's name and size with a download that asks for a link and saves through it", async () => {
    const seen = server();
    const saved: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ href: this.href, download: this.download });
    });
    const { user } = renderChat([fileMessage("m1", pdf)]);
    const list = screen.getByRole("list", { name: "Chat messages" });
    expect(within(list).getByText("Agenda.pdf")).toBeInTheDocument();
    expect(within(list).getByText("146 KB")).toBeInTheDocument();
    expect(within(list).queryByRole("img")).toBeNull(); // not an image: no preview
    expect(seen).toHaveLength(0); // no link until one is wanted

    await user.click(screen.getByRole("button", { name: "Download Agenda.pdf" }));
    await waitFor(() => expect(saved).toEqual([{ href: `${signed("f1").url}?download=1`, download: "Agenda.pdf" }]));
    expect(seen.map((request) => [request.method, new URL(request.url).pathname, request.headers.get("X-Participant-Token")])).toEqual([
      ["POST", `${FILES}/f1/link`, "tok-1"],
    ]);
    expect(document.querySelector("a[download]")).toBeNull(); // the anchor was only for the click
  });

  it("previews an image through a link, named by the file", async () => {
    server();
    renderChat([fileMessage("m1", png)]);
    const preview = await screen.findByRole("img", { name: "chart.png" });
    expect(preview).toHaveAttribute("src", signed("f2").url);
  });

  it("lets hosts remove a file after asking; others get no such button", async () => {
    const removed: string[] = [];
    server((request, path) => {
      if (request.method === "DELETE" && path === `${FILES}/f1`) {
        removed.push(request.headers.get("X-Participant-Token") ?? "");
        return { status: 204 };
      }
      return undefined;
    });
    const { user, setMessages } = renderChat([fileMessage("m1", pdf)], { auth: AUTH, canRemove: true });
    await user.click(screen.getByRole("button", { name: "Remove Agenda.pdf" }));
    let dialog = screen.getByRole("dialog", { name: "Remove file?" });
    await user.click(within(dialog).getByRole("button", { name: "Keep file" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Remove file?" })).toBeNull());
    expect(removed).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Remove Agenda.pdf" }));
    dialog = screen.getByRole("dialog", { name: "Remove file?" });
    await user.click(within(dialog).getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Remove file?" })).toBeNull());
    expect(removed).toEqual(["tok-1"]);

    // The server's chat.updated: the message stays, its file goes.
    setMessages([fileMessage("m1", pdf, { text: "File removed by the host", attachments: [] })]);
    const list = screen.getByRole("list", { name: "Chat messages" });
    expect(within(list).getByText("File removed by the host")).toBeInTheDocument();
    expect(within(list).queryByText("Agenda.pdf")).toBeNull();
  });

  it("shows why a removal failed, in the dialog", async () => {
    server((request) =>
      request.method === "DELETE" ? { status: 403, body: { code: "permission_denied", message: "Only the host and co-hosts can do that.", detail: null } } : undefined,
    );
    const { user } = renderChat([fileMessage("m1", pdf)], { auth: AUTH, canRemove: true });
    await user.click(screen.getByRole("button", { name: "Remove Agenda.pdf" }));
    await user.click(within(screen.getByRole("dialog", { name: "Remove file?" })).getByRole("button", { name: "Remove" }));
    expect(await within(screen.getByRole("dialog", { name: "Remove file?" })).findByRole("alert")).toHaveTextContent("Only the host and co-hosts can do that.");
  });

  it("offers no removal to participants, and waits for the token to download", () => {
    renderChat([fileMessage("m1", pdf)], { auth: null, canRemove: false });
    expect(screen.queryByRole("button", { name: "Remove Agenda.pdf" })).toBeNull();
    expect(screen.getByRole("button", { name: "Download Agenda.pdf" })).toBeDisabled();
  });

  it("puts the attach button in the composer, sending privately to the chosen person", async () => {
    const Xhr = installFakeXhr();
    const { user } = renderChat([]);
    await user.click(screen.getByRole("combobox", { name: "To" }));
    await user.click(await screen.findByRole("option", { name: "Bo" }));
    await user.upload(document.querySelector<HTMLInputElement>('input[type="file"]') as HTMLInputElement, new File(["a"], "a.txt"));
    expect(Xhr.sent.map((xhr) => [xhr.url, xhr.body?.get("to")])).toEqual([[FILES, "bo"]]);
    expect(screen.getByRole("progressbar", { name: "Uploading a.txt" })).toBeInTheDocument();
  });
});
