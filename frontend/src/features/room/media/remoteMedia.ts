/** What we receive from one participant, whichever way media travels (P2P mesh or SFU). */
export interface RemoteMedia {
  /** Their microphone and camera (either may be missing). */
  camera: MediaStream | null;
  screen: MediaStream | null;
}

export type RemoteMediaMap = ReadonlyMap<string, RemoteMedia>;

export const NO_REMOTE_MEDIA: RemoteMedia = { camera: null, screen: null };
