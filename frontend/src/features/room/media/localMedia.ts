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
  /** Bumped by release(): a device or screen the browser hands over after that is stopped at once. */
  private epoch = 0;
  /** The getUserMedia request under way per kind: a second "on" waits for it instead of opening another. */
  private readonly requests: Partial<Record<MediaKind, Promise<MediaStreamTrack | null>>> = {};
  /** The latest set() per kind: an earlier one still waiting for its device must not overrule it. */
  private readonly latestSet: Record<MediaKind, number> = { audio: 0, video: 0 };
  private screenRequest: Promise<MediaStream | null> | null = null;

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
    const call = ++this.latestSet[kind];
    const epoch = this.epoch;
    const current = this.tracks[kind];
    const superseded = () => epoch !== this.epoch || call !== this.latestSet[kind];
    if (on && (!current || current.readyState === "ended")) {
      try {
        await this.acquire(kind);
      } catch (error) {
        if (superseded()) return;
        throw error;
      }
    }
    // Released meanwhile, or a later call decided: that one's word stands.
    if (superseded()) return;
    this.on[kind] = on && this.tracks[kind] !== null;
    this.applyEnabled();
  }

  /** Opens a device (one request at a time per kind); a track that arrives after release() is stopped. */
  private acquire(kind: MediaKind): Promise<MediaStreamTrack | null> {
    const pending = this.requests[kind];
    if (pending) return pending;
    const epoch = this.epoch;
    const request = navigator.mediaDevices.getUserMedia({ [kind]: true }).then(
      (stream) => {
        const track = (kind === "audio" ? stream.getAudioTracks() : stream.getVideoTracks())[0] ?? null;
        const stale = epoch !== this.epoch;
        // Only the one track is kept, and none once released.
        stream.getTracks().forEach((other) => {
          if (stale || other !== track) other.stop();
        });
        if (stale || !track) return null;
        this.tracks[kind] = track;
        this.acquired.add(track);
        track.enabled = this.on[kind];
        return track;
      },
      (error: unknown) => {
        if (epoch !== this.epoch) return null;
        throw new MediaUnavailableError(kind, error);
      },
    );
    const settle = () => {
      if (this.requests[kind] === request) delete this.requests[kind];
    };
    this.requests[kind] = request;
    request.then(settle, settle);
    return request;
  }

  screenStream(): MediaStream | null {
    return this.screen;
  }

  /**
   * Asks the browser for a screen (must run from a click); null if the user cancels, if a request
   * is already under way (its caller gets the stream), or if we were released meanwhile.
   */
  async startScreen(onEnded: () => void): Promise<MediaStream | null> {
    if (this.screen || this.screenRequest) return null;
    const epoch = this.epoch;
    const request = navigator.mediaDevices.getDisplayMedia({ video: true, audio: false }).then(
      (stream) => stream,
      () => null,
    );
    this.screenRequest = request;
    const stream = await request;
    if (this.screenRequest === request) this.screenRequest = null;
    if (!stream) return null;
    if (epoch !== this.epoch) {
      stream.getTracks().forEach((track) => track.stop());
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
    this.epoch++;
    this.screenRequest = null;
    for (const kind of ["audio", "video"] as const) delete this.requests[kind];
    this.stopScreen();
    this.acquired.forEach((track) => track.stop());
    this.acquired.clear();
  }
}
