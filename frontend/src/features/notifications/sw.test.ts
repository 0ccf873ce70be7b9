import { describe, expect, it, vi } from "vitest";
import source from "../../../public/sw.js?raw";

type Listener = (event: unknown) => void;

/** Runs public/sw.js against a fake worker scope; returns its listeners and what it fetched. */
function loadWorker({ cookieStore }: { cookieStore?: { get: (name: string) => Promise<{ value: string } | null> } } = {}) {
  const listeners = new Map<string, Listener>();
  const fresh = {
    endpoint: "https://push.example/new",
    toJSON: () => ({ endpoint: "https://push.example/new", keys: { p256dh: "p-new", auth: "a-new" } }),
  };
  const subscribe = vi.fn(async () => fresh);
  const self = {
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    registration: { pushManager: { subscribe } },
    cookieStore,
    location: { origin: "https://meet.example" },
  };
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    void init;
    if (url === "/api/v1/notifications/push/key") return new Response(JSON.stringify({ public_key: "BPz-_w" }));
    return new Response(null, { status: 204 });
  });
  new Function("self", "fetch", source)(self, fetch);
  return { listeners, subscribe, fetch };
}

async function change(listeners: Map<string, Listener>, event: object) {
  let done: Promise<unknown> = Promise.resolve();
  listeners.get("pushsubscriptionchange")!({ ...event, waitUntil: (p: Promise<unknown>) => (done = p) });
  await done;
}

const oldSubscription = { endpoint: "https://push.example/old", options: { applicationServerKey: new Uint8Array([4, 252]).buffer } };

describe("service worker: pushsubscriptionchange", () => {
  it("subscribes again with the old server key and posts the new endpoint with the CSRF token", async () => {
    const worker = loadWorker({ cookieStore: { get: async () => ({ value: "tok" }) } });

    await change(worker.listeners, { oldSubscription });

    expect(worker.subscribe).toHaveBeenCalledWith({ userVisibleOnly: true, applicationServerKey: oldSubscription.options.applicationServerKey });
    const posts = worker.fetch.mock.calls.map(([url, init]) => [url, init?.method, JSON.parse(String(init?.body)), init?.credentials, new Headers(init?.headers).get("X-CSRFToken")]);
    expect(posts).toEqual([
      ["/api/v1/notifications/push/subscriptions", "POST", { endpoint: "https://push.example/new", keys: { p256dh: "p-new", auth: "a-new" } }, "same-origin", "tok"],
      ["/api/v1/notifications/push/subscriptions/delete", "POST", { endpoint: "https://push.example/old" }, "same-origin", "tok"],
    ]);
  });

  it("asks the server for its key when the old subscription does not say", async () => {
    const worker = loadWorker({ cookieStore: { get: async () => ({ value: "tok" }) } });
    await change(worker.listeners, {});
    expect(Array.from((worker.subscribe.mock.calls[0] as unknown as [{ applicationServerKey: Uint8Array }])[0].applicationServerKey)).toEqual([0x04, 0xfc, 0xfe, 0xff]);
    expect(worker.fetch.mock.calls.map(([url]) => url)).toEqual(["/api/v1/notifications/push/key", "/api/v1/notifications/push/subscriptions"]);
  });

  it("without a CSRF token it can send, leaves the post to the next page load", async () => {
    const worker = loadWorker();
    await change(worker.listeners, { oldSubscription });
    expect(worker.subscribe).toHaveBeenCalledTimes(1);
    expect(worker.fetch).not.toHaveBeenCalled();
  });
});
