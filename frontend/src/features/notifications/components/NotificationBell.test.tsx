import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../../../test/mediaFakes";
import { renderApp } from "../../../test/renderApp";
import { mockFetch } from "../../../test/server";
import { installFakePush, uninstallFakePush } from "../testing/fakePush";
import { notification, signedIn } from "../testing/fixtures";

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.stubGlobal("WebSocket", FakeWebSocket);
});
afterEach(() => {
  vi.unstubAllGlobals();
  uninstallFakePush();
});

// The whole signed-in app renders first: allow more than findBy's 1 s on a busy machine. `hidden`:
// while the centre is open, the rest of the page is hidden from assistive technology.
const bell = (name: string) => screen.findByRole("button", { name, hidden: true }, { timeout: 5_000 });

describe("notification bell", () => {
  it("shows the unread count and raises it when a notification arrives on /ws/me/", async () => {
    mockFetch(signedIn(() => undefined, () => 2));
    renderApp("/meetings");

    expect(await bell("Notifications, 2 unread")).toBeInTheDocument();
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const socket = FakeWebSocket.latest();
    expect(socket.url).toBe(`ws://${location.host}/ws/me/`);
    socket.open();
    socket.receive({ type: "hello", user_id: "1" });
    socket.receive({ type: "notification", notification: notification(3), unread: 3 });

    expect(await bell("Notifications, 3 unread")).toBeInTheDocument();
  });

  it("lists notifications newest first; opening one marks it read and follows its link", async () => {
    let unread = 1;
    const seen = mockFetch(
      signedIn((request, url) => {
        if (url.pathname === "/api/v1/notifications")
          return { status: 200, body: { items: [notification(2), notification(1, true)], count: 2 } };
        if (url.pathname === "/api/v1/notifications/n2/read" && request.method === "POST") {
          unread = 0;
          return { status: 204 };
        }
      }, () => unread),
    );
    const router = renderApp("/meetings");
    const user = userEvent.setup();

    await user.click(await bell("Notifications, 1 unread"));
    const centre = screen.getByRole("dialog", { name: "Notifications" });
    const list = await within(centre).findByRole("list", { name: "Notifications list" });
    const items = within(list).getAllByRole("button");
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringMatching(/^Notification 2Body 2.*· Unread$/),
      expect.not.stringContaining("Unread"),
    ]);

    await user.click(items[0]);

    await waitFor(() => expect(router.state.location.search).toBe("?from=n2"));
    expect(seen.filter((r) => r.method === "POST").map((r) => new URL(r.url).pathname)).toEqual(["/api/v1/notifications/n2/read"]);
    expect(await bell("Notifications")).toBeInTheDocument();
  });

  it("marks all read", async () => {
    let unread = 2;
    const seen = mockFetch(
      signedIn((request, url) => {
        if (url.pathname === "/api/v1/notifications")
          return { status: 200, body: { items: [notification(2), notification(1)], count: 2 } };
        if (url.pathname === "/api/v1/notifications/read-all" && request.method === "POST") {
          unread = 0;
          return { status: 204 };
        }
      }, () => unread),
    );
    renderApp("/meetings");
    const user = userEvent.setup();

    await user.click(await bell("Notifications, 2 unread"));
    await user.click(await screen.findByRole("button", { name: "Mark all read" }));

    expect(await bell("Notifications")).toBeInTheDocument();
    expect(seen.filter((r) => r.method === "POST").map((r) => new URL(r.url).pathname)).toEqual(["/api/v1/notifications/read-all"]);
    expect(screen.getByRole("button", { name: "Mark all read" })).toBeDisabled();
  });

  it("says so when there is nothing yet", async () => {
    mockFetch(signedIn(() => undefined));
    renderApp("/meetings");
    await userEvent.setup().click(await bell("Notifications"));
    expect(await screen.findByText("No notifications yet")).toBeInTheDocument();
  });

  it("pages with 'Load more'", { timeout: 30_000 }, async () => {
    const seen = mockFetch(
      signedIn((_, url) => {
        if (url.pathname !== "/api/v1/notifications") return undefined;
        const offset = Number(url.searchParams.get("offset"));
        const items = offset === 0 ? Array.from({ length: 50 }, (_, n) => notification(100 - n, true)) : [notification(1, true)];
        return { status: 200, body: { items, count: 51 } };
      }),
    );
    renderApp("/meetings");
    const user = userEvent.setup();
    await user.click(await bell("Notifications"));
    await user.click(await screen.findByRole("button", { name: "Load more" }));
    expect(await screen.findByText("Notification 1")).toBeInTheDocument();
    expect(seen.filter((r) => new URL(r.url).pathname === "/api/v1/notifications").map((r) => new URL(r.url).search)).toEqual([
      "?limit=50&offset=0",
      "?limit=50&offset=50",
    ]);
  });

  it("on load, re-posts the push subscription this browser already has, for whoever is signed in now", async () => {
    installFakePush("granted", { subscribed: true });
    const seen = mockFetch(
      signedIn((_, url) => (url.pathname === "/api/v1/notifications/push/subscriptions" ? { status: 204 } : undefined)),
    );
    renderApp("/meetings");
    await bell("Notifications");
    await waitFor(() =>
      expect(seen.filter((r) => r.method === "POST").map((r) => new URL(r.url).pathname)).toEqual(["/api/v1/notifications/push/subscriptions"]),
    );
  });
});
