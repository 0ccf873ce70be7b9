"""Vosk (Kaldi), offline, with a model downloaded by the operator (alphacephei.com/vosk/models
has small models for English, Hindi, Telugu and more). Not a dependency: `pip install vosk`."""

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aapoon.media.speech.base import SAMPLE_RATE, EngineConfig, EngineUnavailable, Segment
from aapoon.media.speech.wav import open_pcm

NAME = "vosk"
# Samples handed to the recogniser at a time (a quarter of a second).
CHUNK_FRAMES = SAMPLE_RATE // 4


def check(config: EngineConfig) -> None:
    if importlib.util.find_spec("vosk") is None:
        raise EngineUnavailable("The speech engine vosk is not installed (pip install vosk).")
    if not config.model_path or not Path(config.model_path).is_dir():
        raise EngineUnavailable("The vosk model was not found (set TRANSCRIPTION_MODEL_PATH to its folder).")


def _segment(result_json: str) -> Segment | None:
    result: dict[str, Any] = json.loads(result_json)
    words = result.get("result") or []
    text = str(result.get("text") or "").strip()
    if not words or not text:
        return None
    return Segment(start=float(words[0]["start"]), end=float(words[-1]["end"]), text=text)


class VoskEngine:
    name = NAME

    def __init__(self, config: EngineConfig) -> None:
        import vosk

        vosk.SetLogLevel(-1)
        try:
            self._model = vosk.Model(config.model_path)
        except Exception as exc:  # vosk raises a bare Exception for a model it cannot load
            raise EngineUnavailable("The vosk model could not be loaded.") from exc
        self.language = config.language

    def transcribe(self, wav: Path) -> Iterator[Segment]:
        import vosk

        recogniser = vosk.KaldiRecognizer(self._model, SAMPLE_RATE)
        recogniser.SetWords(True)
        with open_pcm(wav) as pcm:
            while chunk := pcm.read(CHUNK_FRAMES * 2):
                if recogniser.AcceptWaveform(chunk) and (segment := _segment(recogniser.Result())):
                    yield segment
        if segment := _segment(recogniser.FinalResult()):
            yield segment


def load(config: EngineConfig) -> VoskEngine:
    check(config)
    return VoskEngine(config)
