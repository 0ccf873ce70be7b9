"""Is a host looking at the meeting? Someone entering the waiting room is worth a push or an
in-app alert only for hosts who don't have the room in front of them: not connected, or the
room's tab is in the background (the page reports `document.hidden` over its socket)."""

import uuid

from django.core.cache import cache

from aapoon.core.errors import InvalidInput
from aapoon.meetings.links import meeting_join_url
from aapoon.meetings.models import Meeting, MeetingParticipant
from aapoon.notifications.services import Event, Recipient, notify

# A session's "tab hidden" mark; it outlives no meeting worth remembering.
HIDDEN_TTL_SECONDS = 12 * 3600
Role = MeetingParticipant.Role
Status = MeetingParticipant.Status


def _hidden_key(participant_id: uuid.UUID) -> str:
    return f"meetings.tab-hidden.{participant_id}"


def tab_visibility_set(*, participant_id: uuid.UUID, hidden: object) -> None:
    if not isinstance(hidden, bool):
        raise InvalidInput("Say whether the tab is hidden.", field="hidden")
    if hidden:
        cache.set(_hidden_key(participant_id), True, HIDDEN_TTL_SECONDS)
    else:
        cache.delete(_hidden_key(participant_id))


def waiting_alert_away_hosts(*, meeting: Meeting, waiting: MeetingParticipant) -> None:
    """Call in the transaction that put `waiting` in the waiting room."""
    hosting = meeting.participants.filter(status=Status.JOINED, role__in=(Role.HOST, Role.COHOST)).exclude(
        user=None
    )
    host_ids = {meeting.host_id, *hosting.values_list("user_id", flat=True)}
    watching = {
        session.user_id
        for session in hosting.filter(disconnected_at=None).only("pk", "user_id")
        if not cache.get(_hidden_key(session.pk))
    }
    away = sorted(str(user_id) for user_id in host_ids - watching)
    if not away:
        return
    who = waiting.display_name or "Someone"
    notify(
        event=Event.WAITING,
        recipients=[Recipient(user_id=uuid.UUID(user_id)) for user_id in away],
        payload={
            "subject": f"{who} is waiting to join {meeting.title}",
            "text": f"{who} is in the waiting room of “{meeting.title}”. Open the meeting to let them in.",
            "short": f"{who} is waiting to join",
            "url": meeting_join_url(meeting.meeting_code),
            "meeting_code": meeting.meeting_code,
        },
        dedupe_key=f"waiting:{waiting.pk}",
    )
