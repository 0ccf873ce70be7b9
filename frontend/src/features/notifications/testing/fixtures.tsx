import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router";
import { authenticated } from "../../../test/server";
import type { Notification, Preferences } from "../api";

export const notification = (n: number, read = false): Notification => ({
  id: `n${n}`,
  event: "meeting_invitation",
  title: `Notification ${n}`,
  body: `Body ${n}`,
  url: `${location.origin}/meetings?from=n${n}`,
  created_at: new Date(Date.UTC(2030, 0, 1, 9, n)).toISOString(),
  read_at: read ? "2030-01-02T00:00:00Z" : null,
});

export const preferences = (): Preferences => ({
  reminder_minutes: 10,
  events: [
    { event: "invitation", label: "Meeting invitation", channels: { email: true, sms: false, push: false, inapp: true } },
    { event: "meeting_reminder", label: "Meeting reminder", channels: { email: true, sms: false, push: true, inapp: true } },
  ],
});

type Reply = { status: number; body?: unknown };

/** The signed-in session, and the bell's count and list unless `handler` answers first. */
export function signedIn(handler: (request: Request, url: URL) => Reply | undefined, unread = () => 0) {
  return (request: Request): Reply | undefined => {
    const url = new URL(request.url);
    const reply = handler(request, url);
    if (reply) return reply;
    if (url.pathname === "/_allauth/browser/v1/auth/session") return authenticated();
    if (url.pathname === "/api/v1/notifications/unread-count") return { status: 200, body: { count: unread() } };
    if (url.pathname === "/api/v1/notifications") return { status: 200, body: { items: [], count: 0 } };
    if (url.pathname === "/api/v1/me") return { status: 200, body: { timezone: "UTC" } };
    if (url.pathname.startsWith("/api/v1/meetings")) return { status: 200, body: { items: [], count: 0 } };
    return undefined;
  };
}

/** Renders one part of a page with a fresh cache (the whole app is slow to query on a busy machine). */
export function renderWithQuery(ui: ReactElement) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter>{ui}</MemoryRouter>
    </QueryClientProvider>,
  );
}
