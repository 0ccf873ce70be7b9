"""Transcripts from real recorded speech: after the video, each participant's microphone is
transcribed, named and placed on the video's timeline; the .mjr files go only once the transcript
is made; failures leave a short reason, no segments, the source files and no temporary files."""

import datetime as dt
import logging
import os
import tempfile
import uuid
from pathlib import Path

import pytest
from dbtasks.models import ScheduledTask
from django.utils import timezone

from aapoon.accounts.tests.factories import make_user
from aapoon.media import compose, tools, transcripts
from aapoon.media.models import Recording, Transcript, TranscriptSegment
from aapoon.media.speech.samples import MOSTLY
from aapoon.media.tasks import recording_process, transcript_process
from aapoon.media.tests.processes import children_named
from aapoon.media.tests.recording_factories import (
    copy_mjr,
    make_recording,
    make_sfu_meeting,
    require_media_tools,
)
from aapoon.media.tests.transcript_factories import (
    PHRASES,
    SPEAKERS,
    SPEECH,
    SPEECH_MJR_DIR,
    copy_speech_mjr,
    make_speakers,
    make_transcript,
    require_speech_tools,
)

pytestmark = pytest.mark.django_db
Status = Transcript.Status
ASHA, RAVI = SPEAKERS
# The fixture's clips start with half a second of silence; an utterance is under 2.5 s.
LEAD_MS, UTTERANCE_MS = 500, 2500


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_media_tools()
    require_speech_tools()


@pytest.fixture
def small_canvas(monkeypatch) -> None:
    monkeypatch.setattr(compose, "CANVAS", (160, 90))


@pytest.fixture
def temp_dir(tmp_path, monkeypatch) -> Path:
    """Where the work's temporary files go, to check that none are left."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def feed_offsets_ms() -> tuple[int, dict[str, float]]:
    """The video's t=0 (the first packet of any feed, µs), and where each speaker's audio feed
    starts on that timeline (ms)."""
    starts: dict[str, int] = {}
    every: list[int] = []
    for mjr in sorted(SPEECH_MJR_DIR.glob("*.mjr")):
        header = compose.mjr_header(mjr, tools.Deadline(30))
        assert header is not None
        first_packet = int(header.get("u") or header["s"])
        every.append(first_packet)
        name = compose.MJR_NAME.search(mjr.name)
        assert name is not None
        if name["kind"] == "audio":
            starts[name["publisher"]] = first_packet
    base = min(every)
    return base, {publisher: (start - base) / 1000 for publisher, start in starts.items()}


def stopped_recording(meeting, source: Path) -> Recording:
    started_at = timezone.now() - dt.timedelta(seconds=SPEECH["span_sec"])
    return make_recording(
        meeting,
        status=Recording.Status.PROCESSING,
        source_dir=source,
        started_at=started_at,
        stopped_at=timezone.now(),
    )


def transcribed_meeting(**values):
    return make_sfu_meeting(host=make_user(email="hema@example.com"), transcription_enabled=True, **values)


def segments_of(transcript: Transcript) -> list[TranscriptSegment]:
    return list(transcript.segments.order_by("start_ms", "id"))


# ---- the whole way: recording -> video -> transcript ---------------------------------------------


def test_after_the_video_each_speaker_is_transcribed_named_and_placed_on_its_timeline(
    tmp_path, small_canvas, temp_dir, monkeypatch, django_capture_on_commit_callbacks
):
    meeting = transcribed_meeting()
    asha, ravi = make_speakers(meeting)
    source = copy_speech_mjr(tmp_path / "src")
    recording = stopped_recording(meeting, source)

    with django_capture_on_commit_callbacks(execute=True):
        recording_process.call(str(recording.pk))

    recording.refresh_from_db()
    transcript = Transcript.objects.get(recording=recording)
    assert recording.status == Recording.Status.READY
    assert (transcript.status, transcript.progress, transcript.engine) == (
        Status.PROCESSING,
        0,
        "pocketsphinx",
    )
    assert source.exists()  # kept for the transcript
    base_us, offsets = feed_offsets_ms()
    assert recording.timeline_start_us == base_us

    seen: list[int] = []
    real_set_progress = transcripts._set_progress

    def spy(transcript_id, percent):
        real_set_progress(transcript_id, percent)
        seen.append(Transcript.objects.get(pk=transcript_id).progress)

    monkeypatch.setattr(transcripts, "_set_progress", spy)
    with django_capture_on_commit_callbacks(execute=True):
        transcript_process.call(str(transcript.pk))

    transcript.refresh_from_db()
    assert (transcript.status, transcript.progress, transcript.error) == (Status.READY, 100, "")
    assert transcript.language == "en-us"
    assert seen[0] == transcripts.CONVERTED_PERCENT and seen == sorted(seen) and seen[-1] > 90
    rows = segments_of(transcript)
    assert [row.start_ms for row in rows] == sorted(row.start_ms for row in rows)
    for participant, speaker in ((asha, ASHA), (ravi, RAVI)):
        own = [row for row in rows if row.speaker_id == participant.pk]
        assert own and {row.speaker_name for row in own} == {participant.display_name}
        phrase = PHRASES[speaker["phrase"]]
        assert max(phrase.heard_in(row.text) for row in own) >= MOSTLY, [row.text for row in own]
        # The first words come after the clip's lead of silence, counted from the feed's start.
        offset = offsets[speaker["publisher"]]
        assert offset + LEAD_MS * 0.8 <= own[0].start_ms <= offset + LEAD_MS + UTTERANCE_MS, (offset, own[0])
        assert all(row.start_ms < row.end_ms <= SPEECH["span_sec"] * 1000 + 100 for row in own)
    assert offsets[RAVI["publisher"]] > 2000  # he joined later: his words are that much later
    assert not source.exists()  # gone once the transcript is stored
    assert list(temp_dir.iterdir()) == []


def test_a_meeting_without_transcription_cleans_up_as_before(
    tmp_path, small_canvas, django_capture_on_commit_callbacks
):
    meeting = make_sfu_meeting(host=make_user(email="hema@example.com"))
    recording = make_recording(
        meeting, status=Recording.Status.PROCESSING, source_dir=copy_mjr(tmp_path / "src")
    )
    with django_capture_on_commit_callbacks(execute=True):
        recording_process.call(str(recording.pk))
    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY
    assert not Transcript.objects.exists()
    assert not (tmp_path / "src").exists()


def queued() -> list[tuple[str, list[str]]]:
    return list(ScheduledTask.objects.values_list("task_path", "args"))


def test_the_transcript_task_is_queued_after_the_video_is_stored(
    tmp_path, small_canvas, django_capture_on_commit_callbacks
):
    recording = stopped_recording(transcribed_meeting(), copy_speech_mjr(tmp_path / "src"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recording_process.call(str(recording.pk))
    assert queued() == []  # not before the commit
    for callback in callbacks:
        callback()
    transcript = Transcript.objects.get(recording=recording)
    assert queued() == [("aapoon.media.tasks.transcript_process", [str(transcript.pk)])]


def test_a_speaker_who_is_not_a_participant_is_an_unknown_speaker(
    tmp_path, django_capture_on_commit_callbacks
):
    meeting = transcribed_meeting()
    [asha] = make_speakers(meeting, only=1)
    recording = stopped_recording(meeting, copy_speech_mjr(tmp_path / "src"))
    recording.status, recording.duration_sec = Recording.Status.READY, SPEECH["span_sec"]
    recording.save()
    transcript = make_transcript(recording, status=Status.PROCESSING)

    with django_capture_on_commit_callbacks(execute=True):
        transcript_process.call(str(transcript.pk))

    rows = segments_of(transcript)
    assert {(row.speaker_id, row.speaker_name) for row in rows} == {
        (asha.pk, "Asha Rao"),
        (None, transcripts.UNKNOWN_SPEAKER),
    }


def test_screen_share_audio_is_not_a_speaker(tmp_path, django_capture_on_commit_callbacks):
    meeting = transcribed_meeting()
    [asha] = make_speakers(meeting, only=1)
    source = copy_speech_mjr(tmp_path / "src")
    for mjr in source.glob(f"*{RAVI['publisher']}*"):
        mjr.rename(mjr.with_name(mjr.name.replace(RAVI["publisher"], f"{ASHA['publisher']}:screen")))
    recording = stopped_recording(meeting, source)
    recording.status = Recording.Status.READY
    recording.save()
    transcript = make_transcript(recording, status=Status.PROCESSING)

    with django_capture_on_commit_callbacks(execute=True):
        transcript_process.call(str(transcript.pk))

    transcript.refresh_from_db()
    assert transcript.status == Status.READY
    assert {row.speaker_id for row in segments_of(transcript)} == {asha.pk}


def test_a_second_run_of_a_ready_transcript_does_nothing(tmp_path, django_capture_on_commit_callbacks):
    meeting = transcribed_meeting()
    make_speakers(meeting)
    source = copy_speech_mjr(tmp_path / "src")
    recording = stopped_recording(meeting, source)
    transcript = make_transcript(recording, status=Status.PROCESSING)
    with django_capture_on_commit_callbacks(execute=True):
        transcript_process.call(str(transcript.pk))
    transcript.refresh_from_db()
    before = transcript.updated_at, list(TranscriptSegment.objects.order_by("pk").values())
    assert transcript.status == Status.READY and before[1]

    copy_speech_mjr(source)  # even with the files back, nothing is done again
    transcript_process.call(str(transcript.pk))
    transcript_process.call(str(uuid.uuid4()))  # and a transcript that is gone is no error

    transcript.refresh_from_db()
    assert (transcript.updated_at, list(TranscriptSegment.objects.order_by("pk").values())) == before


def test_a_recording_with_no_microphone_on_gets_an_empty_ready_transcript(
    tmp_path, django_capture_on_commit_callbacks
):
    source = copy_speech_mjr(tmp_path / "src")
    for mjr in compose.mjr_files(source, "audio"):
        mjr.unlink()
    transcript = make_transcript(stopped_recording(transcribed_meeting(), source), status=Status.PROCESSING)
    with django_capture_on_commit_callbacks(execute=True):
        transcript_process.call(str(transcript.pk))
    transcript.refresh_from_db()
    assert (transcript.status, transcript.progress, transcript.error) == (Status.READY, 100, "")
    assert not TranscriptSegment.objects.exists()
    assert not source.exists()


def test_source_files_that_are_gone_fail_the_transcript(tmp_path, temp_dir):
    transcript = make_transcript(
        stopped_recording(transcribed_meeting(), tmp_path / "gone"), status=Status.PROCESSING
    )
    transcript_process.call(str(transcript.pk))
    transcript.refresh_from_db()
    assert (transcript.status, transcript.error) == (Status.FAILED, "No media was recorded.")
    assert list(temp_dir.iterdir()) == []


# ---- failures: a reason, nothing half-written, the source kept, no temporary files -------------------


def assert_failed_cleanly(transcript: Transcript, source: Path, temp_dir: Path, reason: str) -> None:
    transcript.refresh_from_db()
    assert (transcript.status, transcript.error) == (Status.FAILED, reason)
    assert not TranscriptSegment.objects.exists()
    assert sorted(path.name for path in source.glob("*.mjr")) == sorted(
        path.name for path in copy_speech_mjr(source.parent / "expected").glob("*.mjr")
    )
    assert list(temp_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("engine", "reason"),
    [
        ("vosk", "The speech engine vosk is not installed (pip install vosk)."),
        ("faster-whisper", "The speech engine faster-whisper is not installed (pip install faster-whisper)."),
    ],
)
def test_a_configured_engine_that_is_missing_fails_with_its_reason(
    tmp_path, temp_dir, settings, caplog, engine, reason, django_capture_on_commit_callbacks
):
    settings.TRANSCRIPTION_ENGINE = engine
    settings.TRANSCRIPTION_MODEL_PATH = str(tmp_path)
    meeting = transcribed_meeting()
    make_speakers(meeting)
    source = copy_speech_mjr(tmp_path / "src")
    transcript = make_transcript(stopped_recording(meeting, source), status=Status.PROCESSING)

    with (
        caplog.at_level(logging.WARNING, logger="aapoon.media.transcripts"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        transcript_process.call(str(transcript.pk))

    assert_failed_cleanly(transcript, source, temp_dir, reason)
    assert transcript.engine == engine
    assert [record.getMessage() for record in caplog.records] == [f"transcript {transcript.pk}: {reason}"]


def test_tools_out_of_time_fail_the_transcript_and_leave_no_tool_behind(
    tmp_path, temp_dir, monkeypatch, django_capture_on_commit_callbacks
):
    # The real converter, and an ffmpeg that never finishes: the deadline must stop it.
    tools_dir = tmp_path / "bin"
    tools_dir.mkdir()
    (tools_dir / "ffmpeg").write_text("#!/bin/sh\nexec sleep 60\n")
    (tools_dir / "ffmpeg").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools_dir}:{os.environ['PATH']}")
    monkeypatch.setattr(tools, "MIN_TIME_LIMIT_SECONDS", 3)
    meeting = transcribed_meeting()
    source = copy_speech_mjr(tmp_path / "src")
    recording = stopped_recording(meeting, source)
    recording.duration_sec = 0.1
    recording.save()
    transcript = make_transcript(recording, status=Status.PROCESSING)

    with django_capture_on_commit_callbacks(execute=True):
        transcript_process.call(str(transcript.pk))

    assert_failed_cleanly(transcript, source, temp_dir, "Transcription took too long.")
    assert children_named("sleep") == children_named("janus-pp-rec") == []


def test_a_failed_transcript_is_tried_again(tmp_path, temp_dir, settings, django_capture_on_commit_callbacks):
    settings.TRANSCRIPTION_ENGINE = "vosk"
    meeting = transcribed_meeting()
    make_speakers(meeting)
    source = copy_speech_mjr(tmp_path / "src")
    transcript = make_transcript(stopped_recording(meeting, source), status=Status.PROCESSING)
    transcript_process.call(str(transcript.pk))
    transcript.refresh_from_db()
    assert transcript.status == Status.FAILED

    settings.TRANSCRIPTION_ENGINE = "pocketsphinx"
    with django_capture_on_commit_callbacks(execute=True):
        transcript_process.call(str(transcript.pk))

    transcript.refresh_from_db()
    assert (transcript.status, transcript.error, transcript.engine) == (Status.READY, "", "pocketsphinx")
    assert {row.speaker_name for row in segments_of(transcript)} == {"Asha Rao", "Ravi Iyer"}
    assert not source.exists()


def test_an_unexpected_error_is_a_short_reason_not_a_traceback(tmp_path, temp_dir, monkeypatch):
    meeting = transcribed_meeting()
    source = copy_speech_mjr(tmp_path / "src")
    transcript = make_transcript(stopped_recording(meeting, source), status=Status.PROCESSING)

    def broken(*args, **kwargs):
        raise OSError("disk on fire at /secret/path")

    monkeypatch.setattr(transcripts, "transcribe_files", broken)
    transcript_process.call(str(transcript.pk))

    assert_failed_cleanly(transcript, source, temp_dir, "Transcription failed unexpectedly.")


def test_storing_rolls_back_whole_if_the_commit_fails(tmp_path, temp_dir, monkeypatch):
    meeting = transcribed_meeting()
    make_speakers(meeting)
    source = copy_speech_mjr(tmp_path / "src")
    transcript = make_transcript(stopped_recording(meeting, source), status=Status.PROCESSING)
    real_save = Transcript.save

    def save_then_fail(self, *args, **kwargs):
        real_save(self, *args, **kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Transcript, "save", save_then_fail)
    transcript_process.call(str(transcript.pk))

    assert_failed_cleanly(transcript, source, temp_dir, "Transcription failed unexpectedly.")
