"""How browser tests and the media benchmark start Chromium (see architecture.md, Media)."""

import os

CHROMIUM_PATH = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Fake camera, microphone and screen (getDisplayMedia picks one without asking).
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    # Without it Chromium gathers no 127.0.0.1 candidates and P2P on loopback never connects.
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
]
