// The camera and microphone, opened before joining and handed to the room.

/** Why there is less than a camera and a microphone: the UI says each in words. */
export type MediaProblem = "unsupported" | "blocked" | null;

export interface LocalMedia {
  /** Whatever tracks could be opened; empty when none could, so joining still works. */
  stream: MediaStream;
  problem: MediaProblem;
}

export interface DeviceChoice {
  cameraId?: string;
  microphoneId?: string;
}

const errorName = (error: unknown) => (error as { name?: string } | null)?.name;

export function stopTracks(stream: MediaStream) {
  stream.getTracks().forEach((track) => track.stop());
}

export async function openLocalMedia(choice: DeviceChoice): Promise<LocalMedia> {
  // Without a secure context (plain http other than localhost) browsers hide mediaDevices.
  if (!navigator.mediaDevices?.getUserMedia) return { stream: new MediaStream(), problem: "unsupported" };
  const audio = choice.microphoneId ? { deviceId: { exact: choice.microphoneId } } : true;
  const video = choice.cameraId ? { deviceId: { exact: choice.cameraId } } : true;
  // Asked for both, a browser refuses both when one is missing (or busy): then try each alone.
  for (const constraints of [{ audio, video }, { audio }, { video }]) {
    try {
      return { stream: await navigator.mediaDevices.getUserMedia(constraints), problem: null };
    } catch (error) {
      if (errorName(error) === "NotAllowedError" || errorName(error) === "SecurityError") {
        return { stream: new MediaStream(), problem: "blocked" };
      }
    }
  }
  return { stream: new MediaStream(), problem: null };
}

/** What to tell the user about missing media, or null when both camera and microphone work. */
export function mediaProblemText({ stream, problem }: LocalMedia): string | null {
  if (problem === "unsupported") return "This browser can't use a camera or microphone on this page (it needs HTTPS). You can still join.";
  if (problem === "blocked") return "Camera and microphone are blocked. Allow them in your browser's site settings and reload, or join without them.";
  const camera = stream.getVideoTracks().length > 0;
  const microphone = stream.getAudioTracks().length > 0;
  if (!camera && !microphone) return "No camera or microphone found. You can still join without them.";
  if (!camera) return "No camera found. You can still join with your microphone.";
  if (!microphone) return "No microphone found. You can still join with your camera.";
  return null;
}
