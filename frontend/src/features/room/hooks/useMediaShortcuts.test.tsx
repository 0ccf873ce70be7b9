import { fireEvent, render, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useMediaShortcuts } from "./useMediaShortcuts";

function onPlatform(platform: string) {
  Object.defineProperty(navigator, "platform", { value: platform, configurable: true });
}

function setup() {
  const toggleAudio = vi.fn();
  const toggleVideo = vi.fn();
  renderHook(() => useMediaShortcuts(toggleAudio, toggleVideo));
  return { toggleAudio, toggleVideo };
}

/** Dispatches a keydown; returns whether the page's default action was suppressed. */
function press(target: Element | Window, key: string, init: KeyboardEventInit = {}): boolean {
  return !fireEvent.keyDown(target, { key, ...init });
}

afterEach(() => {
  delete (navigator as unknown as Record<string, unknown>).platform;
});

describe("media shortcuts", () => {
  it("uses Ctrl+D / Ctrl+E on Windows and Linux, not ⌘ (there the system key)", () => {
    onPlatform("Linux x86_64");
    const { toggleAudio, toggleVideo } = setup();
    expect(press(window, "d", { ctrlKey: true })).toBe(true);
    press(window, "E", { ctrlKey: true });
    expect(toggleAudio).toHaveBeenCalledTimes(1);
    expect(toggleVideo).toHaveBeenCalledTimes(1);
    expect(press(window, "d", { metaKey: true })).toBe(false);
    press(window, "d", { ctrlKey: true, shiftKey: true });
    press(window, "d");
    expect(toggleAudio).toHaveBeenCalledTimes(1);
  });

  it("uses ⌘ on macOS and leaves Ctrl+D / Ctrl+E to text editing", () => {
    onPlatform("MacIntel");
    const { toggleAudio, toggleVideo } = setup();
    const { getByRole } = render(<textarea aria-label="Message" />);
    const box = getByRole("textbox");
    expect(press(box, "d", { ctrlKey: true })).toBe(false);
    expect(press(box, "e", { ctrlKey: true })).toBe(false);
    expect(toggleAudio).not.toHaveBeenCalled();
    expect(toggleVideo).not.toHaveBeenCalled();
    expect(press(window, "d", { metaKey: true })).toBe(true);
    expect(press(box, "e", { metaKey: true })).toBe(true);
    expect(toggleAudio).toHaveBeenCalledTimes(1);
    expect(toggleVideo).toHaveBeenCalledTimes(1);
  });

  it("does not toggle again while the keys are held down", () => {
    onPlatform("Win32");
    const { toggleAudio } = setup();
    press(window, "d", { ctrlKey: true });
    // The browser's own Ctrl+D (bookmark) stays suppressed.
    expect(press(window, "d", { ctrlKey: true, repeat: true })).toBe(true);
    press(window, "d", { ctrlKey: true, repeat: true });
    expect(toggleAudio).toHaveBeenCalledTimes(1);
  });

  it("leaves typing in a text field alone, but the shortcut works there too", () => {
    onPlatform("Linux x86_64");
    const { toggleAudio } = setup();
    const { getByRole } = render(<input aria-label="Message" />);
    const box = getByRole("textbox");
    expect(press(box, "d")).toBe(false);
    expect(toggleAudio).not.toHaveBeenCalled();
    press(box, "d", { ctrlKey: true });
    expect(toggleAudio).toHaveBeenCalledTimes(1);
  });
});
