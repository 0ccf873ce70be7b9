"""Benchmark: how fast the default speech engine (pocketsphinx) transcribes, per core.

Makes N seconds of speech with espeak-ng (the test phrases, one voice after the other, with
pauses between them, as a 16 kHz mono WAV), then transcribes it the way a recording's transcript
is made: one child process (`python -m aapoon.media.speech`) under a deadline. The engine uses
one core, so its CPU time per second of audio is the real-time factor per core; its inverse is
how many people talking nonstop one core keeps up with. Prints one JSON object.
Environment: BENCH_TRANSCRIBE_SECONDS (60).
"""

import json
import os
import resource
import sys
import tempfile
import time
import wave
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("BENCH_TRANSCRIBE_SECONDS", "60"))
sys.path.insert(0, str(REPO / "backend"))

from aapoon.media.speech.base import EngineConfig  # noqa: E402
from aapoon.media.speech.process import transcribe_files  # noqa: E402
from aapoon.media.speech.samples import COUNTING_ON, COUNTING_UP, concatenate, speak  # noqa: E402
from aapoon.media.tools import Deadline  # noqa: E402


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as audio:
        return audio.getnframes() / audio.getframerate()


def speech(folder: Path, seconds: float) -> tuple[Path, int]:
    """A WAV of at least `seconds`, and how many phrases it says."""
    parts = [
        speak(phrase, folder / f"{i}.wav", silence_before=0.3, silence_after=0.8)
        for i, phrase in enumerate((COUNTING_UP, COUNTING_ON))
    ]
    unit = sum(wav_seconds(part) for part in parts)
    repeats = max(1, round(seconds / unit + 0.5))
    return concatenate(parts * repeats, folder / "speech.wav"), 2 * repeats


def main() -> None:
    config = EngineConfig(name="pocketsphinx", model_path="", language="")
    with tempfile.TemporaryDirectory(prefix="aapoon-bench-transcribe-") as work:
        wav, phrases = speech(Path(work), SECONDS)
        audio_seconds = wav_seconds(wav)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = transcribe_files(config, [wav], Deadline(max(120.0, audio_seconds * 10)), lambda *args: None)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    [segments] = result.segments
    # Each phrase comes back as a segment of its own: its words found there are right.
    right = sum(max(COUNTING_UP.heard_in(s.text), COUNTING_ON.heard_in(s.text)) for s in segments)
    print(
        json.dumps(
            {
                "benchmark": "transcribe",
                "engine": config.name,
                "audio_seconds": round(audio_seconds, 1),
                "phrases": phrases,
                "segments": len(segments),
                "words_said": phrases * len(COUNTING_UP.words),
                "words_right": right,
                "wall_seconds": round(wall, 2),
                "cpu_seconds": round(cpu, 2),
                # Includes starting Python and loading the model (about 0.5 s), as in production.
                "real_time_factor": round(wall / audio_seconds, 3),
                "cpu_real_time_factor_per_core": round(cpu / audio_seconds, 3),
                "speakers_per_core": round(audio_seconds / cpu, 1),
                "cores": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    main()
