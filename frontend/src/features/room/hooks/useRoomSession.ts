import { useEffect, useState, useSyncExternalStore } from "react";
import { RoomSession, type RoomSessionOptions } from "../roomSession";

/** Starts a room session for the life of the component (options are read once, on mount). */
export function useRoomSession(options: RoomSessionOptions) {
  const [session] = useState(() => new RoomSession(options));
  useEffect(() => {
    session.start();
    return () => session.stop();
  }, [session]);
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  return { session, snapshot };
}
