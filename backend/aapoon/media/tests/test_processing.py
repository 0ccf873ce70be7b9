"""The processing service around the pipeline: a stopped recording becomes a ready one with its
stored video (or a failed one with a short reason), and its .mjr files go once the video is kept."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from aapoon.accounts.tests.factories import make_user
from aapoon.files.models import StoredFile
from aapoon.media import compose, processing
from aapoon.media.models import Recording
from aapoon.media.tasks import recording_process
from aapoon.media.tests.recording_factories import (
    MJR_DIR,
    MJR_SPAN,
    copy_mjr,
    corrupt_mjr,
    make_recording,
    make_sfu_meeting,
    require_media_tools,
    stored_bytes,
)

Status = Recording.Status
SMALL = (320, 180)


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_media_tools()


@pytest.fixture
def small_canvas(monkeypatch) -> None:
    """The tests' videos are 160x120; a small canvas keeps encoding quick."""
    monkeypatch.setattr(compose, "CANVAS", SMALL)


@pytest.mark.django_db
def test_processing_writes_a_ready_recording_and_its_file(
    tmp_path, small_canvas, monkeypatch, django_capture_on_commit_callbacks
):
    host = make_user(email="hema@example.com")
    meeting = make_sfu_meeting(host=host, title="Weekly / sync")
    recording = make_recording(meeting, status=Status.PROCESSING, source_dir=copy_mjr(tmp_path / "src"))
    seen: list[int] = []
    real_set_progress = processing._set_progress

    def spy(recording_id, percent):
        real_set_progress(recording_id, percent)
        seen.append(Recording.objects.get(pk=recording_id).progress)

    monkeypatch.setattr(processing, "_set_progress", spy)
    with django_capture_on_commit_callbacks(execute=True):
        recording_process.call(str(recording.pk))

    recording.refresh_from_db()
    assert recording.status == Status.READY
    assert recording.progress == 100
    assert seen and seen[-1] == 99  # the row moved while ffmpeg worked
    assert recording.error == ""
    assert abs(recording.duration_sec - MJR_SPAN["span_sec"]) < 1
    stored = recording.file
    assert stored is not None
    content = stored_bytes(stored)
    assert stored.kind == StoredFile.Kind.RECORDING
    assert stored.owner_id == host.pk
    assert stored.mime_type == "video/mp4"
    assert stored.size_bytes == len(content) == recording.size_bytes
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.original_name.startswith("Weekly  sync ") and stored.original_name.endswith(".mp4")
    assert not (tmp_path / "src").exists()  # the .mjr files go once the video is stored


@pytest.mark.django_db
def test_the_mjr_files_stay_if_storing_the_video_rolls_back(
    tmp_path, small_canvas, django_capture_on_commit_callbacks
):
    meeting = make_sfu_meeting(host=make_user(email="hema@example.com"))
    recording = make_recording(meeting, status=Status.PROCESSING, source_dir=copy_mjr(tmp_path / "src"))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        recording_process.call(str(recording.pk))
        raise RuntimeError("rolled back")
    kept = sorted(path.name for path in (tmp_path / "src").glob("*.mjr"))
    assert kept == sorted(path.name for path in MJR_DIR.glob("*.mjr"))


@pytest.mark.django_db
def test_processing_is_idempotent(tmp_path, small_canvas):
    meeting = make_sfu_meeting(host=make_user(email="hema@example.com"))
    recording = make_recording(meeting, status=Status.PROCESSING, source_dir=copy_mjr(tmp_path / "src"))
    recording_process.call(str(recording.pk))
    recording.refresh_from_db()
    first_file, first_updated = recording.file_id, recording.updated_at

    recording_process.call(str(recording.pk))  # e.g. the task delivered twice

    recording.refresh_from_db()
    assert recording.status == Status.READY
    assert (recording.file_id, recording.updated_at) == (first_file, first_updated)
    assert StoredFile.objects.count() == 1


@pytest.mark.django_db
def test_a_recording_still_running_or_gone_is_left_alone(tmp_path):
    meeting = make_sfu_meeting(host=make_user(email="hema@example.com"))
    running = make_recording(meeting, status=Status.RECORDING, source_dir=copy_mjr(tmp_path / "src"))
    recording_process.call(str(running.pk))
    recording_process.call("00000000-0000-7000-8000-000000000000")
    running.refresh_from_db()
    assert (running.status, running.progress, running.file_id) == (Status.RECORDING, 0, None)
    assert StoredFile.objects.count() == 0


def stored_recordings() -> list[str]:
    return default_storage.listdir("recording")[1] if default_storage.exists("recording") else []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_source", "reason"),
    [
        (lambda folder: folder, "No media was recorded."),  # the folder was never made
        (lambda folder: folder.mkdir() or folder, "No media was recorded."),
        (corrupt_mjr, "The recorded files could not be read."),
    ],
)
def test_an_empty_or_corrupt_source_fails_with_a_reason_and_no_file(tmp_path, make_source, reason):
    meeting = make_sfu_meeting(host=make_user(email="hema@example.com"))
    source = make_source(tmp_path / "src")
    source_existed = source.exists()
    recording = make_recording(meeting, status=Status.PROCESSING, source_dir=source)
    files_before = stored_recordings()

    recording_process.call(str(recording.pk))

    recording.refresh_from_db()
    assert (recording.status, recording.error, recording.file_id) == (Status.FAILED, reason, None)
    assert StoredFile.objects.count() == 0
    assert stored_recordings() == files_before
    assert source.exists() == source_existed  # kept for a retry


@pytest.mark.django_db
def test_an_unexpected_error_is_a_short_reason_not_a_traceback(tmp_path, monkeypatch):
    meeting = make_sfu_meeting(host=make_user(email="hema@example.com"))
    recording = make_recording(meeting, status=Status.PROCESSING, source_dir=copy_mjr(tmp_path / "src"))

    def broken(*args, **kwargs):
        raise OSError("disk on fire at /secret/path")

    monkeypatch.setattr(compose, "compose", broken)
    recording_process.call(str(recording.pk))

    recording.refresh_from_db()
    assert (recording.status, recording.error) == (Status.FAILED, "Processing failed unexpectedly.")
    assert StoredFile.objects.count() == 0
