"""The engines by name; each module imports its package only when asked to load."""

import importlib
from types import ModuleType

from aapoon.media.speech.base import EngineConfig, EngineUnavailable, SpeechEngine

MODULES = {
    "pocketsphinx": "aapoon.media.speech.pocketsphinx_engine",
    "vosk": "aapoon.media.speech.vosk_engine",
    "faster-whisper": "aapoon.media.speech.whisper_engine",
}


def _module(config: EngineConfig) -> ModuleType:
    path = MODULES.get(config.name)
    if path is None:
        raise EngineUnavailable(f"Unknown speech engine {config.name!r} (TRANSCRIPTION_ENGINE).")
    return importlib.import_module(path)


def engine_check(config: EngineConfig) -> None:
    """Cheap, without loading a model: EngineUnavailable if the engine cannot run here."""
    _module(config).check(config)


def engine_load(config: EngineConfig) -> SpeechEngine:
    engine: SpeechEngine = _module(config).load(config)
    return engine
