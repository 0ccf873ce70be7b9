import { useEffect, useState } from "react";

/** The cameras and microphones, listed once `stream` is open (before that browsers hide their names). */
export function useMediaInputs(stream: MediaStream | null) {
  const [inputs, setInputs] = useState<MediaDeviceInfo[]>([]);

  useEffect(() => {
    const devices = navigator.mediaDevices;
    if (!stream || !devices?.enumerateDevices) return;
    let current = true;
    const list = () =>
      void devices.enumerateDevices().then((all) => {
        if (current) setInputs(all.filter((device) => device.deviceId));
      });
    list();
    devices.addEventListener("devicechange", list); // a headset plugged in or out
    return () => {
      current = false;
      devices.removeEventListener("devicechange", list);
    };
  }, [stream]);

  return {
    cameras: inputs.filter((device) => device.kind === "videoinput"),
    microphones: inputs.filter((device) => device.kind === "audioinput"),
  };
}
