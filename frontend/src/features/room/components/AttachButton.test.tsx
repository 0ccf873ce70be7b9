import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChatFiles } from "../chatFiles";
import { installFakeXhr } from "../testing/fakeXhr";
import { chatMessage } from "../testing/fixtures";
import { AttachButton } from "./AttachButton";

afterEach(() => vi.unstubAllGlobals());

const FILES: ChatFiles = { auth: { code: "abcd-efgh-jkmn", token: "tok-1" }, canRemove: false };
const report = () => new File(["x".repeat(100)], "report.pdf", { type: "application/pdf" });

function renderButton(props: Partial<Parameters<typeof AttachButton>[0]> = {}) {
  render(<AttachButton files={FILES} to={null} disabled={false} {...props} />);
  return userEvent.setup();
}

/** What the hidden file input gets when someone picks `file` in the dialog "Attach file" opens. */
async function pick(user: ReturnType<typeof userEvent.setup>, file: File) {
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error("no file input");
  const opened = vi.spyOn(input, "click");
  opened.mockClear();
  await user.click(screen.getByRole("button", { name: "Attach file" }));
  expect(opened).toHaveBeenCalledOnce();
  await user.upload(input, file);
}

describe("attach file", () => {
  it("is a button reached from the keyboard that opens the file picker", async () => {
    const user = renderButton();
    const input = document.querySelector<HTMLInputElement>('input[type="file"]');
    const opened = vi.spyOn(input as HTMLInputElement, "click");
    await user.tab();
    expect(screen.getByRole("button", { name: "Attach file" })).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(opened).toHaveBeenCalledOnce();
    expect(input).not.toBeVisible();
  });

  it("shows the upload's progress until the server has the file", async () => {
    const Xhr = installFakeXhr();
    const user = renderButton({ to: "bo" });
    await pick(user, report());
    const [xhr] = Xhr.sent;
    expect(xhr.body?.get("to")).toBe("bo");

    const bar = screen.getByRole("progressbar", { name: "Uploading report.pdf" });
    expect(bar).toHaveAttribute("aria-valuenow", "0");
    expect(screen.getByRole("button", { name: "Attach file" })).toBeDisabled();
    act(() => xhr.progress(40, 100));
    expect(bar).toHaveAttribute("aria-valuenow", "40");

    await act(async () => xhr.respond(201, { message: chatMessage("m1", { type: "file" }) }));
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByRole("button", { name: "Attach file" })).toBeEnabled();
  });

  it("cancels an upload", async () => {
    const Xhr = installFakeXhr();
    const user = renderButton();
    await pick(user, report());
    await user.click(screen.getByRole("button", { name: "Cancel upload" }));
    expect(Xhr.sent[0].aborted).toBe(true);
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows the server's refusal under the composer, until the next try", async () => {
    const Xhr = installFakeXhr();
    const user = renderButton();
    await pick(user, report());
    const refusal = "This file is too large: files can be at most 25 MB.";
    await act(async () => Xhr.sent[0].respond(400, { code: "file_too_large", message: refusal, detail: null }));
    expect(screen.getByRole("alert")).toHaveTextContent(refusal);

    await pick(user, report());
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("waits while sending is not possible", () => {
    renderButton({ disabled: true });
    expect(screen.getByRole("button", { name: "Attach file" })).toBeDisabled();
  });

  it("waits for the participant token", () => {
    renderButton({ files: { auth: null, canRemove: false } });
    expect(screen.getByRole("button", { name: "Attach file" })).toBeDisabled();
  });
});
