"""Running an engine in a child process, under the processing's deadline.

PocketSphinx holds the GIL while it decodes, so inside the server's process it would stall every
request for seconds; a child also keeps a crash or a runaway model out of the server, and is
killed at the deadline like any other tool (tools.run_tool_lines). One child transcribes all of
a recording's files, so the model is loaded once. It says what it finds as JSON lines:

    {"file": 0, "start": 1.23, "end": 2.5, "text": "..."}   a segment of the first file
    {"file": 0, "done": true}                                  that file is finished
    {"language": "en-us"}                                      the last line
    {"error": "..."}                                           the engine cannot run (exit 3)
"""

import argparse
import json
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aapoon.media.speech.base import EngineConfig, EngineUnavailable, Segment
from aapoon.media.speech.engines import engine_load
from aapoon.media.tools import Deadline, run_tool_lines

logger = logging.getLogger(__name__)

UNAVAILABLE_EXIT = 3
# The folder `aapoon` is in: the child imports this package from there.
IMPORT_ROOT = Path(__file__).resolve().parents[3]
# (files finished, seconds into the file being transcribed)
ProgressCallback = Callable[[int, float], None]


class SpeechFailed(Exception):
    """The engine stopped with an error (the details are in the log)."""


@dataclass
class Transcription:
    segments: list[list[Segment]]  # per file, in the order given
    language: str = ""


@dataclass
class _Reader:
    """The parent's side: the child's lines, as they come."""

    files: int
    on_progress: ProgressCallback
    result: Transcription = field(init=False)
    error: str = ""

    def __post_init__(self) -> None:
        self.result = Transcription(segments=[[] for _ in range(self.files)])

    def line(self, text: str) -> None:
        try:
            message = json.loads(text)
        except ValueError:
            return  # an engine that prints to standard output; not ours
        if not isinstance(message, dict):
            return
        if "error" in message:
            self.error = str(message["error"])
        elif "language" in message:
            self.result.language = str(message["language"] or "")
        elif message.get("done"):
            self.on_progress(int(message["file"]) + 1, 0.0)
        elif "text" in message:
            index = int(message["file"])
            segment = Segment(
                start=float(message["start"]), end=float(message["end"]), text=str(message["text"])
            )
            self.result.segments[index].append(segment)
            self.on_progress(index, segment.end)


def transcribe_files(
    config: EngineConfig, wavs: list[Path], deadline: Deadline, on_progress: ProgressCallback
) -> Transcription:
    """Every file's segments (seconds from its start). EngineUnavailable, SpeechFailed, or
    tools.OutOfTime (the child is killed) if it does not finish."""
    command = [sys.executable, "-m", "aapoon.media.speech", "--engine", config.name]
    command += ["--model", config.model_path, "--language", config.language, "--", *map(str, wavs)]
    reader = _Reader(files=len(wavs), on_progress=on_progress)
    code, errors = run_tool_lines(command, deadline, reader.line, cwd=IMPORT_ROOT)
    if code == UNAVAILABLE_EXIT and reader.error:
        raise EngineUnavailable(reader.error)
    if code != 0:
        logger.warning("transcript: the speech engine %s exited with %s: %s", config.name, code, errors)
        raise SpeechFailed(config.name)
    return reader.result


def child_main(argv: list[str]) -> int:
    """The child's side (`python -m aapoon.media.speech`)."""
    parser = argparse.ArgumentParser(prog="python -m aapoon.media.speech")
    parser.add_argument("--engine", required=True)
    parser.add_argument("--model", default="")
    parser.add_argument("--language", default="")
    parser.add_argument("wavs", nargs="*", type=Path)
    args = parser.parse_args(argv)

    def say(message: dict[str, object]) -> None:
        """One JSON line on standard output: the answer the parent reads."""
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    try:
        engine = engine_load(EngineConfig(name=args.engine, model_path=args.model, language=args.language))
    except EngineUnavailable as exc:
        say({"error": exc.reason})
        return UNAVAILABLE_EXIT
    for index, wav in enumerate(args.wavs):
        for segment in engine.transcribe(wav):
            say(
                {
                    "file": index,
                    "start": round(segment.start, 3),
                    "end": round(segment.end, 3),
                    "text": segment.text,
                }
            )
        say({"file": index, "done": True})
    say({"language": engine.language})
    return 0
