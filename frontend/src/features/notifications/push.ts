import { addPushSubscription, getPushKey, removePushSubscription } from "./api";

/** Web push on this browser: not possible, blocked by the person, or whether we are subscribed. */
export type PushState = "unsupported" | "denied" | "off" | "on";

/** Why turning push on stopped short, in words for the person. */
export class PushError extends Error {}

const WORKER_URL = "/sw.js";

const supported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration("/");
  return (await registration?.pushManager.getSubscription()) ?? null;
}

const subscriptionBody = (subscription: PushSubscription) => {
  const { endpoint, keys } = subscription.toJSON();
  if (!endpoint || !keys?.p256dh || !keys.auth) throw new PushError("The browser gave an incomplete subscription. Try again.");
  return { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
};

/**
 * Push on this browser as the server confirms it. A subscription the browser already has is
 * posted again (the server upserts by endpoint), so it belongs to whoever is signed in now:
 * after someone else used this browser, or after the browser renewed it while no page was open.
 */
export async function pushState(): Promise<PushState> {
  if (!supported()) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  const subscription = await currentSubscription();
  if (!subscription || Notification.permission !== "granted") return "off";
  await addPushSubscription(subscriptionBody(subscription));
  return "on";
}

/** The VAPID public key as the Push API takes it: urlsafe base64 (padding optional) to bytes. */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

const sameKey = (a: ArrayBuffer | null, b: Uint8Array) =>
  a !== null && a.byteLength === b.byteLength && new Uint8Array(a).every((byte, i) => byte === b[i]);

/** Asks for permission, registers the service worker, subscribes and tells the server where to push. */
export async function enablePush(): Promise<void> {
  if (!supported()) throw new PushError("This browser cannot show notifications from websites.");
  const permission = await Notification.requestPermission();
  if (permission === "denied") throw new PushError("Notifications are blocked for this site. Allow them in your browser's site settings.");
  if (permission !== "granted") throw new PushError("Notifications were not allowed. Try again and choose Allow.");
  await navigator.serviceWorker.register(WORKER_URL);
  // Subscribing needs an active worker, which `ready` waits for.
  const registration = await navigator.serviceWorker.ready;
  const key = applicationServerKey((await getPushKey()).public_key);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe(); // made for another server key: it would be refused
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await addPushSubscription(subscriptionBody(subscription));
}

/** Stops pushes to this browser: the server forgets the subscription, then the browser drops it. */
export async function disablePush(): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  await removePushSubscription(subscription.endpoint);
  await subscription.unsubscribe();
}

/**
 * On sign-out, before the session ends: the server forgets this browser's subscription and the
 * browser drops it, so the next person here gets none of these pushes. Best effort: never throws
 * (sign-out must not depend on it); the next sign-in re-posts any subscription left behind.
 */
export async function forgetPushOnSignOut(): Promise<void> {
  if (!supported()) return;
  const subscription = await currentSubscription().catch(() => null);
  if (!subscription) return;
  await removePushSubscription(subscription.endpoint).catch(() => undefined);
  await subscription.unsubscribe().catch(() => false);
}
