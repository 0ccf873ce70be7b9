"""Reads for meetings. Lookups by code are scoped to what the caller may see."""

import uuid
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.core.errors import NotFound
from aapoon.meetings.codes import meeting_code_normalize
from aapoon.meetings.models import ChatMessage, Meeting, MeetingParticipant
from aapoon.meetings.payloads import chat_payload, participant_payload

ACTIVE_STATUSES = (Meeting.Status.SCHEDULED, Meeting.Status.LIVE)
CLOSED_STATUSES = (Meeting.Status.ENDED, Meeting.Status.CANCELLED)


def _visible_to(user: User) -> Q:
    """Meetings I host, am invited to (by account or by email), or co-host."""
    return (
        Q(host=user)
        | Q(invitees__user=user)
        | Q(invitees__email__iexact=user.email)
        | Q(participants__user=user, participants__role=MeetingParticipant.Role.COHOST)
    )


def meeting_list(
    *, user: User, scope: str = "upcoming", status: str | None = None, q: str = ""
) -> QuerySet[Meeting]:
    visible_ids = Meeting.objects.filter(_visible_to(user)).values("pk")
    meetings = Meeting.objects.filter(pk__in=visible_ids).select_related("host").prefetch_related("invitees")
    # A series whose first meeting is over is still upcoming while it has occurrences left.
    over = Q(ends_at__lt=timezone.now()) & (Q(recurrence_rule="") | Q(next_occurrence_at=None))
    if scope == "past":
        meetings = meetings.filter(Q(status__in=CLOSED_STATUSES) | over).order_by("-starts_at", "-created_at")
    else:
        meetings = meetings.filter(status__in=ACTIVE_STATUSES).exclude(over)
        meetings = meetings.order_by("starts_at", "created_at")
    if status:
        meetings = meetings.filter(status=status)
    if q:
        meetings = meetings.filter(title__icontains=q)
    return meetings


def meeting_get_visible(*, user: User, code: str) -> Meeting:
    normalized = meeting_code_normalize(code)
    meeting = (
        Meeting.objects.filter(_visible_to(user), meeting_code=normalized)
        .select_related("host")
        .prefetch_related("invitees")
        .distinct()
        .first()
        if normalized
        else None
    )
    if meeting is None:
        raise NotFound("No such meeting.")
    return meeting


def participant_get(*, participant_id: uuid.UUID) -> MeetingParticipant:
    participant = MeetingParticipant.objects.select_related("meeting").filter(pk=participant_id).first()
    if participant is None:
        raise NotFound("No such participant.")
    return participant


def roster(*, meeting_id: uuid.UUID) -> list[dict[str, Any]]:
    joined = MeetingParticipant.objects.filter(meeting_id=meeting_id, status=MeetingParticipant.Status.JOINED)
    return [participant_payload(p) for p in joined.order_by("joined_at")]


def lobby(*, meeting_id: uuid.UUID) -> list[dict[str, Any]]:
    waiting = MeetingParticipant.objects.filter(
        meeting_id=meeting_id, status=MeetingParticipant.Status.WAITING
    )
    return [{**participant_payload(p), "was_removed": p.was_removed} for p in waiting.order_by("created_at")]


def chat_history(
    *, meeting_id: uuid.UUID, participant_id: uuid.UUID, room_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """The latest messages of one room (a breakout room, or None: the main room) this participant
    may read: public ones and private ones to or from them, in this session or an earlier one of
    the same person (a reload starts a new session)."""
    me = MeetingParticipant.objects.filter(pk=participant_id).values("user_id", "guest_key").first()
    same_person = Q(pk=participant_id)
    if me and me["user_id"]:
        same_person |= Q(user_id=me["user_id"])
    elif me and me["guest_key"]:
        same_person |= Q(user__isnull=True, guest_key=me["guest_key"])
    sessions = MeetingParticipant.objects.filter(same_person, meeting_id=meeting_id).values("pk")
    visible = ChatMessage.objects.filter(meeting_id=meeting_id, breakout_room_id=room_id).filter(
        Q(recipient__isnull=True) | Q(recipient_id__in=sessions) | Q(sender_id__in=sessions)
    )
    latest = list(
        visible.select_related("poll")
        .prefetch_related("attachments", "poll__votes")
        .order_by("-created_at", "-id")[: settings.MEETING_CHAT_HISTORY]
    )
    return [chat_payload(message) for message in reversed(latest)]
