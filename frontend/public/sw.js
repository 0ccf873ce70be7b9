// aapoon meet service worker: shows web push notifications and opens their link when clicked.
// The server pushes JSON {title, body, url, tag}; a later push with the same tag replaces the earlier one.

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : "" };
  }
  const options = { body: data.body || "", data: { url: data.url || "/" }, icon: "/favicon.svg" };
  if (data.tag) options.tag = data.tag;
  event.waitUntil(self.registration.showNotification(data.title || "aapoon meet", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/", self.location.origin).href;
  event.waitUntil(
    (async () => {
      const tabs = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = tabs.find((tab) => tab.url === url);
      if (open) return open.focus();
      return self.clients.openWindow(url);
    })(),
  );
});

// The browser renewed (or lost) the subscription while no page may be open: subscribe again with
// the same server key and tell the server the new endpoint, as the signed-in person's session.
// The API wants Django's CSRF token with the session cookie; a worker cannot read document.cookie,
// so it reads the token with the Cookie Store API where the browser has it in workers. Where it
// does not (or the post fails), the next page load re-posts the browser's subscription
// (pushState in src/features/notifications/push.ts), which brings the server up to date then.
const SUBSCRIPTIONS_URL = "/api/v1/notifications/push/subscriptions";

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

async function serverKey(oldSubscription) {
  const old = oldSubscription && oldSubscription.options && oldSubscription.options.applicationServerKey;
  if (old) return old;
  const response = await fetch("/api/v1/notifications/push/key", { credentials: "same-origin" });
  if (!response.ok) return null;
  return keyBytes((await response.json()).public_key);
}

async function csrfToken() {
  if (!self.cookieStore) return null;
  const cookie = await self.cookieStore.get("csrftoken").catch(() => null);
  return cookie ? cookie.value : null;
}

function post(url, body, token) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token },
    body: JSON.stringify(body),
  });
}

async function renewSubscription(event) {
  let subscription = event.newSubscription;
  if (!subscription) {
    const key = await serverKey(event.oldSubscription);
    if (!key) return;
    subscription = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  }
  const token = await csrfToken();
  if (!token) return; // re-posted on the next page load
  const { endpoint, keys } = subscription.toJSON();
  await post(SUBSCRIPTIONS_URL, { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } }, token);
  if (event.oldSubscription && event.oldSubscription.endpoint !== endpoint) {
    await post(`${SUBSCRIPTIONS_URL}/delete`, { endpoint: event.oldSubscription.endpoint }, token);
  }
}

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(renewSubscription(event).catch(() => undefined));
});
