import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema

from aapoon.core.text import Text
from aapoon.meetings.links import meeting_join_url
from aapoon.meetings.models import Meeting
from aapoon.scheduling.selectors import recurrence_of, recurrence_text

Frequency = Literal["daily", "weekdays", "weekly", "monthly"]
Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class InviteeIn(Schema):
    email: Text = Field(..., max_length=254)
    name: Text = Field("", max_length=150)


class InviteeOut(Schema):
    email: str
    name: str
    rsvp: str


class RecurrenceIn(Schema):
    frequency: Frequency
    interval: int = Field(1, description="Every N days, weeks or months (1 to 99)")
    weekdays: list[Weekday] = Field([], description="Weekly only; empty: the first meeting's weekday")
    until: dt.date | None = Field(None, description="Last day (inclusive) in the meeting's time zone")
    count: int | None = Field(None, description="Number of meetings (1 to 730); not with until")


class RecurrenceOut(Schema):
    frequency: Frequency
    interval: int
    weekdays: list[Weekday]
    until: dt.date | None
    count: int | None


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
    transcription_enabled: bool | None = Field(None, description="Recordings get a transcript")
    max_participants: int | None = None
    invitees: list[InviteeIn] | None = None
    recurrence: RecurrenceIn | None = Field(None, description="Scheduled meetings only; null: no repeats")


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
    transcription_enabled: bool | None = None
    max_participants: int | None = None
    invitees: list[InviteeIn] | None = None
    recurrence: RecurrenceIn | None = Field(None, description="Absent: unchanged; null: no longer repeats")


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
    transcription_enabled: bool
    max_participants: int
    is_locked: bool
    media_mode: str
    invitees: list[InviteeOut]
    recurrence: RecurrenceOut | None
    recurrence_text: str = Field(..., description='e.g. "Weekly on Monday and Wednesday"; "" for a one-off')
    created_at: dt.datetime

    @staticmethod
    def resolve_code(obj: Meeting) -> str:
        return obj.meeting_code

    @staticmethod
    def resolve_join_url(obj: Meeting) -> str:
        return meeting_join_url(obj.meeting_code)

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
    def resolve_recurrence(obj: Meeting) -> dict[str, Any] | None:
        value = recurrence_of(obj)
        if value is None:
            return None
        return {
            "frequency": value.frequency,
            "interval": value.interval,
            "weekdays": list(value.weekdays),
            "until": value.until,
            "count": value.count,
        }

    @staticmethod
    def resolve_recurrence_text(obj: Meeting) -> str:
        return recurrence_text(meeting=obj)

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


class ExportMeetingOut(Schema):
    code: str
    title: str
    description: str
    kind: str
    status: str
    host: str
    timezone: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None


class ExportParticipantOut(Schema):
    name: str
    role: str
    is_guest: bool
    joined_at: dt.datetime
    left_at: dt.datetime | None


class ExportChatMessageOut(Schema):
    sent_at: dt.datetime
    type: str = Field(..., description="text, file, system or poll")
    sender: str | None = Field(..., description="null for the meeting's own notes")
    room: str | None = Field(..., description="the breakout room it was said in; null: the main room")
    private: bool
    to: str | None
    text: str
    files: list[str] = Field(..., description="names of the files it carried")
    poll_id: uuid.UUID | None


class ExportFileOut(Schema):
    name: str
    size_bytes: int
    mime_type: str
    sha256: str
    sent_by: str
    sent_at: dt.datetime
    room: str | None
    private: bool


class ExportPollOptionOut(Schema):
    text: str
    count: int


class ExportPollVoteOut(Schema):
    name: str
    choices: list[str]


class ExportPollOut(Schema):
    id: uuid.UUID
    question: str
    status: str = Field(..., description="draft, open or closed")
    multiple: bool
    anonymous: bool
    results_shared: bool
    launched_at: dt.datetime | None
    closed_at: dt.datetime | None
    voters: int
    options: list[ExportPollOptionOut]
    votes: list[ExportPollVoteOut] | None = Field(..., description="who chose what; null: anonymous")


class ExportBreakoutRoomOut(Schema):
    name: str
    archived: bool
    assigned: list[str]


class MeetingExportOut(Schema):
    exported_at: dt.datetime
    meeting: ExportMeetingOut
    participants: list[ExportParticipantOut]
    chat: list[ExportChatMessageOut]
    files: list[ExportFileOut]
    polls: list[ExportPollOut]
    breakout_rooms: list[ExportBreakoutRoomOut]
