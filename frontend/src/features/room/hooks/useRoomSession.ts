import { useLayoutEffect, useState, useSyncExternalStore } from "react";
import { RoomSession, type RoomSessionOptions } from "../roomSession";

/** Starts a room session for the life of the component (options are read once, on mount).
 * A layout effect: the socket opens before the room's first paint, not after it. */
export function useRoomSession(options: RoomSessionOptions) {
  const [session] = useState(() => new RoomSession(options));
  useLayoutEffect(() => {
    session.start();
    return () => session.stop();
  }, [session]);
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  return { session, snapshot };
}
