import type { Middleware } from "openapi-fetch";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/** Reads a cookie set by the server (Django sets `csrftoken` when it serves the app). */
export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

/** Adds Django's CSRF header to every unsafe request (the session cookie authenticates us). */
export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (SAFE_METHODS.has(request.method.toUpperCase())) return undefined;
    const token = readCookie("csrftoken");
    if (token) request.headers.set("X-CSRFToken", token);
    return request;
  },
};
