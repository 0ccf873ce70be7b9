import { useEffect } from "react";

/** Ctrl/⌘+D toggles the microphone, Ctrl/⌘+E the camera (the browser's own uses are suppressed). */
export function useMediaShortcuts(toggleAudio: () => void, toggleVideo: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const key = event.key.toLowerCase();
      if (key !== "d" && key !== "e") return;
      event.preventDefault();
      if (key === "d") toggleAudio();
      else toggleVideo();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [toggleAudio, toggleVideo]);
}
