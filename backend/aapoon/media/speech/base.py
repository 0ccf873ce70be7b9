"""What every speech engine offers, and how one says it cannot work here."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# The audio every engine is given: 16 kHz, mono, 16-bit PCM WAV.
SAMPLE_RATE = 16000


@dataclass(frozen=True)
class EngineConfig:
    name: str  # "pocketsphinx" | "vosk" | "faster-whisper"
    model_path: str  # "" for the engine's own default (pocketsphinx: the model in its package)
    language: str  # "" for the engine's default


@dataclass(frozen=True)
class Segment:
    start: float  # seconds from the start of the WAV
    end: float
    text: str


class EngineUnavailable(Exception):
    """The configured engine cannot run (package or model missing, language unsupported).
    `reason` is short and fit to show a person; it names no path."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SpeechEngine(Protocol):
    name: str
    # The language it transcribes, as a code ("en-us", "hi"); may be known only after a file.
    language: str

    def transcribe(self, wav: Path) -> Iterator[Segment]:
        """The speech in a 16 kHz mono WAV, in time order, one segment as soon as it is known."""
        ...
