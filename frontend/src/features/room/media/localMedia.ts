type MediaKind = "audio" | "video";

export class MediaUnavailableError extends Error {
  readonly kind: MediaKind;

  constructor(kind: MediaKind, cause: unknown) {
    super(kind === "audio" ? "Could not turn on the microphone" : "Could not turn on the camera", { cause });
    this.kind = kind;
  }
}

/**
 * Our microphone, camera and screen share. A turned-off device keeps its track (so turning it back
 * on is instant) but is not sent; a device the pre-join screen gave no track for is asked for on demand.
 */
export class LocalMedia {
  /** Announced to peers as the stream of our microphone and camera. */
  readonly cameraStream: MediaStream;
  private readonly tracks: Record<MediaKind, MediaStreamTrack | null>;
  private readonly acquired = new Set<MediaStreamTrack>();
  private readonly on: Record<MediaKind, boolean>;
  private screen: MediaStream | null = null;
  private onScreenEnded: () => void = () => undefined;

  constructor(stream: MediaStream, audioOn: boolean, videoOn: boolean) {
    this.cameraStream = stream;
    this.tracks = { audio: stream.getAudioTracks()[0] ?? null, video: stream.getVideoTracks()[0] ?? null };
    this.on = { audio: audioOn && this.tracks.audio !== null, video: videoOn && this.tracks.video !== null };
  }

  isOn(kind: MediaKind): boolean {
    return this.on[kind];
  }

  track(kind: MediaKind): MediaStreamTrack | null {
    return this.tracks[kind];
  }

  /** The track to send for `kind`: null while it is off. */
  outgoing(kind: MediaKind): MediaStreamTrack | null {
    return this.on[kind] ? this.tracks[kind] : null;
  }

  /** Applies the on/off state to the tracks (a disabled track sends black frames or silence locally). */
  applyEnabled(): void {
    for (const kind of ["audio", "video"] as const) {
      const track = this.tracks[kind];
      if (track) track.enabled = this.on[kind];
    }
  }

  /** Turns a device on or off; throws MediaUnavailableError when it cannot be started. */
  async set(kind: MediaKind, on: boolean): Promise<void> {
    if (on && (!this.tracks[kind] || this.tracks[kind].readyState === "ended")) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ [kind]: true });
        const track = kind === "audio" ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
        this.tracks[kind] = track;
        this.acquired.add(track);
      } catch (error) {
        throw new MediaUnavailableError(kind, error);
      }
    }
    this.on[kind] = on && this.tracks[kind] !== null;
    this.applyEnabled();
  }

  screenStream(): MediaStream | null {
    return this.screen;
  }

  /** Asks the browser for a screen (must run from a click); null if the user cancels. */
  async startScreen(onEnded: () => void): Promise<MediaStream | null> {
    if (this.screen) return this.screen;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch {
      return null;
    }
    this.screen = stream;
    this.onScreenEnded = onEnded;
    // The browser's own "Stop sharing" ends the track.
    stream.getVideoTracks()[0]?.addEventListener("ended", () => this.onScreenEnded());
    return stream;
  }

  stopScreen(): void {
    this.screen?.getTracks().forEach((track) => track.stop());
    this.screen = null;
    this.onScreenEnded = () => undefined;
  }

  /** Stops what this class started (the pre-join stream belongs to the caller). */
  release(): void {
    this.stopScreen();
    this.acquired.forEach((track) => track.stop());
    this.acquired.clear();
  }
}
