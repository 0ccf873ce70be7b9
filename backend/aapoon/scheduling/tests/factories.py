"""Series and the helpers scheduling tests share. Meetings are made through meeting_create, as the
product makes them; recurrence is given in the form's terms."""

import datetime as dt
import zoneinfo
from typing import Any

from aapoon.accounts.models import User
from aapoon.meetings.models import Meeting
from aapoon.meetings.tests.factories import make_meeting
from aapoon.scheduling.recurrence import Recurrence

UTC = dt.UTC


def at(zone: str, *args: int) -> dt.datetime:
    """A wall-clock time in `zone` as a UTC-aware moment."""
    return dt.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc]


def make_series(
    *,
    host: User,
    starts_at: dt.datetime,
    duration: dt.timedelta = dt.timedelta(minutes=30),
    timezone: str = "UTC",
    frequency: str = "weekly",
    interval: int = 1,
    weekdays: tuple[str, ...] = (),
    until: dt.date | None = None,
    count: int | None = None,
    **values: Any,
) -> Meeting:
    return make_meeting(
        host=host,
        kind="scheduled",
        starts_at=starts_at,
        ends_at=starts_at + duration,
        timezone=timezone,
        recurrence=Recurrence(
            frequency=frequency, interval=interval, weekdays=weekdays, until=until, count=count
        ),
        **values,
    )


class Invitations:
    """What the meeting services handed to the invitation hooks: (hook, meeting code, ics_sequence,
    invitee emails), in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int, list[str]]] = []

    def hook(self, name: str) -> Any:
        def record(*, meeting: Meeting, invitees: Any = None) -> None:
            emails = sorted(i.email for i in (meeting.invitees.all() if invitees is None else invitees))
            self.calls.append((name, meeting.meeting_code, meeting.ics_sequence, emails))

        return record
