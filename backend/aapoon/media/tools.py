"""Running the media tools (janus-pp-rec, ffprobe, ffmpeg) for one recording: every run under one
deadline for the whole processing, and no process ever left behind, whatever happens meanwhile."""

import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

# Processing one recording may take this long, or this many seconds per recorded second.
MIN_TIME_LIMIT_SECONDS = 120.0
SECONDS_PER_RECORDED_SECOND = 10.0
# How much of a failed tool's error output is kept for the log.
ERROR_TAIL_CHARS = 2000


class OutOfTime(Exception):
    """The deadline passed before a tool finished; it was stopped."""


class Deadline:
    """The moment by which every tool run of one recording's processing must be done."""

    def __init__(self, seconds: float) -> None:
        self._at = time.monotonic() + seconds

    @classmethod
    def for_span(cls, span_seconds: float) -> "Deadline":
        return cls(max(MIN_TIME_LIMIT_SECONDS, SECONDS_PER_RECORDED_SECOND * span_seconds))

    def within(self, seconds: float) -> "Deadline":
        """A deadline no later than this one, at most `seconds` away (for one step of the work)."""
        step = Deadline(seconds)
        step._at = min(step._at, self._at)
        return step

    def remaining(self, tool: str) -> float:
        """Seconds left; OutOfTime if none are."""
        left = self._at - time.monotonic()
        if left <= 0:
            raise OutOfTime(tool)
        return left


def run_tool(command: list[str], deadline: Deadline) -> subprocess.CompletedProcess[str]:
    """Run to the end and capture the output (subprocess.run kills the tool on a timeout)."""
    try:
        return subprocess.run(  # noqa: S603 (fixed tools, arguments are paths we made)
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=deadline.remaining(command[0]),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OutOfTime(command[0]) from exc


def run_tool_lines(
    command: list[str], deadline: Deadline, on_line: Callable[[str], None], *, cwd: Path | None = None
) -> tuple[int, str]:
    """Run (in `cwd`), handing each line of standard output to `on_line` as it comes; returns the
    exit code and the end of the error output. The tool is killed (and waited for) at the
    deadline, and if anything raises meanwhile, `on_line` included."""
    seconds = deadline.remaining(command[0])
    with tempfile.TemporaryFile(mode="w+") as errors:
        process = subprocess.Popen(  # noqa: S603 (fixed tool, arguments we built)
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, text=True, cwd=cwd
        )
        timed_out = threading.Event()

        def stop_at_deadline() -> None:
            timed_out.set()
            process.kill()

        watchdog = threading.Timer(seconds, stop_at_deadline)
        watchdog.start()
        try:
            assert process.stdout is not None
            for line in process.stdout:
                on_line(line)
            code = process.wait()
        finally:
            watchdog.cancel()
            process.kill()  # a no-op once it has exited
            process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if timed_out.is_set():
            raise OutOfTime(command[0])
        errors.seek(0)
        return code, errors.read()[-ERROR_TAIL_CHARS:]
