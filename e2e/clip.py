"""The pre-encoded test clip that synthetic participants replay (VP8 + Opus in WebM).

Made once with ffmpeg (a moving test pattern and a tone) and cached under `var/clips/`, so a
participant replays packets without encoding anything (see architecture.md, Media).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
CLIP_DIR = Path(os.environ.get("E2E_CLIP_DIR", REPO_DIR / "var" / "clips"))

WIDTH, HEIGHT, FPS = 640, 360, 15
SECONDS = 6
VIDEO_BITRATE = "300k"
# A keyframe every second: a replayed clip cannot answer a PLI, so late subscribers wait for
# the next scheduled keyframe instead.
KEYFRAME_INTERVAL = FPS


def clip_path() -> Path:
    """The clip, made on first use. The name carries the settings, so changing them remakes it."""
    path = CLIP_DIR / f"testsrc2-{WIDTH}x{HEIGHT}-{FPS}fps-{SECONDS}s-vp8-opus.webm"
    if path.exists():
        return path
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RuntimeError("ffmpeg is missing: apt-get install -y ffmpeg")
    CLIP_DIR.mkdir(parents=True, exist_ok=True)
    # Write beside the final name and rename, so a half-written clip is never picked up.
    partial = path.with_suffix(f".{os.getpid()}.partial.webm")
    command = [
        ffmpeg,
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS}",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=48000",
        "-t",
        str(SECONDS),
        "-c:v",
        "libvpx",
        "-b:v",
        VIDEO_BITRATE,
        "-g",
        str(KEYFRAME_INTERVAL),
        "-keyint_min",
        str(KEYFRAME_INTERVAL),
        "-deadline",
        "realtime",
        "-cpu-used",
        "8",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "libopus",
        "-b:a",
        "32k",
        "-ac",
        "2",
        "-frame_duration",
        "20",
        str(partial),
    ]
    subprocess.run(command, check=True, timeout=120)
    partial.replace(path)
    return path


if __name__ == "__main__":
    print(clip_path())
