import { useEffect } from "react";

/** macOS (and iPadOS with a keyboard) use ⌘ for shortcuts; there Ctrl+D and Ctrl+E edit text. */
function isApplePlatform(): boolean {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  const platform = nav.userAgentData?.platform || nav.platform || "";
  return /mac|iphone|ipad|ipod/i.test(platform);
}

/**
 * ⌘+D toggles the microphone and ⌘+E the camera on macOS, Ctrl+D / Ctrl+E elsewhere (the
 * browser's own uses are suppressed). Only that exact combination counts, in a text field too, so
 * typing is left alone (on macOS Ctrl+D / Ctrl+E delete forward and go to the end of the line);
 * a held key does not toggle again and again.
 */
export function useMediaShortcuts(toggleAudio: () => void, toggleVideo: () => void): void {
  useEffect(() => {
    const apple = isApplePlatform();
    const onKeyDown = (event: KeyboardEvent) => {
      const modifier = apple ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
      if (!modifier || event.altKey || event.shiftKey || event.isComposing) return;
      const key = event.key.toLowerCase();
      if (key !== "d" && key !== "e") return;
      event.preventDefault();
      if (event.repeat) return;
      if (key === "d") toggleAudio();
      else toggleVideo();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [toggleAudio, toggleVideo]);
}
