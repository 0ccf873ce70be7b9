// The few Janus calls the SFU mode makes, as promises: the real janus-gateway library behind them
// here, a fake in the tests.
import type { JanusJS } from "janus-gateway";

export type Jsep = JanusJS.JSEP;
export type TrackOption = JanusJS.TrackOption;
/** A VideoRoom message or event: `{videoroom: "joined" | "event" | ..., ...}`. */
export type VideoRoomMessage = Record<string, unknown>;

export interface HandleEvents {
  onMessage: (message: VideoRoomMessage, jsep: Jsep | undefined) => void;
  /** A remote track came (`on`) or went; mute/unmute of a track are not reported. */
  onRemoteTrack?: (track: MediaStreamTrack, mid: string, on: boolean) => void;
  /** The handle's peer connection failed for good (ICE failed). */
  onMediaFailed?: () => void;
}

/** One plugin handle attached to janus.plugin.videoroom. */
export interface VideoRoomHandle {
  /** Sends a request; resolves once Janus acknowledged it (events come through onMessage). */
  send: (message: VideoRoomMessage, jsep?: Jsep) => Promise<void>;
  createOffer: (tracks: TrackOption[]) => Promise<Jsep>;
  createAnswer: (jsep: Jsep) => Promise<Jsep>;
  handleRemoteJsep: (jsep: Jsep) => Promise<void>;
  peerConnection: () => RTCPeerConnection | null;
  detach: () => void;
}

export interface JanusConnection {
  attach: (events: HandleEvents) => Promise<VideoRoomHandle>;
  destroy: () => void;
}

export interface ConnectOptions {
  server: string;
  token: string;
  rtcConfig: RTCConfiguration;
  /** The session or its WebSocket is gone (server down, network). */
  onLost: () => void;
}

export type ConnectJanus = (options: ConnectOptions) => Promise<JanusConnection>;

let library: Promise<typeof import("janus-gateway").default> | null = null;

/** Loads janus-gateway (only SFU meetings need it) and initialises it once, with webrtc-adapter. */
function loadJanus(): Promise<typeof import("janus-gateway").default> {
  library ??= Promise.all([import("janus-gateway"), import("webrtc-adapter")]).then(
    ([{ default: Janus }, { default: adapter }]) =>
      new Promise((resolve) => {
        Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter }), callback: () => resolve(Janus) });
      }),
  );
  return library;
}

function wrapHandle(handle: JanusJS.PluginHandle): VideoRoomHandle {
  return {
    send: (message, jsep) =>
      new Promise((resolve, reject) => {
        handle.send({ message: message as JanusJS.PluginMessage["message"], jsep, success: () => resolve(), error: reject });
      }),
    createOffer: (tracks) => new Promise((resolve, reject) => handle.createOffer({ tracks, success: resolve, error: reject })),
    createAnswer: (jsep) =>
      // No tracks of ours: Janus offers only what we receive.
      new Promise((resolve, reject) => handle.createAnswer({ jsep, tracks: [], success: resolve, error: reject })),
    handleRemoteJsep: (jsep) => new Promise((resolve, reject) => handle.handleRemoteJsep({ jsep, success: () => resolve(), error: reject })),
    peerConnection: () => handle.webrtcStuff?.pc ?? null,
    detach: () => handle.detach({ noRequest: false }),
  };
}

/** Opens a Janus session over its WebSocket (the token is the grant's HMAC token). */
export const connectJanus: ConnectJanus = async ({ server, token, rtcConfig, onLost }) => {
  const Janus = await loadJanus();
  return new Promise((resolve, reject) => {
    let opened = false;
    const session: JanusJS.Janus = new Janus({
      server,
      token,
      iceServers: rtcConfig.iceServers ?? [],
      ...(rtcConfig.iceTransportPolicy ? { iceTransportPolicy: rtcConfig.iceTransportPolicy } : {}),
      success: () => {
        opened = true;
        resolve(connection);
      },
      error: (error: unknown) => {
        if (opened) onLost();
        else reject(new Error(String(error)));
      },
    });
    const connection: JanusConnection = {
      attach: (events) =>
        new Promise((attached, failed) => {
          session.attach({
            plugin: "janus.plugin.videoroom",
            success: (handle) => attached(wrapHandle(handle)),
            error: (error) => failed(new Error(error)),
            onmessage: (message, jsep) => events.onMessage(message as VideoRoomMessage, jsep),
            onremotetrack: (track, mid, on, metadata) => {
              // A muted track (no packets for a while) stays: the tile shows the person's camera state.
              if (metadata?.reason === "mute" || metadata?.reason === "unmute") return;
              events.onRemoteTrack?.(track, mid, on);
            },
            iceState: (state) => {
              if (state === "failed") events.onMediaFailed?.();
            },
          });
        }),
      destroy: () => session.destroy({ cleanupHandles: true, notifyDestroyed: false }),
    };
  });
};
