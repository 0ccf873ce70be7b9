"""The speech engines on real speech (espeak-ng, made at test time): what pocketsphinx hears and
when, the child process that runs an engine, and engines that cannot run here."""

import os
import wave
from pathlib import Path

import pytest

from aapoon.media.speech import samples
from aapoon.media.speech.base import EngineConfig, EngineUnavailable
from aapoon.media.speech.engines import engine_check, engine_load
from aapoon.media.speech.process import SpeechFailed, transcribe_files
from aapoon.media.speech.samples import COUNTING_ON, COUNTING_UP, MOSTLY
from aapoon.media.tools import Deadline, OutOfTime

POCKETSPHINX = EngineConfig(name="pocketsphinx", model_path="", language="")


@pytest.fixture(autouse=True)
def _tools() -> None:
    missing = samples.missing_tools()
    if missing:
        reason = f"missing {', '.join(missing)} (apt-get install espeak-ng ffmpeg)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def test_pocketsphinx_hears_the_words_and_when_they_were_said(tmp_path):
    wav = samples.speak(COUNTING_UP, tmp_path / "up.wav", silence_before=1.0, silence_after=1.0)
    engine = engine_load(POCKETSPHINX)

    segments = list(engine.transcribe(wav))

    assert engine.name == "pocketsphinx" and engine.language == "en-us"
    assert len(segments) == 1
    [segment] = segments
    assert COUNTING_UP.heard_in(segment.text) >= MOSTLY, segment.text
    # The words start after the second of silence (espeak-ng adds a little of its own).
    assert 0.9 <= segment.start <= 1.4, segment
    assert segment.start < segment.end <= wav.stat().st_size / 32000 - 0.5, segment


def test_two_utterances_come_back_as_two_segments_in_order(tmp_path):
    first = samples.speak(COUNTING_ON, tmp_path / "a.wav", silence_before=0.5, silence_after=1.5)
    second = samples.speak(COUNTING_UP, tmp_path / "b.wav", silence_before=0.0, silence_after=1.0)
    wav = samples.concatenate([first, second], tmp_path / "both.wav")
    first_length = first.stat().st_size / 32000

    segments = list(engine_load(POCKETSPHINX).transcribe(wav))

    assert len(segments) == 2, segments
    assert COUNTING_ON.heard_in(segments[0].text) >= MOSTLY, segments
    assert COUNTING_UP.heard_in(segments[1].text) >= MOSTLY, segments
    assert segments[0].end < first_length <= segments[1].start < segments[1].end


def test_silence_has_no_segments(tmp_path):
    silent = tmp_path / "silent.wav"
    with wave.open(str(silent), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(bytes(3 * 16000 * 2))
    assert list(engine_load(POCKETSPHINX).transcribe(silent)) == []


def test_the_child_process_transcribes_each_file_and_reports_progress(tmp_path):
    wavs = [
        samples.speak(COUNTING_UP, tmp_path / "up.wav"),
        samples.speak(COUNTING_ON, tmp_path / "on.wav"),
    ]
    progress: list[tuple[int, float]] = []

    result = transcribe_files(POCKETSPHINX, wavs, Deadline(120), lambda done, at: progress.append((done, at)))

    assert result.language == "en-us"
    assert [len(segments) for segments in result.segments] == [1, 1]
    assert COUNTING_UP.heard_in(result.segments[0][0].text) >= MOSTLY
    assert COUNTING_ON.heard_in(result.segments[1][0].text) >= MOSTLY
    # A report after each segment (files done, where it ended), and one as each file is finished.
    assert progress == [
        (0, result.segments[0][0].end),
        (1, 0.0),
        (1, result.segments[1][0].end),
        (2, 0.0),
    ]


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        (
            EngineConfig(name="vosk", model_path="", language=""),
            "The speech engine vosk is not installed (pip install vosk).",
        ),
        (
            EngineConfig(name="faster-whisper", model_path="/models/whisper", language="hi"),
            "The speech engine faster-whisper is not installed (pip install faster-whisper).",
        ),
        (
            EngineConfig(name="sphinx3", model_path="", language=""),
            "Unknown speech engine 'sphinx3' (TRANSCRIPTION_ENGINE).",
        ),
        (
            EngineConfig(name="pocketsphinx", model_path="", language="hi"),
            "pocketsphinx has only an en-us model built in; for hi set TRANSCRIPTION_ENGINE=vosk "
            "or faster-whisper with a model.",
        ),
        (
            EngineConfig(name="pocketsphinx", model_path="/nonexistent/model", language=""),
            "The pocketsphinx model for en-us was not found.",
        ),
    ],
)
def test_an_engine_that_cannot_run_says_why_in_and_out_of_the_child(tmp_path, config, reason):
    with pytest.raises(EngineUnavailable) as checked:
        engine_check(config)
    assert checked.value.reason == reason

    wav = samples.speak(COUNTING_UP, tmp_path / "up.wav")
    progress: list[tuple[int, float]] = []
    with pytest.raises(EngineUnavailable) as ran:
        transcribe_files(config, [wav], Deadline(120), lambda *args: progress.append(args))
    assert ran.value.reason == reason
    assert progress == []


def test_a_file_the_engine_cannot_read_fails_the_child(tmp_path):
    wrong_rate = samples.speak(COUNTING_UP, tmp_path / "up.wav", sample_rate=8000)
    with pytest.raises(SpeechFailed):
        transcribe_files(POCKETSPHINX, [wrong_rate], Deadline(120), lambda *args: None)


def test_the_child_is_stopped_at_the_deadline(tmp_path):
    # A "file" that never ends: the child waits on it until it is killed.
    endless = tmp_path / "endless.wav"
    os.mkfifo(endless)
    with pytest.raises(OutOfTime):
        transcribe_files(POCKETSPHINX, [endless], Deadline(1), lambda *args: None)


def test_a_deadline_already_passed_starts_no_child(tmp_path):
    with pytest.raises(OutOfTime):
        transcribe_files(POCKETSPHINX, [Path("/nonexistent.wav")], Deadline(0), lambda *args: None)
