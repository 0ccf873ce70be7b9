"""faster-whisper (CTranslate2 Whisper) on the CPU, offline, with a converted model the operator
downloaded (e.g. Systran/faster-whisper-small); many languages, Indian ones among them. Not a
dependency: `pip install faster-whisper`. TRANSCRIPTION_LANGUAGE ("hi", "ta", ...) or empty to
let the model detect it."""

import importlib.util
from collections.abc import Iterator
from pathlib import Path

from aapoon.media.speech.base import EngineConfig, EngineUnavailable, Segment

NAME = "faster-whisper"


def check(config: EngineConfig) -> None:
    if importlib.util.find_spec("faster_whisper") is None:
        raise EngineUnavailable(
            "The speech engine faster-whisper is not installed (pip install faster-whisper)."
        )
    if not config.model_path or not Path(config.model_path).is_dir():
        raise EngineUnavailable(
            "The faster-whisper model was not found (set TRANSCRIPTION_MODEL_PATH to its folder)."
        )


class WhisperEngine:
    name = NAME

    def __init__(self, config: EngineConfig) -> None:
        from faster_whisper import WhisperModel

        try:
            # local_files_only: never a download from a model hub at run time.
            self._model = WhisperModel(
                config.model_path, device="cpu", compute_type="int8", local_files_only=True
            )
        except Exception as exc:  # CTranslate2 raises RuntimeError/ValueError for a bad model
            raise EngineUnavailable("The faster-whisper model could not be loaded.") from exc
        self._language = config.language
        self.language = config.language

    def transcribe(self, wav: Path) -> Iterator[Segment]:
        segments, info = self._model.transcribe(str(wav), language=self._language or None, vad_filter=True)
        self.language = self._language or str(info.language)
        for segment in segments:
            text = str(segment.text).strip()
            if text:
                yield Segment(start=float(segment.start), end=float(segment.end), text=text)


def load(config: EngineConfig) -> WhisperEngine:
    check(config)
    return WhisperEngine(config)
