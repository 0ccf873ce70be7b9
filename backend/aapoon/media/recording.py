"""Recording a meeting on the SFU: start, stop, continue after failover, delete (docs/sfu.md).

Janus writes each recording's .mjr files into a folder of its own, `RECORDINGS_DIR/<recording id>`:
the room's `rec_dir` is set to it (VideoRoom `edit` `new_rec_dir`) before `enable_recording`.
Janus is never called inside a database transaction (a slow node must not hold the meeting's
lock): start reserves the row first and removes it again if Janus refuses; stop commits first
and tells Janus afterwards, then enqueues the processing task (see processing.py). A stop that
comes quickly may reach Janus before the start does: a start that finds its row stopped once
Janus answered sets the room's recording again from the database.
"""

import logging
import math
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.core.errors import ApplicationError, Conflict, PermissionDenied
from aapoon.core.ids import uuid7
from aapoon.files.services import stored_file_delete
from aapoon.files.signing import SignedLink, signed_link_make
from aapoon.media import placement, recording_selectors
from aapoon.media.janus.client import JanusClient
from aapoon.media.janus.errors import NO_SUCH_ROOM, JanusError
from aapoon.media.models import Recording
from aapoon.media.nodes import client_for
from aapoon.media.tasks import recording_process
from aapoon.meetings.models import Meeting

logger = logging.getLogger(__name__)


class RecordingNotAllowed(PermissionDenied):
    code = "recording_not_allowed"
    message = "Recording is not allowed in this meeting."


class RecordingNeedsSfu(Conflict):
    code = "recording_needs_sfu"
    message = "Only meetings that run through the media server can be recorded."


class RecordingInProgress(Conflict):
    code = "recording_in_progress"
    message = "This meeting is already being recorded."


class NotRecording(Conflict):
    code = "not_recording"
    message = "This meeting is not being recorded."


class RecordingUnavailable(ApplicationError):
    code = "recording_unavailable"
    status = 503
    message = "The media server could not start recording; try again."


def recording_dir(recording_id: uuid.UUID) -> Path:
    return Path(settings.RECORDINGS_DIR) / str(recording_id)


# ---- talking to the meeting's room ----------------------------------------------------------------


def _janus_recording_set(client: JanusClient, room_id: str, rec_dir: Path | None) -> None:
    """Point the room at `rec_dir` and record; `None` stops recording (files are closed at once)."""
    secret = placement.room_secret(room_id)
    if rec_dir is not None:
        client.videoroom({"request": "edit", "room": room_id, "secret": secret, "new_rec_dir": str(rec_dir)})
    client.videoroom(
        {"request": "enable_recording", "room": room_id, "secret": secret, "record": rec_dir is not None}
    )


def _janus_on_node(meeting: Meeting, rec_dir: Path | None) -> None:
    room = placement.conference_room(meeting.conference_server_id)
    if room is None:
        raise JanusError(NO_SUCH_ROOM, "the meeting has no room on a known media node")
    node, room_id = room
    _janus_recording_set(client_for(node), room_id, rec_dir)


def _janus_catch_up(meeting_id: uuid.UUID) -> None:
    """Make the room record exactly what the database says now. A start's call to Janus and a
    quick stop's (after its commit) may land in either order, so a start that finds its row
    stopped meanwhile calls this: the stop's "off" may have come first."""
    meeting = Meeting.objects.get(pk=meeting_id)
    current = Recording.objects.filter(meeting=meeting, status=Recording.Status.RECORDING).first()
    try:
        _janus_on_node(meeting, Path(current.source_dir) if current is not None else None)
    except JanusError as exc:
        logger.warning("meeting %s: the room's recording could not be set right: %s", meeting_id, exc)


# ---- start, stop, continue -------------------------------------------------------------------------


def _check_can_record(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.LIVE:
        raise Conflict("This meeting isn't running.")
    if not meeting.recording_allowed:
        raise RecordingNotAllowed()
    if meeting.media_mode != Meeting.MediaMode.SFU or not meeting.conference_server_id:
        raise RecordingNeedsSfu()
    if Recording.objects.filter(meeting=meeting, status=Recording.Status.RECORDING).exists():
        raise RecordingInProgress()


def recording_start(*, meeting_id: uuid.UUID, user_id: uuid.UUID | None) -> Recording:
    """Start recording the meeting's room. Call outside a transaction (Janus is called)."""
    recording_id = uuid7()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        _check_can_record(meeting)
        try:
            with transaction.atomic():
                recording = Recording.objects.create(
                    id=recording_id,
                    meeting=meeting,
                    started_by_id=user_id,
                    started_at=timezone.now(),
                    source_dir=str(recording_dir(recording_id)),
                )
        except IntegrityError as exc:  # the one-in-progress constraint: someone was faster
            raise RecordingInProgress() from exc
    try:
        _janus_on_node(meeting, recording_dir(recording_id))
    except JanusError as exc:
        logger.warning("meeting %s: recording could not start: %s", meeting_id, exc)
        Recording.objects.filter(pk=recording_id, status=Recording.Status.RECORDING).delete()
        raise RecordingUnavailable() from exc
    if not Recording.objects.filter(pk=recording_id, status=Recording.Status.RECORDING).exists():
        _janus_catch_up(meeting_id)  # stopped while Janus was being told to start
    return recording


def _stop_then_process(meeting: Meeting, recording_id: uuid.UUID) -> None:
    """After commit: close the files on Janus, then queue the processing (in this order, so the
    task never reads a file Janus is still writing). A node that is gone has closed them too."""
    try:
        _janus_on_node(meeting, None)
    except JanusError as exc:
        logger.warning("meeting %s: stopping the recording on Janus failed: %s", meeting.pk, exc)
    recording_process.enqueue(str(recording_id))


def recording_stop(*, meeting_id: uuid.UUID) -> Recording:
    """Stop the meeting's recording; it is processed in the background. Janus is told after commit."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        recording = (
            Recording.objects.select_for_update()
            .filter(meeting=meeting, status=Recording.Status.RECORDING)
            .first()
        )
        if recording is None:
            raise NotRecording()
        recording.status, recording.stopped_at = Recording.Status.PROCESSING, timezone.now()
        recording.save(update_fields=["status", "stopped_at", "updated_at"])
        transaction.on_commit(lambda: _stop_then_process(meeting, recording.pk))
    return recording


def recording_stop_if_active(*, meeting_id: uuid.UUID) -> Recording | None:
    """For the end of a meeting: stop its recording if one is running. Inside or outside a transaction."""
    try:
        return recording_stop(meeting_id=meeting_id)
    except NotRecording:
        return None


def recording_reapply(*, client: JanusClient, room_id: str, meeting_id: uuid.UUID) -> None:
    """After failover: the meeting's new room records into the same folder (new files there are
    later segments of the same feeds). Raises JanusError; nothing to do when not recording."""
    recording = Recording.objects.filter(meeting_id=meeting_id, status=Recording.Status.RECORDING).first()
    if recording is not None:
        _janus_recording_set(client, room_id, Path(recording.source_dir))


# ---- deleting ------------------------------------------------------------------------------------------


def recording_delete(*, user: User, recording_id: object) -> None:
    """Delete a recording, its stored video and its source files (those after commit)."""
    with transaction.atomic():
        recording = recording_selectors.recording_get(user=user, recording_id=recording_id, for_update=True)
        if recording.status == Recording.Status.RECORDING:
            raise Conflict("Stop the recording before deleting it.")
        if recording.file is not None:
            stored_file_delete(stored_file=recording.file)
        source = Path(recording.source_dir)
        recording.delete()
        transaction.on_commit(lambda: shutil.rmtree(source, ignore_errors=True))


# ---- downloading -----------------------------------------------------------------------------------


def recording_download_link(*, user: User, recording_id: object) -> SignedLink:
    """A link that serves the video, without a session, for RECORDING_DOWNLOAD_URL_TTL_SECONDS
    plus the video's length: a player started near the end of that time still seeks (every seek
    is a new request with the same link) until the video has played through."""
    recording = recording_selectors.recording_get(user=user, recording_id=recording_id)
    if recording.status != Recording.Status.READY or recording.file is None:
        raise Conflict("This recording is not ready yet.")
    playing = math.ceil(recording.duration_sec or 0)
    return signed_link_make(
        stored_file=recording.file, ttl_seconds=settings.RECORDING_DOWNLOAD_URL_TTL_SECONDS + playing
    )
