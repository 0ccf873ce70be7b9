import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeMediaStream, fakeStream, fakeTrack } from "../../../test/mediaFakes";
import { LocalMedia, MediaUnavailableError } from "./localMedia";

/** A browser request the test answers when it likes. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

let userMedia: ReturnType<typeof deferred<MediaStream>>[];
let displayMedia: ReturnType<typeof deferred<MediaStream>>[];

beforeEach(() => {
  userMedia = [];
  displayMedia = [];
  vi.stubGlobal("MediaStream", FakeMediaStream);
  Object.defineProperty(navigator, "mediaDevices", {
    configurable: true,
    value: {
      getUserMedia: vi.fn(() => {
        const request = deferred<MediaStream>();
        userMedia.push(request);
        return request.promise;
      }),
      getDisplayMedia: vi.fn(() => {
        const request = deferred<MediaStream>();
        displayMedia.push(request);
        return request.promise;
      }),
    },
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  delete (navigator as unknown as Record<string, unknown>).mediaDevices;
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("LocalMedia", () => {
  it("opens a missing camera on demand and stops it on release", async () => {
    const media = new LocalMedia(fakeStream([fakeTrack("audio")]), true, false);
    const turningOn = media.set("video", true);
    const camera = fakeTrack("video");
    userMedia[0].resolve(fakeStream([camera]));
    await turningOn;
    expect(media.outgoing("video")).toBe(camera);
    media.release();
    expect(camera.readyState).toBe("ended");
  });

  it("stops a camera the browser hands over after release", async () => {
    const media = new LocalMedia(fakeStream(), false, false);
    const turningOn = media.set("video", true);
    media.release();
    const camera = fakeTrack("video");
    userMedia[0].resolve(fakeStream([camera]));
    await turningOn;
    expect(camera.readyState).toBe("ended");
    expect(media.track("video")).toBeNull();
    expect(media.isOn("video")).toBe(false);
  });

  it("asks once while a request is under way, and the last toggle wins", async () => {
    const media = new LocalMedia(fakeStream(), false, false);
    const on = media.set("audio", true);
    const off = media.set("audio", false);
    const onAgain = media.set("audio", true);
    const offAgain = media.set("audio", false);
    expect(navigator.mediaDevices.getUserMedia).toHaveBeenCalledTimes(1);
    const mic = fakeTrack("audio");
    userMedia[0].resolve(fakeStream([mic]));
    await Promise.all([on, off, onAgain, offAgain]);
    expect(media.isOn("audio")).toBe(false);
    expect(mic.enabled).toBe(false);
    // The one track is kept (turning on again is instant) and released with the rest.
    await media.set("audio", true);
    expect(navigator.mediaDevices.getUserMedia).toHaveBeenCalledTimes(1);
    expect(media.outgoing("audio")).toBe(mic);
    media.release();
    expect(mic.readyState).toBe("ended");
  });

  it("reports a device that cannot start, once, to the latest caller", async () => {
    const media = new LocalMedia(fakeStream(), false, false);
    const first = media.set("video", true);
    const second = media.set("video", true);
    userMedia[0].reject(new Error("NotReadableError"));
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toBeInstanceOf(MediaUnavailableError);
    expect(media.isOn("video")).toBe(false);
  });

  it("stops a screen the browser hands over after release", async () => {
    const media = new LocalMedia(fakeStream(), false, false);
    const sharing = media.startScreen(() => undefined);
    media.release();
    const screen = fakeTrack("video");
    displayMedia[0].resolve(fakeStream([screen]));
    await expect(sharing).resolves.toBeNull();
    expect(screen.readyState).toBe("ended");
    expect(media.screenStream()).toBeNull();
  });

  it("asks for one screen at a time", async () => {
    const media = new LocalMedia(fakeStream(), false, false);
    const first = media.startScreen(() => undefined);
    const second = media.startScreen(() => undefined);
    await settle();
    expect(navigator.mediaDevices.getDisplayMedia).toHaveBeenCalledTimes(1);
    const stream = fakeStream([fakeTrack("video")]);
    displayMedia[0].resolve(stream);
    await expect(first).resolves.toBe(stream);
    await expect(second).resolves.toBeNull();
    expect(media.screenStream()).toBe(stream);
    media.release();
    expect(stream.getTracks()[0].readyState).toBe("ended");
  });
});
