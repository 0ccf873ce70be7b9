import { useEffect, useState } from "react";
import { openLocalMedia, stopTracks, type DeviceChoice, type LocalMedia } from "../localMedia";

/**
 * Opens the camera and microphone (again on every change of device) and turns their tracks on
 * or off. The tracks stay open while the caller is mounted, so they can be handed to the room.
 */
export function useLocalMedia() {
  const [choice, setChoice] = useState<DeviceChoice>({});
  const [media, setMedia] = useState<LocalMedia | null>(null);
  const [audioWanted, setAudioWanted] = useState(true);
  const [videoWanted, setVideoWanted] = useState(true);

  useEffect(() => {
    let wanted = true;
    let opened: MediaStream | null = null;
    void openLocalMedia(choice).then((result) => {
      if (!wanted) return stopTracks(result.stream);
      opened = result.stream;
      setMedia(result);
    });
    // Another device chosen, or the page left: release what this run opened.
    return () => {
      wanted = false;
      if (opened) stopTracks(opened);
    };
  }, [choice]);

  const stream = media?.stream ?? null;
  useEffect(() => {
    stream?.getAudioTracks().forEach((track) => (track.enabled = audioWanted));
  }, [stream, audioWanted]);
  useEffect(() => {
    stream?.getVideoTracks().forEach((track) => (track.enabled = videoWanted));
  }, [stream, videoWanted]);

  const hasAudio = Boolean(stream?.getAudioTracks().length);
  const hasVideo = Boolean(stream?.getVideoTracks().length);
  return {
    /** Null until the browser has answered (the user may still be looking at its permission prompt). */
    media,
    hasAudio,
    hasVideo,
    audioOn: hasAudio && audioWanted,
    videoOn: hasVideo && videoWanted,
    toggleAudio: () => setAudioWanted(!audioWanted),
    toggleVideo: () => setVideoWanted(!videoWanted),
    deviceIds: {
      cameraId: stream?.getVideoTracks()[0]?.getSettings().deviceId ?? choice.cameraId,
      microphoneId: stream?.getAudioTracks()[0]?.getSettings().deviceId ?? choice.microphoneId,
    },
    chooseDevices: (next: DeviceChoice) => {
      setMedia(null); // the open tracks stop now; nothing to join with until the new ones open
      setChoice({ ...choice, ...next });
    },
  };
}

export type LocalMediaControls = ReturnType<typeof useLocalMedia>;
