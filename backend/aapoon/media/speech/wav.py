"""Reading the 16 kHz mono WAVs the engines are given."""

import wave
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aapoon.media.speech.base import SAMPLE_RATE


class PcmReader:
    """The PCM samples of an open WAV as a byte stream (`read(n)`), without its header."""

    def __init__(self, audio: wave.Wave_read) -> None:
        self._audio = audio

    def read(self, size: int) -> bytes:
        return self._audio.readframes(size // 2)


@contextmanager
def open_pcm(path: Path) -> Iterator[PcmReader]:
    """The samples of `path`; ValueError unless it is 16 kHz mono 16-bit."""
    with wave.open(str(path), "rb") as audio:
        if (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) != (SAMPLE_RATE, 1, 2):
            raise ValueError(f"{path.name}: not 16 kHz mono 16-bit PCM")
        yield PcmReader(audio)
