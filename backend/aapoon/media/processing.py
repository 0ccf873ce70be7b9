"""The background work on a stopped recording: its .mjr files -> one stored MP4 (compose.py),
with the progress on the row as it goes. Once the video is stored (after commit) the .mjr folder
is removed, or, when the meeting is transcribed, once the transcript is made (transcripts.py);
a failed recording keeps it, for a retry.
"""

import logging
import re
import shutil
import tempfile
import uuid
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from aapoon.files.file_store import stored_file_create_from_path
from aapoon.files.models import StoredFile
from aapoon.media import compose
from aapoon.media.compose import Composed, ComposeError
from aapoon.media.models import Recording
from aapoon.media.transcripts import transcript_queue

logger = logging.getLogger(__name__)


def _file_name(recording: Recording) -> str:
    title = re.sub(r"[^\w\- ]+", "", recording.meeting.title).strip() or "meeting"
    return f"{title} {timezone.localtime(recording.started_at):%Y-%m-%d %H.%M}.mp4"


def _wall_span(recording: Recording) -> float:
    """How long the recording ran, by the clock (the recorded media is never longer)."""
    stopped_at = recording.stopped_at or timezone.now()
    return max(0.0, (stopped_at - recording.started_at).total_seconds())


def _set_progress(recording_id: uuid.UUID, percent: int) -> None:
    Recording.objects.filter(pk=recording_id, status=Recording.Status.PROCESSING).update(progress=percent)


def _fail(recording_id: uuid.UUID, reason: str) -> None:
    Recording.objects.filter(pk=recording_id, status=Recording.Status.PROCESSING).update(
        status=Recording.Status.FAILED, error=reason[:300], updated_at=timezone.now()
    )


def _store(recording_id: uuid.UUID, output: Path, composed: Composed) -> None:
    with transaction.atomic():
        recording = (
            Recording.objects.select_for_update().select_related("meeting").filter(pk=recording_id).first()
        )
        # Deleted meanwhile, or another run already finished it: keep what is there.
        if recording is None or recording.status != Recording.Status.PROCESSING:
            return
        stored = stored_file_create_from_path(
            owner_id=recording.meeting.host_id,
            kind=StoredFile.Kind.RECORDING,
            path=output,
            mime_type="video/mp4",
            original_name=_file_name(recording),
        )
        recording.file = stored
        recording.status = Recording.Status.READY
        recording.progress = 100
        recording.duration_sec = round(composed.duration_sec, 3)
        recording.size_bytes = stored.size_bytes
        recording.error = ""
        recording.timeline_start_us = composed.base_us
        recording.save(
            update_fields=[
                "file", "status", "progress", "duration_sec", "size_bytes", "error", "timeline_start_us",
                "updated_at",
            ]
        )  # fmt: skip
        # A transcript to make reads the .mjr files next and removes them when done.
        if transcript_queue(recording=recording):
            return
        # Otherwise they served their purpose; a rollback keeps them.
        source = Path(recording.source_dir)
        transaction.on_commit(lambda: shutil.rmtree(source, ignore_errors=True))


def recording_compose(*, recording_id: uuid.UUID) -> None:
    """Turn a stopped recording into its video. Idempotent: a recording that is ready (or still
    recording, or gone) is left alone; a failed one is tried again."""
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None or recording.status in (Recording.Status.READY, Recording.Status.RECORDING):
        return
    Recording.objects.filter(pk=recording_id).update(
        status=Recording.Status.PROCESSING, progress=0, error="", updated_at=timezone.now()
    )
    workdir = Path(tempfile.mkdtemp(prefix="aapoon-recording-"))
    try:
        output = workdir / "recording.mp4"
        composed = compose.compose(
            Path(recording.source_dir),
            output,
            on_progress=lambda p: _set_progress(recording_id, p),
            span_hint=_wall_span(recording),
        )
        _store(recording_id, output, composed)
    except ComposeError as exc:
        _fail(recording_id, exc.reason)
    except Exception:
        # The row gets a short reason; the details go to the log, never to the row.
        logger.exception("recording %s: processing failed", recording_id)
        _fail(recording_id, "Processing failed unexpectedly.")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
