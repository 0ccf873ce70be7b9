"""Spoken audio made with espeak-ng, for the tests, the benchmark and the fixture generators.

PocketSphinx understands little of espeak-ng's default voice; these phrases and voices were
checked to come back word for word on their own, also after Opus at 24-48 kbit/s and with
0-1.3 s of silence before them (what a recording does to them). After other speech in the same
file a word or two may go (the decoder adapts to what it heard), so tests ask for most words.
"""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from aapoon.media.speech.base import SAMPLE_RATE


@dataclass(frozen=True)
class Phrase:
    text: str
    voice: str
    words_per_minute: int

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def heard_in(self, text: str) -> int:
        """How many of the phrase's words are in `text`."""
        heard = text.split()
        return sum(1 for word in self.words if word in heard)


# "Mostly recognised": this many of a phrase's five words.
MOSTLY = 3


COUNTING_UP = Phrase("one two three four five", voice="en-us+m3", words_per_minute=130)
COUNTING_ON = Phrase("six seven eight nine ten", voice="en-us+f2", words_per_minute=150)


def missing_tools() -> list[str]:
    return [tool for tool in ("espeak-ng", "ffmpeg") if shutil.which(tool) is None]


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603 (fixed tools)


def speak(
    phrase: Phrase,
    target: Path,
    *,
    silence_before: float = 0.5,
    silence_after: float = 1.0,
    sample_rate: int = SAMPLE_RATE,
) -> Path:
    """`phrase` as a mono 16-bit WAV at `sample_rate`, with silence around it."""
    with tempfile.TemporaryDirectory(prefix="aapoon-speak-") as work:
        spoken = Path(work) / "spoken.wav"
        _run(
            "espeak-ng",
            "-v",
            phrase.voice,
            "-s",
            str(phrase.words_per_minute),
            "-w",
            str(spoken),
            phrase.text,
        )
        pad = f"adelay={round(silence_before * 1000)}:all=1,apad=pad_dur={silence_after}"
        _run(
            "ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(spoken), "-af", pad,
            "-ac", "1", "-ar", str(sample_rate), "-c:a", "pcm_s16le", str(target),
        )  # fmt: skip
    return target


def concatenate(parts: list[Path], target: Path) -> Path:
    """WAVs of the same format, one after the other."""
    inputs = [arg for part in parts for arg in ("-i", str(part))]
    graph = "".join(f"[{i}:a]" for i in range(len(parts))) + f"concat=n={len(parts)}:v=0:a=1"
    _run("ffmpeg", "-nostdin", "-y", "-loglevel", "error", *inputs, "-filter_complex", graph, str(target))
    return target
