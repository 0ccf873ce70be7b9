import { useEffect, useRef } from "react";

/** A message the server pushes on the signed-in user's own socket, `/ws/me/`. */
export type UserEvent = { type: string; [key: string]: unknown };

/** Waits before each reconnect attempt; the last one repeats. */
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
/** The server closes with this when the socket has no signed-in user: retrying cannot help. */
const CLOSE_UNAUTHENTICATED = 4401;
/** After this many drops in a row without ever opening, ask whether we are still signed in. */
const FAILURES_BEFORE_SESSION_CHECK = 3;

export interface UserEventsOptions {
  onEvent: (event: UserEvent) => void;
  /**
   * After every open, the first too: events sent before it (while the page loaded, or while the
   * socket was down) were missed, so read again what they would have changed.
   */
  onOpen: () => void;
  /**
   * Asked after a few drops in a row that never opened (a proxy may hide the server's 4401):
   * resolving false stops reconnecting. A check that fails keeps retrying.
   */
  isSignedIn?: () => Promise<boolean>;
  createWebSocket?: (url: string) => WebSocket;
}

/** Keeps `/ws/me/` open while mounted, reconnecting with backoff when it drops. */
export function useUserEvents(options: UserEventsOptions) {
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  useEffect(() => {
    let socket: WebSocket | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${location.host}/ws/me/`;

    function connect() {
      const create = latest.current.createWebSocket ?? ((to: string) => new WebSocket(to));
      const current = create(url);
      current.onopen = () => {
        failures = 0;
        latest.current.onOpen();
      };
      current.onmessage = (message: MessageEvent) => {
        if (typeof message.data !== "string") return;
        let event: unknown;
        try {
          event = JSON.parse(message.data);
        } catch {
          return; // not ours to understand
        }
        if (typeof event === "object" && event !== null && typeof (event as UserEvent).type === "string") {
          latest.current.onEvent(event as UserEvent);
        }
      };
      current.onclose = (closed: CloseEvent) => {
        socket = null;
        if (closed.code === CLOSE_UNAUTHENTICATED) return;
        const delay = RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)];
        failures += 1;
        const check = latest.current.isSignedIn;
        if (failures % FAILURES_BEFORE_SESSION_CHECK === 0 && check) {
          void check().then(
            (signedIn) => signedIn && !stopped && (retryTimer = setTimeout(connect, delay)),
            () => !stopped && (retryTimer = setTimeout(connect, delay)),
          );
        } else {
          retryTimer = setTimeout(connect, delay);
        }
      };
      socket = current;
    }

    connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      if (socket) {
        socket.onopen = socket.onmessage = socket.onclose = null;
        socket.close(1000);
      }
    };
  }, []);
}
