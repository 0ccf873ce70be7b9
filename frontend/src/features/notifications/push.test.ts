import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../test/server";
import { applicationServerKey, disablePush, enablePush, forgetPushOnSignOut, PushError, pushState } from "./push";
import { installFakePush, uninstallFakePush } from "./testing/fakePush";

// The server's VAPID public key (urlsafe base64, no padding) and the bytes it stands for.
const PUBLIC_KEY = "BPz-_w";
const KEY_BYTES = [0x04, 0xfc, 0xfe, 0xff];

function pushServer(subscriptions = 204) {
  return mockFetch((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/notifications/push/key") return { status: 200, body: { public_key: PUBLIC_KEY } };
    if (path.startsWith("/api/v1/notifications/push/subscriptions")) return { status: subscriptions };
  });
}

const posts = async (seen: Request[]) =>
  Promise.all(seen.filter((r) => r.method === "POST").map(async (r) => [new URL(r.url).pathname, await r.json()]));

beforeEach(() => {
  document.cookie = "csrftoken=tok";
});
afterEach(() => {
  vi.unstubAllGlobals();
  uninstallFakePush();
});

describe("web push", () => {
  it("decodes the urlsafe base64 server key", () => {
    expect(Array.from(applicationServerKey(PUBLIC_KEY))).toEqual(KEY_BYTES);
  });

  it("asks permission, registers /sw.js, subscribes with the server key and posts the subscription", async () => {
    const fake = installFakePush();
    const seen = pushServer();

    await enablePush();

    expect(fake.requestPermission).toHaveBeenCalledTimes(1);
    expect(fake.serviceWorker.register).toHaveBeenCalledWith("/sw.js");
    expect(fake.pushManager.subscribe).toHaveBeenCalledTimes(1);
    const options = fake.pushManager.subscribe.mock.calls[0][0];
    expect(options.userVisibleOnly).toBe(true);
    expect(Array.from(options.applicationServerKey as Uint8Array)).toEqual(KEY_BYTES);
    expect(await posts(seen)).toEqual([
      ["/api/v1/notifications/push/subscriptions", { endpoint: "https://push.example/abc", keys: { p256dh: "p-key", auth: "a-key" } }],
    ]);
    expect(seen.find((r) => r.method === "POST")!.headers.get("X-CSRFToken")).toBe("tok");
    expect(await pushState()).toBe("on");
  });

  it("stops, subscribing nothing and telling the server nothing, when permission is refused", async () => {
    const fake = installFakePush("denied");
    const seen = pushServer();

    await expect(enablePush()).rejects.toBeInstanceOf(PushError);

    expect(fake.serviceWorker.register).not.toHaveBeenCalled();
    expect(fake.pushManager.subscribe).not.toHaveBeenCalled();
    expect(seen).toEqual([]);
  });

  it("disables: the server forgets the endpoint and the browser unsubscribes", async () => {
    const fake = installFakePush();
    const seen = pushServer();
    await enablePush();
    seen.length = 0;

    await disablePush();

    expect(await posts(seen)).toEqual([["/api/v1/notifications/push/subscriptions/delete", { endpoint: "https://push.example/abc" }]]);
    expect(fake.unsubscribe).toHaveBeenCalledTimes(1);
    expect(await pushState()).toBe("off");
  });

  it("re-posts a subscription the browser already has, so it is the signed-in user's, and says on once the server took it", async () => {
    installFakePush("granted", { subscribed: true });
    const seen = pushServer();

    expect(await pushState()).toBe("on");

    expect(await posts(seen)).toEqual([
      ["/api/v1/notifications/push/subscriptions", { endpoint: "https://push.example/abc", keys: { p256dh: "p-key", auth: "a-key" } }],
    ]);
  });

  it("does not claim on when the server refuses the subscription", async () => {
    installFakePush("granted", { subscribed: true });
    pushServer(422);
    await expect(pushState()).rejects.toBeDefined();
  });

  it("posts nothing without a subscription or without permission", async () => {
    installFakePush("granted");
    const seen = pushServer();
    expect(await pushState()).toBe("off");
    installFakePush("default", { subscribed: true });
    expect(await pushState()).toBe("off");
    expect(seen).toEqual([]);
  });

  it("on sign-out, the server forgets this browser's subscription and the browser drops it", async () => {
    const fake = installFakePush("granted", { subscribed: true });
    const seen = pushServer();

    await forgetPushOnSignOut();

    expect(await posts(seen)).toEqual([["/api/v1/notifications/push/subscriptions/delete", { endpoint: "https://push.example/abc" }]]);
    expect(fake.unsubscribe).toHaveBeenCalledTimes(1);
  });

  it("on sign-out, still drops the browser's subscription when the server cannot be told, and never throws", async () => {
    const fake = installFakePush("granted", { subscribed: true });
    pushServer(500);
    await expect(forgetPushOnSignOut()).resolves.toBeUndefined();
    expect(fake.unsubscribe).toHaveBeenCalledTimes(1);

    installFakePush("granted", { subscribed: true }).unsubscribe.mockRejectedValueOnce(new Error("gone"));
    await expect(forgetPushOnSignOut()).resolves.toBeUndefined();
  });

  it("reports a browser without push", async () => {
    expect(await pushState()).toBe("unsupported");
  });
});
