"""Meetings on the SFU and recordings in each state, for the recording tests."""

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.files.models import StoredFile
from aapoon.files.services import stored_file_create
from aapoon.media.models import Recording
from aapoon.meetings.models import Meeting
from aapoon.meetings.tests.factories import make_meeting

# Real .mjr files from a real Janus (see fixtures/make_mjr.py): alice for the whole span, bob later.
MJR_DIR = Path(__file__).parent / "fixtures" / "mjr"
MJR_SPAN = json.loads((MJR_DIR / "span.json").read_text())


def require_tools(missing: list[str], packages: str) -> None:
    """Skip when tools are `missing`, except under CI where they must be present."""
    if not missing:
        return
    reason = f"missing {', '.join(missing)} (apt-get install {packages})"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def require_media_tools() -> None:
    missing = [tool for tool in ("janus-pp-rec", "ffmpeg", "ffprobe") if shutil.which(tool) is None]
    require_tools(missing, "janus-tools ffmpeg")


def copy_mjr(target: Path, source: Path = MJR_DIR) -> Path:
    """The .mjr fixtures of `source` copied into `target` (processing deletes what it reads)."""
    target.mkdir(parents=True, exist_ok=True)
    for mjr in source.glob("*.mjr"):
        shutil.copy(mjr, target / mjr.name)
    return target


def corrupt_mjr(folder: Path) -> Path:
    """A folder of .mjr files that janus-pp-rec cannot read."""
    folder.mkdir(parents=True)
    (folder / "videoroom-r-user-alice-1795333686482179-audio-0.mjr").write_bytes(b"MJR00002 but then garbage")
    (folder / "videoroom-r-user-alice-1795333686482564-video-1.mjr").write_bytes(b"")
    return folder


def make_sfu_meeting(
    *, host: User, node_name: str = "j1", recording_allowed: bool = True, **values: Any
) -> Meeting:
    meeting = make_meeting(host=host, recording_allowed=recording_allowed, **values)
    meeting.media_mode = Meeting.MediaMode.SFU
    meeting.conference_server_id = f"{node_name}/{meeting.pk}"
    meeting.save(update_fields=["media_mode", "conference_server_id"])
    return meeting


def make_recording(meeting: Meeting, *, status: str, source_dir: Path, **fields: Any) -> Recording:
    return Recording.objects.create(
        meeting=meeting,
        started_by=meeting.host,
        started_at=fields.pop("started_at", timezone.now()),
        status=status,
        source_dir=str(source_dir),
        **fields,
    )


VIDEO_BYTES = bytes(range(256)) * 40  # 10240 bytes, every offset tells which byte it is


def make_ready_recording(meeting: Meeting, *, source_dir: Path) -> Recording:
    stored = stored_file_create(
        owner_id=meeting.host_id,
        kind=StoredFile.Kind.RECORDING,
        content=VIDEO_BYTES,
        mime_type="video/mp4",
        extension=".mp4",
        original_name="Weekly 2026-01-05 10.00.mp4",
    )
    return make_recording(
        meeting,
        status=Recording.Status.READY,
        source_dir=source_dir,
        file=stored,
        stopped_at=timezone.now(),
        duration_sec=5.0,
        size_bytes=len(VIDEO_BYTES),
        progress=100,
    )


def stored_bytes(stored: StoredFile) -> bytes:
    with default_storage.open(stored.storage_key, "rb") as source:
        return bytes(source.read())
