"""Occurrences of a meeting, the next one, and the caller's calendar (with its query count)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aapoon.accounts.tests.factories import make_user
from aapoon.core.errors import Conflict, InvalidInput
from aapoon.meetings.tests.factories import make_meeting
from aapoon.scheduling import selectors
from aapoon.scheduling.models import OccurrenceOverride
from aapoon.scheduling.tests.factories import at, make_series

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invitations")]
NOW = at("UTC", 2026, 6, 1, 12)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def summary(occurrences):
    return [(o.starts_at.isoformat(), o.original_start.isoformat(), o.overridden) for o in occurrences]


def test_occurrence_key():
    assert selectors.occurrence_key(at("Europe/London", 2026, 7, 6, 9)) == "20260706T080000Z"
    assert selectors.occurrence_key_parse("20260706T080000Z") == at("UTC", 2026, 7, 6, 8)
    with pytest.raises(Conflict):
        selectors.occurrence_key_parse("2026-07-06")


def test_one_off_is_one_occurrence(user):
    meeting = make_meeting(
        host=user, kind="scheduled", starts_at=at("UTC", 2026, 7, 1, 9), ends_at=at("UTC", 2026, 7, 1, 10)
    )
    found = selectors.occurrences_between(
        meeting=meeting, start=at("UTC", 2026, 7, 1, 9, 30), end=at("UTC", 2026, 7, 2)
    )
    assert summary(found) == [("2026-07-01T09:00:00+00:00", "2026-07-01T09:00:00+00:00", False)]
    assert (
        selectors.occurrences_between(
            meeting=meeting, start=at("UTC", 2026, 7, 1, 10), end=at("UTC", 2026, 7, 2)
        )
        == []
    )
    assert selectors.next_occurrence(meeting=meeting, after=NOW).starts_at == at("UTC", 2026, 7, 1, 9)
    assert selectors.next_occurrence(meeting=meeting, after=at("UTC", 2026, 7, 1, 9)) is None
    assert meeting.next_occurrence_at == at("UTC", 2026, 7, 1, 9)


def test_cancelled_and_moved_occurrences(user):
    meeting = make_series(host=user, starts_at=at("UTC", 2026, 7, 1, 9), frequency="daily", count=5)
    OccurrenceOverride.objects.create(
        meeting=meeting, original_start=at("UTC", 2026, 7, 2, 9), cancelled=True
    )
    # The 3rd moves after the 5th; the window ends before its original slot's neighbours.
    OccurrenceOverride.objects.create(
        meeting=meeting,
        original_start=at("UTC", 2026, 7, 3, 9),
        starts_at=at("UTC", 2026, 7, 6, 15),
        ends_at=at("UTC", 2026, 7, 6, 16),
    )
    found = selectors.occurrences_between(
        meeting=meeting, start=at("UTC", 2026, 7, 1), end=at("UTC", 2026, 7, 8)
    )
    assert summary(found) == [
        ("2026-07-01T09:00:00+00:00", "2026-07-01T09:00:00+00:00", False),
        ("2026-07-04T09:00:00+00:00", "2026-07-04T09:00:00+00:00", False),
        ("2026-07-05T09:00:00+00:00", "2026-07-05T09:00:00+00:00", False),
        ("2026-07-06T15:00:00+00:00", "2026-07-03T09:00:00+00:00", True),
    ]
    later = selectors.occurrences_between(
        meeting=meeting, start=at("UTC", 2026, 7, 6), end=at("UTC", 2026, 7, 7)
    )
    assert summary(later) == [("2026-07-06T15:00:00+00:00", "2026-07-03T09:00:00+00:00", True)]
    after_first = selectors.next_occurrence(meeting=meeting, after=at("UTC", 2026, 7, 1, 9))
    assert after_first.starts_at == at("UTC", 2026, 7, 4, 9)
    last = selectors.next_occurrence(meeting=meeting, after=at("UTC", 2026, 7, 5, 9))
    assert (last.starts_at, last.original_start) == (at("UTC", 2026, 7, 6, 15), at("UTC", 2026, 7, 3, 9))
    assert selectors.next_occurrence(meeting=meeting, after=at("UTC", 2026, 7, 6, 15)) is None


def test_occurrence_get(user):
    meeting = make_series(host=user, starts_at=at("UTC", 2026, 7, 1, 9), frequency="daily", count=3)
    OccurrenceOverride.objects.create(
        meeting=meeting, original_start=at("UTC", 2026, 7, 2, 9), cancelled=True
    )
    third = selectors.occurrence_get(meeting=meeting, original_start=at("UTC", 2026, 7, 3, 9))
    assert (third.starts_at, third.ends_at) == (at("UTC", 2026, 7, 3, 9), at("UTC", 2026, 7, 3, 9, 30))
    for missing in (at("UTC", 2026, 7, 2, 9), at("UTC", 2026, 7, 4, 9), at("UTC", 2026, 7, 3, 10)):
        with pytest.raises(Conflict) as refused:
            selectors.occurrence_get(meeting=meeting, original_start=missing)
        assert refused.value.message == "That isn't an occurrence of this meeting."


def test_endless_series_expands_only_the_window(user):
    meeting = make_series(host=user, starts_at=at("UTC", 2026, 6, 2, 9), frequency="daily")
    found = selectors.occurrences_between(
        meeting=meeting, start=at("UTC", 2030, 1, 1), end=at("UTC", 2030, 1, 3)
    )
    assert [o.starts_at.day for o in found] == [1, 2]


def test_calendar_shows_what_i_host_or_am_invited_to_in_three_queries(user):
    guest = make_user(email="Guest@example.com")
    make_series(
        host=user,
        starts_at=at("UTC", 2026, 6, 1, 9),
        frequency="daily",
        title="Daily",
        invitees=["guest@example.com"],
    )
    make_meeting(
        host=user,
        kind="scheduled",
        title="One-off",
        starts_at=at("UTC", 2026, 6, 3, 14),
        ends_at=at("UTC", 2026, 6, 3, 15),
    )
    make_meeting(
        host=guest,
        kind="scheduled",
        title="Not for me",
        starts_at=at("UTC", 2026, 6, 3, 14),
        ends_at=at("UTC", 2026, 6, 3, 15),
    )
    for n in range(5):
        make_series(
            host=user, starts_at=at("UTC", 2026, 6, 1, 10 + n), frequency="weekly", title=f"Weekly {n}"
        )
    cancelled = make_meeting(
        host=user,
        kind="scheduled",
        title="Cancelled",
        starts_at=at("UTC", 2026, 6, 2, 14),
        ends_at=at("UTC", 2026, 6, 2, 15),
    )
    cancelled.status = "cancelled"
    cancelled.save()
    make_meeting(
        host=user,
        kind="scheduled",
        title="Later",
        starts_at=at("UTC", 2026, 6, 10, 14),
        ends_at=at("UTC", 2026, 6, 10, 15),
    )
    with CaptureQueriesContext(connection) as queries:
        mine = selectors.calendar_occurrences(
            user=user, start=at("UTC", 2026, 6, 2), end=at("UTC", 2026, 6, 4)
        )
    assert len(queries) == 3
    assert [(o.meeting.title, o.starts_at.isoformat()) for o in mine] == [
        ("Daily", "2026-06-02T09:00:00+00:00"),
        ("Daily", "2026-06-03T09:00:00+00:00"),
        ("One-off", "2026-06-03T14:00:00+00:00"),
    ]
    theirs = selectors.calendar_occurrences(
        user=guest, start=at("UTC", 2026, 6, 2), end=at("UTC", 2026, 6, 4)
    )
    assert [o.meeting.title for o in theirs] == ["Daily", "Daily", "Not for me"]
    assert [selectors.my_rsvp(o.meeting, guest) for o in theirs] == ["pending", "pending", None]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (
            dt.datetime(2026, 6, 1),
            at("UTC", 2026, 6, 2),
            "Give start and end with a UTC offset, e.g. 2026-07-06T00:00:00Z.",
        ),
        (at("UTC", 2026, 6, 2), at("UTC", 2026, 6, 2), "The end must be after the start."),
        (at("UTC", 2026, 6, 1), at("UTC", 2026, 9, 10), "Ask for at most 100 days at a time."),
    ],
)
def test_calendar_range_is_checked(user, start, end, message):
    with pytest.raises(InvalidInput) as refused:
        selectors.calendar_occurrences(user=user, start=start, end=end)
    assert refused.value.message == message
