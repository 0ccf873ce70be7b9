import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../test/server";
import { applicationServerKey, disablePush, enablePush, PushError, pushState } from "./push";

// The server's VAPID public key (urlsafe base64, no padding) and the bytes it stands for.
const PUBLIC_KEY = "BPz-_w";
const KEY_BYTES = [0x04, 0xfc, 0xfe, 0xff];

/** A test double of the browser's Push API: one registration, whose subscription the test inspects. */
function installFakePush(permission: NotificationPermission = "granted") {
  let subscription: PushSubscription | null = null;
  const unsubscribe = vi.fn(async () => {
    subscription = null;
    return true;
  });
  const pushManager = {
    getSubscription: vi.fn(async () => subscription),
    subscribe: vi.fn(async (options: PushSubscriptionOptionsInit) => {
      subscription = {
        endpoint: "https://push.example/abc",
        options: { applicationServerKey: (options.applicationServerKey as Uint8Array).buffer, userVisibleOnly: true },
        toJSON: () => ({ endpoint: "https://push.example/abc", keys: { p256dh: "p-key", auth: "a-key" } }),
        unsubscribe,
      } as unknown as PushSubscription;
      return subscription;
    }),
  };
  const registration = { pushManager };
  const serviceWorker = {
    register: vi.fn(async () => registration),
    ready: Promise.resolve(registration),
    getRegistration: vi.fn(async () => registration),
  };
  const requestPermission = vi.fn(async () => permission);
  Object.defineProperty(navigator, "serviceWorker", { value: serviceWorker, configurable: true });
  vi.stubGlobal("PushManager", function PushManager() {});
  vi.stubGlobal("Notification", { permission: "default", requestPermission });
  return { serviceWorker, pushManager, requestPermission, unsubscribe };
}

function pushServer() {
  return mockFetch((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/notifications/push/key") return { status: 200, body: { public_key: PUBLIC_KEY } };
    if (path.startsWith("/api/v1/notifications/push/subscriptions")) return { status: 204 };
  });
}

const posts = async (seen: Request[]) =>
  Promise.all(seen.filter((r) => r.method === "POST").map(async (r) => [new URL(r.url).pathname, await r.json()]));

beforeEach(() => {
  document.cookie = "csrftoken=tok";
});
afterEach(() => {
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, "serviceWorker");
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

  it("reports a browser without push", async () => {
    expect(await pushState()).toBe("unsupported");
  });
});
