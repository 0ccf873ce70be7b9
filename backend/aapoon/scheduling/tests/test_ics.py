"""meeting_ics and feed_ics, read back with the icalendar package."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from icalendar import Calendar

from aapoon.accounts.tests.factories import make_user
from aapoon.meetings.models import MeetingInvitee
from aapoon.meetings.services import Invitee
from aapoon.scheduling.ics import feed_ics, meeting_ics
from aapoon.scheduling.models import OccurrenceOverride
from aapoon.scheduling.tests.factories import at, make_series

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invitations")]
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _now(settings):
    settings.SITE_URL = "https://meet.example.com"
    with time_machine.travel(at("UTC", 2026, 6, 1, 12), tick=False):
        yield


@pytest.fixture
def series(db):
    host = make_user(email="host@example.com", full_name="Hema Host")
    meeting = make_series(
        host=host,
        title="Stand-up",
        description="Daily news",
        timezone="Europe/London",
        starts_at=at("Europe/London", 2026, 7, 6, 9),
        duration=dt.timedelta(minutes=15),
        weekdays=("MO", "WE"),
        until=dt.date(2027, 1, 31),
        invitees=[Invitee(email="ana@example.com", name="Ana"), Invitee(email="bo@example.org")],
    )
    MeetingInvitee.objects.filter(email="ana@example.com").update(rsvp="accepted")
    OccurrenceOverride.objects.create(
        meeting=meeting, original_start=at("Europe/London", 2026, 7, 8, 9), cancelled=True
    )
    OccurrenceOverride.objects.create(
        meeting=meeting,
        original_start=at("Europe/London", 2026, 7, 13, 9),
        starts_at=at("Europe/London", 2026, 7, 14, 10),
        ends_at=at("Europe/London", 2026, 7, 14, 10, 30),
    )
    return meeting


def parse(text):
    calendar = Calendar.from_ical(text)
    return calendar, calendar.walk("VEVENT")


def test_request_carries_the_whole_series(series):
    calendar, (master, moved) = parse(
        meeting_ics(meeting=series, method="REQUEST", attendees=list(series.invitees.order_by("email")))
    )
    assert calendar["METHOD"] == "REQUEST"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert master["UID"] == f"{series.pk}@meet.example.com"
    assert master["SEQUENCE"] == 0
    assert master["SUMMARY"] == "Stand-up"
    assert master["DESCRIPTION"] == f"Join: https://meet.example.com/m/{series.meeting_code}\n\nDaily news"
    assert master["URL"] == f"https://meet.example.com/m/{series.meeting_code}"
    assert master["STATUS"] == "CONFIRMED"
    assert master["DTSTART"].params["TZID"] == "Europe/London"
    assert master["DTSTART"].dt == dt.datetime(2026, 7, 6, 9, tzinfo=LONDON)
    assert master["DTEND"].dt == dt.datetime(2026, 7, 6, 9, 15, tzinfo=LONDON)
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270131T235959Z;BYDAY=MO,WE"
    assert [d.dt for d in master["EXDATE"].dts] == [dt.datetime(2026, 7, 8, 9, tzinfo=LONDON)]
    assert str(master["ORGANIZER"]) == "mailto:host@example.com"
    assert master["ORGANIZER"].params["CN"] == "Hema Host"
    attendees = [
        (str(a), a.params.get("CN"), a.params["PARTSTAT"], a.params["RSVP"]) for a in master["ATTENDEE"]
    ]
    assert attendees == [
        ("mailto:ana@example.com", "Ana", "ACCEPTED", "TRUE"),
        ("mailto:bo@example.org", None, "NEEDS-ACTION", "TRUE"),
    ]
    assert moved["UID"] == master["UID"]
    assert moved["RECURRENCE-ID"].dt == dt.datetime(2026, 7, 13, 9, tzinfo=LONDON)
    assert moved["RECURRENCE-ID"].params["TZID"] == "Europe/London"
    assert moved["DTSTART"].dt == dt.datetime(2026, 7, 14, 10, tzinfo=LONDON)
    assert moved["DTEND"].dt == dt.datetime(2026, 7, 14, 10, 30, tzinfo=LONDON)


def test_uid_stays_and_sequence_follows_changes(series):
    first = parse(meeting_ics(meeting=series, method="REQUEST", attendees=[]))[1][0]
    series.title, series.ics_sequence = "Renamed", 3
    again = parse(meeting_ics(meeting=series, method="REQUEST", attendees=[]))[1][0]
    assert again["UID"] == first["UID"]
    assert (again["SEQUENCE"], again["SUMMARY"]) == (3, "Renamed")
    assert "ATTENDEE" not in again


def test_cancel_is_the_master_cancelled(series):
    removed = list(series.invitees.filter(email="bo@example.org"))
    calendar, events = parse(meeting_ics(meeting=series, method="CANCEL", attendees=removed))
    assert calendar["METHOD"] == "CANCEL"
    assert len(events) == 1
    assert events[0]["STATUS"] == "CANCELLED"
    assert [str(a) for a in [events[0]["ATTENDEE"]]] == ["mailto:bo@example.org"]


def test_passcode_goes_into_the_description(series):
    series.passcode = "Pass42"
    master = parse(meeting_ics(meeting=series, method="REQUEST", attendees=[]))[1][0]
    assert master["DESCRIPTION"].startswith(
        f"Join: https://meet.example.com/m/{series.meeting_code}\nPasscode: Pass42\n"
    )


def test_feed_publishes_every_meeting_with_its_zone(series):
    other = make_series(
        host=series.host,
        title="Sync",
        timezone="America/New_York",
        starts_at=at("America/New_York", 2026, 7, 7, 9),
        frequency="daily",
        count=3,
    )
    calendar, events = parse(feed_ics(entries=[(series, []), (other, [])]))
    assert calendar["METHOD"] == "PUBLISH"
    assert sorted(tz["TZID"] for tz in calendar.walk("VTIMEZONE")) == ["America/New_York", "Europe/London"]
    assert [(e["SUMMARY"], "RECURRENCE-ID" in e) for e in events] == [
        ("Stand-up", False),
        ("Stand-up", True),
        ("Sync", False),
    ]
    assert events[2]["RRULE"].to_ical() == b"FREQ=DAILY;COUNT=3"
