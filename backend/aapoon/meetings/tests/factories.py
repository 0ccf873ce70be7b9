"""Meetings, participants and the helpers their tests share.

Meetings are built through `meeting_create`, as the product builds them; sessions inside a live
room are written directly (the join path has its own tests), connected unless told otherwise.
"""

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from aapoon.accounts.models import Account, Membership, User
from aapoon.accounts.tests.factories import make_user
from aapoon.meetings import services
from aapoon.meetings.models import (
    BreakoutParticipant,
    BreakoutPlan,
    BreakoutRoom,
    ChatMessage,
    Meeting,
    MeetingEvent,
    MeetingInvitee,
    MeetingParticipant,
)
from aapoon.meetings.services import Invitee, MeetingSettings

Role = MeetingParticipant.Role
Status = MeetingParticipant.Status


def make_meeting(*, host: User, kind: str = "instant", **values: Any) -> Meeting:
    if kind == Meeting.Kind.SCHEDULED:
        starts_at = timezone.now() + dt.timedelta(days=1)
        values.setdefault("starts_at", starts_at)
        values.setdefault("ends_at", values["starts_at"] + dt.timedelta(hours=1))
    if "invitees" in values:
        values["invitees"] = [
            i if isinstance(i, Invitee) else Invitee(email=i) for i in values["invitees"] or []
        ]
    return services.meeting_create(user=host, kind=kind, values=MeetingSettings(**values))


def make_participant(
    meeting: Meeting,
    *,
    name: str,
    user: User | None = None,
    role: str = Role.PARTICIPANT,
    status: str = Status.JOINED,
    guest_key: str = "",
    connected: bool = True,
    **fields: Any,
) -> MeetingParticipant:
    now = timezone.now()
    return MeetingParticipant.objects.create(
        meeting=meeting,
        user=user,
        guest_key="" if user else guest_key,
        display_name=name,
        role=role,
        status=status,
        joined_at=now if status == Status.JOINED else None,
        disconnected_at=None if connected else now,
        **fields,
    )


@dataclass
class Room:
    """A live meeting with someone in each seat (see make_room)."""

    meeting: Meeting
    host_user: User
    host: MeetingParticipant
    co: MeetingParticipant
    co2: MeetingParticipant
    alice: MeetingParticipant
    gita: MeetingParticipant  # a guest
    knock: MeetingParticipant  # a guest in the waiting room

    def reload(self, participant: MeetingParticipant) -> MeetingParticipant:
        return MeetingParticipant.objects.select_related("meeting").get(pk=participant.pk)


def make_room(title: str, *, host: str, co: str, co2: str, alice: str, gita: str, knock: str) -> Room:
    """A live meeting with someone in each seat, given by display name.

    Signed-in people get the email `<name>@example.com`, guests the key `g-<name>`.
    """
    host_user = make_user(email=f"{host.lower()}@example.com")
    meeting = make_meeting(host=host_user, title=title)

    def signed_in(name: str, role: str = Role.PARTICIPANT) -> MeetingParticipant:
        user = make_user(email=f"{name.lower()}@example.com")
        return make_participant(meeting, name=name, user=user, role=role)

    def guest(name: str, status: str = Status.JOINED) -> MeetingParticipant:
        return make_participant(meeting, name=name, guest_key=f"g-{name.lower()}", status=status)

    return Room(
        meeting=meeting,
        host_user=host_user,
        host=make_participant(meeting, name=host, user=host_user, role=Role.HOST),
        co=signed_in(co, Role.COHOST),
        co2=signed_in(co2, Role.COHOST),
        alice=signed_in(alice),
        gita=guest(gita),
        knock=guest(knock, Status.WAITING),
    )


def add_member(account: Account, user: User) -> Membership:
    return Membership.objects.create(account=account, user=user, role=Membership.Role.MEMBER)


def db_state() -> dict[str, Any]:
    """Every row the meetings services write, to prove a refusal wrote nothing."""
    return {
        "meetings": list(Meeting.objects.order_by("pk").values()),
        "invitees": list(MeetingInvitee.objects.order_by("pk").values()),
        "participants": list(MeetingParticipant.objects.order_by("pk").values()),
        "chat": list(ChatMessage.objects.order_by("pk").values()),
        "events": list(MeetingEvent.objects.order_by("pk").values()),
        "breakout_plans": list(BreakoutPlan.objects.order_by("pk").values()),
        "breakout_rooms": list(BreakoutRoom.objects.order_by("pk").values()),
        "breakout_assignments": list(BreakoutParticipant.objects.order_by("pk").values()),
    }


def event_log(meeting: Meeting) -> list[tuple[int, str]]:
    return list(MeetingEvent.objects.filter(meeting=meeting).order_by("seq").values_list("seq", "type"))


def newcomer_payload(
    participant_id: Any, *, display_name: str, role: str, connected: bool, is_guest: bool = False
) -> dict[str, Any]:
    """A participant as the room first hears of them: microphone and camera off, no hand up."""
    return {
        "id": str(participant_id),
        "display_name": display_name,
        "role": role,
        "is_guest": is_guest,
        "audio_on": False,
        "video_on": False,
        "screen_on": False,
        "screen_track_id": None,
        "hand_raised": False,
        "connected": connected,
        "breakout_room_id": None,
    }


class Outbox:
    """What the services handed to the channel layer: (group, decoded message), in order."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert message["type"] == "meeting.event"
        decoded = json.loads(message["text"])
        assert message["event"] == decoded["type"]
        self.sent.append((group, decoded))

    def to(self, group: str) -> list[dict[str, Any]]:
        return [message for g, message in self.sent if g == group]

    def types(self) -> list[tuple[str, str]]:
        return [(g, message["type"]) for g, message in self.sent]

    def clear(self) -> None:
        self.sent.clear()


Call = Callable[..., Any]
