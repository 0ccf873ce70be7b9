import { vi } from "vitest";

/**
 * A test double of the browser's Push API: one registration, whose subscription the test inspects.
 * `subscribed` starts with a subscription the browser already has (made on an earlier visit).
 */
export function installFakePush(answer: NotificationPermission = "granted", { subscribed = false } = {}) {
  let subscription: PushSubscription | null = null;
  const unsubscribe = vi.fn(async () => {
    subscription = null;
    return true;
  });
  const makeSubscription = (key: ArrayBuffer) =>
    ({
      endpoint: "https://push.example/abc",
      options: { applicationServerKey: key, userVisibleOnly: true },
      toJSON: () => ({ endpoint: "https://push.example/abc", keys: { p256dh: "p-key", auth: "a-key" } }),
      unsubscribe,
    }) as unknown as PushSubscription;
  const pushManager = {
    getSubscription: vi.fn(async () => subscription),
    subscribe: vi.fn(async (options: PushSubscriptionOptionsInit) => {
      subscription = makeSubscription((options.applicationServerKey as Uint8Array).buffer as ArrayBuffer);
      return subscription;
    }),
  };
  if (subscribed) subscription = makeSubscription(new Uint8Array([0x04, 0xfc, 0xfe, 0xff]).buffer);
  const registration = { pushManager };
  const serviceWorker = {
    register: vi.fn(async () => registration),
    ready: Promise.resolve(registration),
    getRegistration: vi.fn(async () => registration),
  };
  const notification = {
    permission: (subscribed ? answer : "default") as NotificationPermission,
    requestPermission: vi.fn(async () => (notification.permission = answer)),
  };
  Object.defineProperty(navigator, "serviceWorker", { value: serviceWorker, configurable: true });
  vi.stubGlobal("PushManager", function PushManager() {});
  vi.stubGlobal("Notification", notification);
  return { serviceWorker, pushManager, requestPermission: notification.requestPermission, unsubscribe };
}

export function uninstallFakePush() {
  Reflect.deleteProperty(navigator, "serviceWorker");
}
