"""Reads for breakout rooms: the plan as the room sees it, and who belongs in which room."""

import uuid
from typing import Any

from django.db.models import QuerySet

from aapoon.accounts.models import User
from aapoon.meetings.models import BreakoutParticipant, BreakoutPlan, BreakoutRoom, MeetingParticipant
from aapoon.meetings.policies import check_is_host
from aapoon.meetings.selectors import meeting_get_visible

Status = MeetingParticipant.Status


def _person(participant_id: uuid.UUID, user_id: uuid.UUID | None, guest_key: str) -> dict[str, Any]:
    if user_id is not None:
        return {"user_id": user_id}
    return {"guest_key": guest_key or f"session:{participant_id.hex}"}


def person_key(participant: MeetingParticipant) -> dict[str, Any]:
    """How an assignment names the person behind a session: the user, or the guest's cookie key
    (a guest without one, such as an app, is known by the session itself)."""
    return _person(participant.pk, participant.user_id, participant.guest_key)


def rooms_active(*, meeting_id: uuid.UUID) -> QuerySet[BreakoutRoom]:
    return BreakoutRoom.objects.filter(meeting_id=meeting_id, archived_at__isnull=True).order_by(
        "position", "created_at"
    )


class Assignments:
    """Every assignment of one meeting, read once, to look people up by user, guest key or email."""

    def __init__(self, meeting_id: uuid.UUID) -> None:
        self.by_user: dict[uuid.UUID, uuid.UUID] = {}
        self.by_guest: dict[str, uuid.UUID] = {}
        self.by_email: dict[str, uuid.UUID] = {}
        rows = BreakoutParticipant.objects.filter(meeting_id=meeting_id, room__archived_at__isnull=True)
        for user_id, guest_key, email, room_id in rows.values_list(
            "user_id", "guest_key", "email", "room_id"
        ):
            if user_id is not None:
                self.by_user[user_id] = room_id
            elif guest_key:
                self.by_guest[guest_key] = room_id
            elif email:
                self.by_email[email] = room_id

    def room_of(self, participant: MeetingParticipant) -> uuid.UUID | None:
        """The room this session's person is assigned to (reads `participant.user` for the email)."""
        email = participant.user.email if participant.user is not None else ""
        return self.room_for(participant.pk, participant.user_id, participant.guest_key, email)

    def room_for(
        self, participant_id: uuid.UUID, user_id: uuid.UUID | None, guest_key: str, email: str
    ) -> uuid.UUID | None:
        key = _person(participant_id, user_id, guest_key)
        if "guest_key" in key:
            return self.by_guest.get(key["guest_key"])
        # Assigned to the user, or ahead to their email.
        return self.by_user.get(key["user_id"]) or self.by_email.get(email.lower())


def assigned_room(*, participant: MeetingParticipant) -> uuid.UUID | None:
    return Assignments(participant.meeting_id).room_of(participant)


def room_on_arrival(*, participant: MeetingParticipant) -> uuid.UUID | None:
    """Where someone let into the meeting goes: their breakout room while the rooms are open,
    otherwise the main room (None)."""
    is_open = BreakoutPlan.objects.filter(
        meeting_id=participant.meeting_id, status=BreakoutPlan.Status.OPEN
    ).exists()
    return assigned_room(participant=participant) if is_open else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def breakout_state(*, meeting_id: uuid.UUID) -> dict[str, Any]:
    """`Breakout` of docs/meetings.md: the plan, its rooms, and where the joined sessions belong."""
    plan = BreakoutPlan.objects.filter(meeting_id=meeting_id).first() or BreakoutPlan(meeting_id=meeting_id)
    rooms = list(rooms_active(meeting_id=meeting_id).values_list("pk", "name"))
    assignments = Assignments(meeting_id)
    joined = MeetingParticipant.objects.filter(meeting_id=meeting_id, status=Status.JOINED).values_list(
        "pk", "user_id", "guest_key", "user__email"
    )
    return {
        "status": plan.status,
        "allow_choosing": plan.allow_choosing,
        "duration_minutes": plan.duration_minutes,
        "countdown_seconds": plan.countdown_seconds,
        "opened_at": _iso(plan.opened_at),
        "ends_at": _iso(plan.ends_at),
        "closes_at": _iso(plan.closes_at),
        "rooms": [{"id": str(pk), "name": name} for pk, name in rooms],
        "assignments": {
            str(pk): str(room)
            for pk, user_id, guest_key, email in joined
            if (room := assignments.room_for(pk, user_id, guest_key, email or "")) is not None
        },
    }


def breakout_plan_get(*, user: User, code: str) -> dict[str, Any]:
    """The plan of a meeting I host, as I prepare it ahead (REST): rooms with the emails in each."""
    meeting = meeting_get_visible(user=user, code=code)
    check_is_host(meeting=meeting, user=user)
    return breakout_plan_for_host(meeting_id=meeting.pk)


def breakout_plan_for_host(*, meeting_id: uuid.UUID) -> dict[str, Any]:
    plan = BreakoutPlan.objects.filter(meeting_id=meeting_id).first() or BreakoutPlan(meeting_id=meeting_id)
    rooms = list(rooms_active(meeting_id=meeting_id))
    emails: dict[uuid.UUID, list[str]] = {room.pk: [] for room in rooms}
    rows = BreakoutParticipant.objects.filter(meeting_id=meeting_id, room__in=rooms).exclude(email="")
    for room_id, email in rows.order_by("email").values_list("room_id", "email"):
        emails[room_id].append(email)
    return {
        "status": plan.status,
        "allow_choosing": plan.allow_choosing,
        "duration_minutes": plan.duration_minutes,
        "countdown_seconds": plan.countdown_seconds,
        "rooms": [{"id": room.pk, "name": room.name, "emails": emails[room.pk]} for room in rooms],
    }
