"""A recording's .mjr files -> one MP4: the video feeds as a grid, the audio feeds mixed.

Janus writes one .mjr per publisher stream (and a new one each time a stream starts again).
`janus-pp-rec` turns each into webm/opus; its JSON header gives the wall-clock time of the first
packet, which places the feed on the recording's timeline. One ffmpeg run then draws every video
feed in its tile of a black canvas (one tile per publisher, `1`, `2`, `2x2`, `3x2`, `3x3`, ...)
from its offset on, delays and mixes the audio, and writes H.264 + AAC with the index first
(`+faststart`), so a browser plays it while it downloads. The canvas lasts exactly the recorded
span: from the first packet of any feed to the last packet of any feed.

All the tool runs of one recording share one deadline (see tools.py). The service that turns a
stopped Recording into its stored video is in processing.py.
"""

import json
import logging
import math
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aapoon.media.tools import Deadline, OutOfTime, run_tool, run_tool_lines

logger = logging.getLogger(__name__)

# videoroom-<room>-user-<publisher>-<created µs>-<audio|video|data>-<mindex>.mjr
MJR_NAME = re.compile(r"-user-(?P<publisher>.+)-(?P<created>\d+)-(?P<kind>audio|video|data)-\d+\.mjr$")
CONVERTED_EXTENSION = {"opus": ".opus", "vp8": ".webm", "vp9": ".webm", "h264": ".mkv", "av1": ".mkv"}
CANVAS = (1280, 720)
FPS = 25
# The "MJR00002" magic and the header's length come first: a shorter file holds no header.
MJR_MIN_BYTES = 10
# Reading one file's header takes milliseconds; this much means janus-pp-rec is stuck.
PROBE_SECONDS = 20.0
ProgressCallback = Callable[[int], None]


class ComposeError(Exception):
    """Nothing playable could be made; `reason` is short and fit to show to a person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Feed:
    path: Path  # the converted file
    kind: str  # "audio" | "video"
    publisher: str
    start_us: int  # wall clock of its first packet
    duration: float


@dataclass(frozen=True)
class Composed:
    duration_sec: float
    base_us: int  # the video's t=0: wall clock of the first packet of any feed


# ---- reading and converting the .mjr files -------------------------------------------------


def mjr_header(path: Path, deadline: Deadline) -> dict[str, object] | None:
    """The .mjr's JSON header ({"t": "a"|"v"|"d", "c": codec, "s": created µs, "u": first packet µs}),
    or None for a file that holds none. janus-pp-rec has been seen to hang now and then on a file
    it cannot read, so a stuck probe costs that one file, not the whole recording."""
    if path.stat().st_size < MJR_MIN_BYTES:
        return None  # Janus leaves an empty file for a stream that never sent a packet
    try:
        probe = deadline.within(PROBE_SECONDS)
        answer = run_tool(["janus-pp-rec", "--json", "--debug-level=0", str(path)], probe)
    except OutOfTime:
        # Raises again if the whole processing is out of time: then no one file is to blame.
        deadline.remaining("janus-pp-rec")
        return None
    try:
        header = json.loads(answer.stdout) if answer.returncode == 0 else None
    except ValueError:
        return None
    return header if isinstance(header, dict) else None


def media_duration(path: Path, deadline: Deadline) -> float | None:
    command = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)]
    answer = run_tool(command, deadline)
    try:
        return float(json.loads(answer.stdout)["format"]["duration"])
    except (ValueError, KeyError, TypeError):
        return None


def _convert(mjr: Path, workdir: Path, index: int, deadline: Deadline) -> Feed | None:
    """One .mjr as a playable file, or None if it holds no usable media (logged)."""
    name = MJR_NAME.search(mjr.name)
    header = mjr_header(mjr, deadline)
    if name is None or header is None or name["kind"] == "data":
        logger.warning("recording: skipping %s (not an audio/video .mjr)", mjr.name)
        return None
    extension = CONVERTED_EXTENSION.get(str(header.get("c")))
    first_packet = header.get("u") or header.get("s")
    if extension is None or not isinstance(first_packet, int):
        logger.warning("recording: skipping %s (codec %s)", mjr.name, header.get("c"))
        return None
    target = workdir / f"feed{index}{extension}"
    converted = run_tool(["janus-pp-rec", "--debug-level=0", str(mjr), str(target)], deadline)
    duration = media_duration(target, deadline) if converted.returncode == 0 and target.exists() else None
    if not duration:
        logger.warning("recording: skipping %s (janus-pp-rec found no media)", mjr.name)
        return None
    kind = "audio" if header.get("t") == "a" else "video"
    return Feed(path=target, kind=kind, publisher=name["publisher"], start_us=first_packet, duration=duration)


def mjr_files(source_dir: Path, kind: str | None = None) -> list[Path]:
    """The folder's .mjr files, in order; only those of `kind` ("audio", "video") by name if given."""
    sources = sorted(source_dir.glob("*.mjr")) if source_dir.is_dir() else []
    if kind is None:
        return sources
    return [mjr for mjr in sources if (name := MJR_NAME.search(mjr.name)) and name["kind"] == kind]


def convert_all(
    source_dir: Path, workdir: Path, deadline: Deadline, *, kind: str | None = None
) -> list[Feed]:
    sources = mjr_files(source_dir, kind)
    if not sources:
        raise ComposeError("No media was recorded.")
    feeds = [
        feed for i, mjr in enumerate(sources) if (feed := _convert(mjr, workdir, i, deadline)) is not None
    ]
    if not feeds:
        raise ComposeError("The recorded files could not be read.")
    return feeds


# ---- the layout and the ffmpeg run -----------------------------------------------------------


def grid(count: int) -> tuple[int, int]:
    """Columns and rows for `count` tiles: 1x1, 2x1, 2x2, 3x2, 3x3, 4x3, ..."""
    columns = max(1, math.ceil(math.sqrt(count)))
    return columns, max(1, math.ceil(count / columns))


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def timeline_start_us(feeds: list[Feed]) -> int:
    """The composed video's t=0: the first packet of any feed."""
    return min(feed.start_us for feed in feeds)


def ffmpeg_command(
    feeds: list[Feed], output: Path, *, canvas: tuple[int, int] = CANVAS, fps: int = FPS
) -> tuple[list[str], float]:
    """The one ffmpeg invocation that composes `feeds`, and the length of what it writes."""
    base_us = timeline_start_us(feeds)
    span = max((feed.start_us - base_us) / 1e6 + feed.duration for feed in feeds)
    width, height = canvas
    videos = [feed for feed in feeds if feed.kind == "video"]
    audios = [feed for feed in feeds if feed.kind == "audio"]
    tiles = list(dict.fromkeys(feed.publisher for feed in videos))  # one per publisher, in order
    columns, rows = grid(len(tiles))
    tile_w, tile_h = _even(width / columns), _even(height / rows)

    inputs = ["-f", "lavfi", "-i", f"color=c=black:s={width}x{height}:r={fps}:d={span:.3f}"]
    graph: list[str] = []
    canvas_label = "0:v"
    for n, feed in enumerate(videos, start=1):
        inputs += ["-i", str(feed.path)]
        offset = (feed.start_us - base_us) / 1e6
        tile = tiles.index(feed.publisher)
        x, y = (tile % columns) * tile_w, (tile // columns) * tile_h
        graph.append(
            f"[{n}:v]setpts=PTS-STARTPTS+{offset:.3f}/TB,"
            f"scale={tile_w}:{tile_h}:force_original_aspect_ratio=decrease,"
            f"pad={tile_w}:{tile_h}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1[v{n}]"
        )
        # eof_action=pass: when a feed ends its tile goes back to black, the rest goes on.
        graph.append(f"[{canvas_label}][v{n}]overlay={x}:{y}:eof_action=pass[c{n}]")
        canvas_label = f"c{n}"
    graph.append(f"[{canvas_label}]format=yuv420p[vout]")

    mixed: list[str] = []
    for n, feed in enumerate(audios, start=len(videos) + 1):
        inputs += ["-i", str(feed.path)]
        delay_ms = round((feed.start_us - base_us) / 1000)
        graph.append(
            f"[{n}:a]aresample=48000,aformat=sample_rates=48000:channel_layouts=stereo,"
            f"adelay={delay_ms}:all=1[a{n}]"
        )
        mixed.append(f"[a{n}]")
    if mixed:
        # normalize=0: each voice keeps its level however many people were recorded.
        graph.append(f"{''.join(mixed)}amix=inputs={len(mixed)}:normalize=0:duration=longest,apad[amixed]")
    else:
        graph.append("anullsrc=r=48000:cl=stereo[amixed]")
    graph.append(f"[amixed]atrim=end={span:.3f}[aout]")

    command = [
        "ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-nostats", "-progress", "pipe:1",
        *inputs,
        "-filter_complex", ";".join(graph),
        "-map", "[vout]", "-map", "[aout]",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "26", "-r", str(fps),
        "-c:a", "aac", "-b:a", "128k",
        "-t", f"{span:.3f}", "-movflags", "+faststart",
        str(output),
    ]  # fmt: skip
    return command, span


def run_ffmpeg(command: list[str], span: float, on_progress: ProgressCallback, deadline: Deadline) -> None:
    """Run ffmpeg, reporting 0-99 % from its `-progress` output (100 is for the caller)."""
    reported = -1

    def progress_line(line: str) -> None:
        nonlocal reported
        key, _, value = line.strip().partition("=")
        if key == "out_time_us" and value.isdigit():
            percent = min(99, int(int(value) / 1e6 / span * 100)) if span > 0 else 0
            if percent > reported:
                reported = percent
                on_progress(percent)

    code, errors = run_tool_lines(command, deadline, progress_line)
    if code != 0:
        logger.warning("recording: ffmpeg failed: %s", errors)
        raise ComposeError("The video could not be composed.")


def compose(
    source_dir: Path,
    output: Path,
    *,
    on_progress: ProgressCallback,
    span_hint: float = 0.0,
    canvas: tuple[int, int] | None = None,
    fps: int = FPS,
) -> Composed:
    """Make `output` (MP4) from the .mjr files in `source_dir`; temporary files are removed.
    `span_hint` (seconds, how long the recording ran) sets the deadline of the whole work."""
    canvas = canvas or CANVAS
    deadline = Deadline.for_span(span_hint)
    workdir = Path(tempfile.mkdtemp(prefix="aapoon-compose-"))
    try:
        feeds = convert_all(source_dir, workdir, deadline)
        command, span = ffmpeg_command(feeds, output, canvas=canvas, fps=fps)
        run_ffmpeg(command, span, on_progress, deadline)
        duration = media_duration(output, deadline)
    except OutOfTime as exc:
        logger.warning("recording: %s ran out of time", exc)
        raise ComposeError("Processing took too long.") from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if not duration:
        raise ComposeError("The composed video is not playable.")
    return Composed(duration_sec=duration, base_us=timeline_start_us(feeds))
