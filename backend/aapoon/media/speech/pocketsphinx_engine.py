"""The default engine: PocketSphinx, offline, with the US English model its package ships.

Voice activity (its `Segmenter`) cuts each file into utterances; the `Decoder` recognises each
one, and its word segmentation (`seg()`, frames at 100 per second) gives the times of the first
and last word. TRANSCRIPTION_MODEL_PATH may name a folder laid out like the package's own model
(`<language>/` acoustic model, `<language>.lm.bin`, `cmudict-<language>.dict`) for another model.
"""

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aapoon.media.speech.base import SAMPLE_RATE, EngineConfig, EngineUnavailable, Segment
from aapoon.media.speech.wav import open_pcm

NAME = "pocketsphinx"
DEFAULT_LANGUAGE = "en-us"
FRAMES_PER_SECOND = 100
# "<s>", "</s>", "<sil>", "[NOISE]", "++BREATH++": silence and noise, not words.
NOT_A_WORD = re.compile(r"^(<.*>|\[.*\]|\+\+.*\+\+)$")
# Alternative pronunciations come back as "that(2)".
ALTERNATIVE = re.compile(r"\(\d+\)$")


def _model_files(config: EngineConfig) -> dict[str, str]:
    language = config.language or DEFAULT_LANGUAGE
    if not config.model_path:
        if language != DEFAULT_LANGUAGE:
            raise EngineUnavailable(
                f"pocketsphinx has only an en-us model built in; for {language} set "
                "TRANSCRIPTION_ENGINE=vosk or faster-whisper with a model."
            )
        return {}  # the decoder's defaults: the model inside the package
    folder = Path(config.model_path)
    files = {
        "hmm": folder / language,
        "lm": folder / f"{language}.lm.bin",
        "dict": folder / f"cmudict-{language}.dict",
    }
    if not all(path.exists() for path in files.values()):
        raise EngineUnavailable(f"The pocketsphinx model for {language} was not found.")
    return {key: str(path) for key, path in files.items()}


def check(config: EngineConfig) -> None:
    if importlib.util.find_spec("pocketsphinx") is None:
        raise EngineUnavailable("The speech engine pocketsphinx is not installed.")
    _model_files(config)


class PocketsphinxEngine:
    name = NAME

    def __init__(self, config: EngineConfig) -> None:
        from pocketsphinx import Decoder

        self.language = config.language or DEFAULT_LANGUAGE
        self._decoder = Decoder(loglevel="FATAL", samprate=SAMPLE_RATE, **_model_files(config))

    def _words(self) -> list[Any]:
        return [word for word in self._decoder.seg() if not NOT_A_WORD.match(word.word)]

    def transcribe(self, wav: Path) -> Iterator[Segment]:
        from pocketsphinx import Segmenter

        with open_pcm(wav) as pcm:
            for speech in Segmenter(sample_rate=SAMPLE_RATE).segment(pcm):
                self._decoder.start_utt()
                self._decoder.process_raw(speech.pcm, full_utt=True)
                self._decoder.end_utt()
                words = self._words()
                if not words:
                    continue
                yield Segment(
                    start=speech.start_time + words[0].start_frame / FRAMES_PER_SECOND,
                    end=speech.start_time + (words[-1].end_frame + 1) / FRAMES_PER_SECOND,
                    text=" ".join(ALTERNATIVE.sub("", word.word) for word in words),
                )


def load(config: EngineConfig) -> PocketsphinxEngine:
    check(config)
    return PocketsphinxEngine(config)
