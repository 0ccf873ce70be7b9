// Files in the meeting chat (docs/meetings.md "Files in chat"): every call carries the session's
// participant token (guests have no account), never the session cookie's CSRF dance.
import { api } from "../../api/clients";
import { ApiError, unwrap } from "../../api/errors";
import type { ChatMessage } from "./types";

const TOKEN_HEADER = "X-Participant-Token";

/** Who is asking, inside which meeting. */
export interface ChatFilesAuth {
  code: string;
  token: string;
}

/** What the chat needs to offer files: who we are to the server (null until the welcome came) and
 * whether we may remove files (hosts and co-hosts). */
export interface ChatFiles {
  auth: ChatFilesAuth | null;
  canRemove: boolean;
}

export interface ChatFileLink {
  url: string;
  expires_at: string;
}

/** The upload was cancelled (Cancel upload): no message was posted. */
export class UploadCancelled extends Error {
  constructor() {
    super("Upload cancelled");
    this.name = "UploadCancelled";
  }
}

export interface Upload {
  /** The posted file message, or ApiError (the server's refusal), UploadCancelled, or a network Error. */
  done: Promise<ChatMessage>;
  cancel: () => void;
}

interface UploadOptions extends ChatFilesAuth {
  file: File;
  /** A private message to this participant; null: everyone in my room. */
  to: string | null;
  /** Fractions 0..1 of the body sent so far. */
  onProgress: (sent: number) => void;
}

/** Sends a file with XMLHttpRequest (fetch reports no upload progress). */
export function uploadChatFile({ code, token, file, to, onProgress }: UploadOptions): Upload {
  const xhr = new XMLHttpRequest();
  const form = new FormData();
  form.append("file", file, file.name);
  if (to) form.append("to", to);
  const done = new Promise<ChatMessage>((resolve, reject) => {
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON (a proxy's error page): the status says enough
      }
      if (xhr.status === 201 && body && typeof body === "object" && "message" in body) {
        resolve((body as { message: ChatMessage }).message);
      } else {
        reject(new ApiError(xhr.status, body));
      }
    };
    xhr.onerror = () => reject(new Error("Cannot reach the server"));
    xhr.onabort = () => reject(new UploadCancelled());
  });
  xhr.open("POST", `/api/v1/meetings/${encodeURIComponent(code)}/files`);
  xhr.setRequestHeader(TOKEN_HEADER, token);
  xhr.send(form);
  return { done, cancel: () => xhr.abort() };
}

const byFile = ({ code, token }: ChatFilesAuth, fileId: string) => ({
  params: { path: { code, file_id: fileId } },
  headers: { [TOKEN_HEADER]: token },
});

/** A signed link to open the file (images and PDFs show inline), valid for a few minutes. */
export const chatFileLink = (auth: ChatFilesAuth, fileId: string): Promise<ChatFileLink> =>
  unwrap(api.POST("/api/v1/meetings/{code}/files/{file_id}/link", byFile(auth, fileId)));

/** Hosts and co-hosts: the file goes; its message says "File removed by the host". */
export const removeChatFile = (auth: ChatFilesAuth, fileId: string): Promise<void> =>
  unwrap(api.DELETE("/api/v1/meetings/{code}/files/{file_id}", byFile(auth, fileId))).then(() => undefined);

/** The link made to download (it would open images and PDFs in the browser otherwise). */
export function downloadUrl(url: string): string {
  const link = new URL(url, window.location.origin);
  link.searchParams.set("download", "1");
  return link.toString();
}

/** Saves the file through a link; never navigates (leaving the page would leave the meeting). */
export function saveFile(url: string, name: string): void {
  const anchor = document.createElement("a");
  anchor.href = downloadUrl(url);
  anchor.download = name;
  anchor.rel = "noopener";
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

const UNITS = ["bytes", "KB", "MB", "GB"];

/** 1536 -> "1.5 KB". */
export function fileSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}
