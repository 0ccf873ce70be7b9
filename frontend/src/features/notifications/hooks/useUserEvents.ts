import { useEffect, useRef } from "react";

/** A message the server pushes on the signed-in user's own socket, `/ws/me/`. */
export type UserEvent = { type: string; [key: string]: unknown };

/** Waits before each reconnect attempt; the last one repeats. */
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
/** The server closes with this when the socket has no signed-in user: retrying cannot help. */
const CLOSE_UNAUTHENTICATED = 4401;

export interface UserEventsOptions {
  onEvent: (event: UserEvent) => void;
  /** After the socket came back from a drop: events sent meanwhile were missed. */
  onReconnect: () => void;
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
    let everOpened = false;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${location.host}/ws/me/`;

    function connect() {
      const create = latest.current.createWebSocket ?? ((to: string) => new WebSocket(to));
      const current = create(url);
      current.onopen = () => {
        failures = 0;
        if (everOpened) latest.current.onReconnect();
        everOpened = true;
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
        retryTimer = setTimeout(connect, RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)]);
        failures += 1;
      };
      socket = current;
    }

    connect();
    return () => {
      clearTimeout(retryTimer);
      if (socket) {
        socket.onopen = socket.onmessage = socket.onclose = null;
        socket.close(1000);
      }
    };
  }, []);
}
