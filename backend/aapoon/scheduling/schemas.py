import datetime as dt
from typing import Literal

from ninja import Field, Schema


class OccurrenceOut(Schema):
    id: str = Field(..., description="<meeting code>:<occurrence key>")
    meeting_code: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    original_start: dt.datetime = Field(..., description="Where the series puts it (moved ones differ)")
    occurrence_key: str = Field(..., description="The original start in UTC, YYYYMMDDTHHMMSSZ")
    timezone: str
    is_recurring: bool
    is_host: bool
    status: str
    my_rsvp: str | None = Field(..., description="My answer if I'm invited, else null")
    join_path: str


class OccurrenceMoveIn(Schema):
    scope: Literal["this", "following", "all"]
    starts_at: dt.datetime
    ends_at: dt.datetime


class OccurrenceCancelIn(Schema):
    scope: Literal["this", "following"]


class CalendarFeedOut(Schema):
    active: bool
    created_at: dt.datetime | None
    webcal_url: str | None = Field(..., description="Only in the answer that made it")
    https_url: str | None = Field(..., description="Only in the answer that made it")
