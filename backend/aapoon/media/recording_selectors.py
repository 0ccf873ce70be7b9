"""Reads for recordings. Who may see one: the meeting's host, and the owners and admins of the
meeting's account. To anyone else a recording (or a meeting's list) does not exist (404)."""

import uuid
from typing import Any

from django.db.models import QuerySet

from aapoon.accounts.models import User
from aapoon.core.errors import NotFound
from aapoon.media.models import Recording
from aapoon.meetings.codes import meeting_code_normalize
from aapoon.meetings.models import Meeting
from aapoon.meetings.policies import managed_by


def _recordings() -> QuerySet[Recording]:
    return Recording.objects.select_related("meeting", "file", "transcript").order_by("-started_at")


def recording_list(*, user: User) -> QuerySet[Recording]:
    return _recordings().filter(meeting__in=Meeting.objects.filter(managed_by(user)).values("pk"))


def recording_list_for_meeting(*, user: User, code: str) -> QuerySet[Recording]:
    normalized = meeting_code_normalize(code)
    meeting = (
        Meeting.objects.filter(managed_by(user), meeting_code=normalized).first() if normalized else None
    )
    if meeting is None:
        raise NotFound("No such meeting.")
    return _recordings().filter(meeting=meeting)


def recording_get(*, user: User, recording_id: object, for_update: bool = False) -> Recording:
    message = "No such recording."
    try:
        pk = recording_id if isinstance(recording_id, uuid.UUID) else uuid.UUID(str(recording_id))
    except ValueError as exc:
        raise NotFound(message) from exc
    recordings = recording_list(user=user)
    if for_update:
        # select_for_update may not lock the nullable join (PostgreSQL refuses FOR UPDATE on it).
        recordings = recordings.select_for_update(of=("self",))
    recording = recordings.filter(pk=pk).first()
    if recording is None:
        raise NotFound(message)
    return recording


def recording_state(*, meeting_id: uuid.UUID) -> dict[str, Any]:
    """`{active, started_at}` as the room shows it (welcome, `recording` event)."""
    started_at = (
        Recording.objects.filter(meeting_id=meeting_id, status=Recording.Status.RECORDING)
        .values_list("started_at", flat=True)
        .first()
    )
    return {"active": started_at is not None, "started_at": started_at.isoformat() if started_at else None}
