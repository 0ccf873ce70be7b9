"""Host and co-hosts start and stop recording from the room; everyone hears of it (`recording`)."""

import uuid

from django.db import transaction

from aapoon.core.errors import PermissionDenied
from aapoon.media import recording
from aapoon.media.recording_selectors import recording_state
from aapoon.meetings import events
from aapoon.meetings.models import Meeting, MeetingParticipant
from aapoon.meetings.policies import check_can_moderate


def _moderator(participant_id: uuid.UUID) -> MeetingParticipant:
    """The acting session: admitted to the live meeting, as host or co-host (read from the database)."""
    actor = MeetingParticipant.objects.select_related("meeting").filter(pk=participant_id).first()
    if (
        actor is None
        or actor.status != MeetingParticipant.Status.JOINED
        or actor.meeting.status != Meeting.Status.LIVE
    ):
        raise PermissionDenied("You are not in this meeting.")
    check_can_moderate(actor=actor)
    return actor


def _announce(meeting_id: uuid.UUID) -> None:
    """Broadcast the recording state as it is now (numbered, so a reconnecting client catches up)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        events.broadcast(room=meeting, event="recording", **recording_state(meeting_id=meeting_id))


def recording_start_by_participant(*, participant_id: uuid.UUID) -> None:
    # The recording service calls Janus, so it runs outside any transaction of ours.
    actor = _moderator(participant_id)
    recording.recording_start(meeting_id=actor.meeting_id, user_id=actor.user_id)
    _announce(actor.meeting_id)


def recording_stop_by_participant(*, participant_id: uuid.UUID) -> None:
    actor = _moderator(participant_id)
    recording.recording_stop(meeting_id=actor.meeting_id)
    _announce(actor.meeting_id)
