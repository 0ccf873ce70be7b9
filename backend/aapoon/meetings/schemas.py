import datetime as dt
import uuid
from typing import Any, Literal

from django.conf import settings
from ninja import Field, Schema

from aapoon.core.text import Text
from aapoon.meetings.models import Meeting


class InviteeIn(Schema):
    email: Text = Field(..., max_length=254)
    name: Text = Field("", max_length=150)


class InviteeOut(Schema):
    email: str
    name: str
    rsvp: str


class PersonOut(Schema):
    id: uuid.UUID
    name: str


class MeetingIn(Schema):
    kind: Text = Field("instant", description="instant (starts now) or scheduled")
    account_id: uuid.UUID | None = Field(None, description="Host for this account; default: your own")
    title: Text | None = Field(None, max_length=200)
    description: Text | None = Field(None, max_length=5000)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    timezone: Text | None = Field(None, max_length=64, description="IANA name, e.g. Asia/Kolkata")
    passcode: Text | None = Field(None, max_length=32)
    waiting_room_enabled: bool | None = None
    guests_allowed: bool | None = None
    recording_allowed: bool | None = None
    max_participants: int | None = None
    invitees: list[InviteeIn] | None = None


class MeetingPatch(Schema):
    title: Text | None = Field(None, max_length=200)
    description: Text | None = Field(None, max_length=5000)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    timezone: Text | None = Field(None, max_length=64)
    passcode: Text | None = Field(None, max_length=32, description="Empty removes it")
    waiting_room_enabled: bool | None = None
    guests_allowed: bool | None = None
    recording_allowed: bool | None = None
    max_participants: int | None = None
    invitees: list[InviteeIn] | None = None


class MeetingOut(Schema):
    id: uuid.UUID
    code: str
    join_url: str
    kind: str
    status: str
    title: str
    description: str
    host: PersonOut
    is_host: bool
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    timezone: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    has_passcode: bool
    passcode: str | None = Field(None, description="Only for the host")
    waiting_room_enabled: bool
    guests_allowed: bool
    recording_allowed: bool
    max_participants: int
    is_locked: bool
    media_mode: str
    invitees: list[InviteeOut]
    created_at: dt.datetime

    @staticmethod
    def resolve_code(obj: Meeting) -> str:
        return obj.meeting_code

    @staticmethod
    def resolve_join_url(obj: Meeting) -> str:
        return f"{settings.SITE_URL}/m/{obj.meeting_code}"

    @staticmethod
    def resolve_host(obj: Meeting) -> dict[str, Any]:
        return {"id": obj.host.pk, "name": obj.host.display_name or obj.host.full_name or obj.host.email}

    @staticmethod
    def resolve_is_host(obj: Meeting, context: dict[str, Any]) -> bool:
        return bool(obj.host_id == context["request"].user.pk)

    @staticmethod
    def resolve_has_passcode(obj: Meeting) -> bool:
        return bool(obj.passcode)

    @staticmethod
    def resolve_passcode(obj: Meeting, context: dict[str, Any]) -> str | None:
        return obj.passcode if obj.host_id == context["request"].user.pk else None

    @staticmethod
    def resolve_invitees(obj: Meeting) -> list[dict[str, str]]:
        return [{"email": i.email, "name": i.name, "rsvp": i.rsvp} for i in obj.invitees.all()]


class MeetingSummaryOut(Schema):
    code: str
    title: str
    host_name: str
    status: str


class JoinIn(Schema):
    display_name: Text = Field("", max_length=80)
    passcode: Text = Field("", max_length=32)


class IceServerOut(Schema):
    urls: list[str]
    username: str | None
    credential: str | None


class JoinOut(Schema):
    status: str = Field(..., description="joined, or waiting (in the waiting room until admitted)")
    participant_id: uuid.UUID
    role: str
    display_name: str
    ticket: str = Field(..., description="One-time, valid 60 s: open the WebSocket with ?ticket=")
    ws_path: str
    media_mode: str
    ice_servers: list[IceServerOut]
    ice_transport_policy: Literal["all", "relay"] = Field(
        ..., description="RTCPeerConnection iceTransportPolicy: relay = through TURN only"
    )
    max_participants: int
    meeting: MeetingSummaryOut
