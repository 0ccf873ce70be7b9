"""Reminders: found through the cursor, sent once per person and occurrence, at the right instant
across DST, and exactly once by email even when the scan or the worker runs twice or stops halfway."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.accounts.tests.factories import make_user
from aapoon.meetings import services as meeting_services
from aapoon.meetings.models import Meeting, MeetingInvitee
from aapoon.meetings.tests.factories import make_meeting
from aapoon.notifications.delivery import deliver_due
from aapoon.notifications.models import Notification
from aapoon.notifications.services import preferences_update
from aapoon.notifications.tests.smtp import smtp_server  # noqa: F401
from aapoon.scheduling import tasks
from aapoon.scheduling.ics import join_url
from aapoon.scheduling.reminders import reminders_scan
from aapoon.scheduling.tests.factories import at, make_series

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)
CREATED = at("UTC", 2026, 3, 10, 12)  # a Tuesday, before the first meeting
FIRST = at("Europe/London", 2026, 3, 16, 9)  # Monday 09:00 GMT = 09:00 UTC
# (recipient, channel) of one reminder to the host, a user invitee and an invitee without an account.
EVERYONE = {
    ("host@example.com", "email"),
    ("host@example.com", "inapp"),
    ("host@example.com", "push"),
    ("ravi@example.com", "email"),
    ("ravi@example.com", "inapp"),
    ("ravi@example.com", "push"),
    ("guest@example.net", "email"),
}


@pytest.fixture
def host(db) -> User:
    return make_user(email="host@example.com", full_name="Hema Host")


@pytest.fixture
def ravi(db) -> User:
    return make_user(email="ravi@example.com", full_name="Ravi")


@pytest.fixture
def standup(host, ravi) -> Meeting:
    """Weekly on Monday at 09:00 London, with a user, a guest, a decliner and the host themself invited."""
    with time_machine.travel(CREATED, tick=False):
        meeting = make_series(
            host=host,
            title="Weekly stand-up",
            starts_at=FIRST,
            duration=15 * MINUTE,
            timezone="Europe/London",
            weekdays=("MO",),
            invitees=["ravi@example.com", "guest@example.net", "no@example.net", "host@example.com"],
        )
    MeetingInvitee.objects.filter(email="no@example.net").update(rsvp=MeetingInvitee.Rsvp.DECLINED)
    return meeting


def scan_at(moment: dt.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return reminders_scan()


def reminders(meeting: Meeting, start: dt.datetime) -> set[tuple[str, str]]:
    key = f"reminder:{meeting.pk}:{start:%Y%m%dT%H%M%SZ}"
    rows = Notification.objects.filter(event="meeting_reminder", dedupe_key=key).select_related("user")
    return {(row.user.email if row.user else row.to_email, row.channel) for row in rows}


def all_reminders() -> int:
    return Notification.objects.filter(event="meeting_reminder").count()


def test_each_occurrence_is_reminded_once_at_the_right_instant_across_dst(standup):
    assert standup.next_occurrence_at == FIRST
    assert scan_at(FIRST - 11 * MINUTE) == 0
    assert scan_at(FIRST - 9 * MINUTE) == 7
    assert reminders(standup, FIRST) == EVERYONE
    assert scan_at(FIRST - 8 * MINUTE) == 0
    assert all_reminders() == 7
    url = join_url(standup)
    assert Notification.objects.filter(event="meeting_reminder").first().payload == {
        "subject": "Starting in 9 minutes: Weekly stand-up",
        "text": f"Weekly stand-up starts at 09:00 (Europe/London) on Mon 16 Mar 2026.\n\nJoin: {url}\n",
        "short": "Weekly stand-up starts at 09:00 (Europe/London)",
        "url": url,
        "meeting_code": standup.meeting_code,
    }

    # Once it has started the cursor moves to next week; nothing more until then.
    second = at("Europe/London", 2026, 3, 23, 9)
    assert scan_at(FIRST + MINUTE) == 0
    standup.refresh_from_db()
    assert standup.next_occurrence_at == second
    assert scan_at(second - 11 * MINUTE) == 0
    assert scan_at(second - 9 * MINUTE) == 7
    assert scan_at(second - 5 * MINUTE) == 0
    assert reminders(standup, second) == EVERYONE

    # Clocks go forward on 29 March: 09:00 London is now 08:00 UTC, and the reminder follows.
    third = at("Europe/London", 2026, 3, 30, 9)
    assert third == dt.datetime(2026, 3, 30, 8, tzinfo=dt.UTC)
    assert scan_at(second + MINUTE) == 0
    standup.refresh_from_db()
    assert standup.next_occurrence_at == third
    assert scan_at(dt.datetime(2026, 3, 30, 7, 49, tzinfo=dt.UTC)) == 0
    assert scan_at(dt.datetime(2026, 3, 30, 7, 51, tzinfo=dt.UTC)) == 7
    assert reminders(standup, third) == EVERYONE
    assert all_reminders() == 21


def test_each_user_is_reminded_at_their_own_lead_time(standup, host, ravi):
    preferences_update(user=host, reminder_minutes=30)
    preferences_update(user=ravi, reminder_minutes=0)  # no reminders
    assert scan_at(FIRST - 31 * MINUTE) == 0
    assert scan_at(FIRST - 29 * MINUTE) == 3
    assert reminders(standup, FIRST) == {r for r in EVERYONE if r[0] == "host@example.com"}
    assert scan_at(FIRST - 9 * MINUTE) == 1
    assert reminders(standup, FIRST) == {r for r in EVERYONE if r[0] != "ravi@example.com"}


def test_a_cancelled_meeting_or_one_already_started_is_not_reminded(host):
    with time_machine.travel(CREATED, tick=False):
        kept = make_meeting(
            host=host, kind="scheduled", title="Kept", starts_at=FIRST, ends_at=FIRST + 15 * MINUTE
        )
        gone = make_meeting(
            host=host, kind="scheduled", title="Gone", starts_at=FIRST, ends_at=FIRST + 15 * MINUTE
        )
        meeting_services.meeting_cancel(user=host, code=gone.meeting_code)
    assert scan_at(FIRST - 9 * MINUTE) == 3
    assert reminders(kept, FIRST) == {r for r in EVERYONE if r[0] == "host@example.com"}
    assert reminders(gone, FIRST) == set()
    # A one-off that has started has no next occurrence; a late scan sends nothing for it.
    Notification.objects.all().delete()
    assert scan_at(FIRST + MINUTE) == 0
    kept.refresh_from_db()
    assert kept.next_occurrence_at is None
    assert all_reminders() == 0


def test_the_periodic_task_runs_the_scan(standup):
    with time_machine.travel(FIRST - 9 * MINUTE, tick=False):
        assert tasks.reminders_scan.call() == 7
        assert tasks.reminders_scan.call() == 0


def test_a_scan_costs_the_same_queries_however_many_meetings_are_not_due(host):
    def scan_queries(meetings: int) -> int:
        Meeting.objects.all().delete()
        with time_machine.travel(CREATED, tick=False):
            for hour in range(meetings):  # one due now, the others later within the day
                start = FIRST + hour * dt.timedelta(hours=1)
                make_meeting(
                    host=host,
                    kind="scheduled",
                    starts_at=start,
                    ends_at=start + MINUTE,
                    invitees=["a@example.net"],
                )
        with (
            CaptureQueriesContext(connection) as queries,
            time_machine.travel(FIRST - 9 * MINUTE, tick=False),
        ):
            assert reminders_scan() == 4
        return len(queries.captured_queries)

    assert scan_queries(2) == scan_queries(20)


def test_reminders_reach_each_recipient_once_by_email_when_scan_and_worker_stop_and_restart(
    standup,
    smtp_server,  # noqa: F811
    settings,
):
    Notification.objects.exclude(event="meeting_reminder").delete()  # the invitations are not under test
    lease = dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    with time_machine.travel(FIRST - 9 * MINUTE, tick=False):
        assert reminders_scan() == 7
        # One worker claims the guest's email and dies; another delivers part of the rest.
        Notification.objects.filter(to_email="guest@example.net").update(
            status="sending", claimed_until=timezone.now() + lease, attempts=1
        )
        assert deliver_due(limit=2) == 2
        # After the restart the scan runs again and finds everyone already reminded.
        assert reminders_scan() == 0
    with time_machine.travel(FIRST - 8 * MINUTE, tick=False):
        assert reminders_scan() == 0
        while deliver_due():
            pass
    assert len(smtp_server.messages) == 2  # the guest's row waits for the dead worker's lease
    with time_machine.travel(FIRST - 9 * MINUTE + lease + MINUTE, tick=False):
        assert reminders_scan() == 0
        while deliver_due():
            pass
    emails = [(m["To"], m["Subject"]) for m in smtp_server.messages]
    assert sorted(emails) == [
        ("guest@example.net", "Starting in 9 minutes: Weekly stand-up"),
        ("host@example.com", "Starting in 9 minutes: Weekly stand-up"),
        ("ravi@example.com", "Starting in 9 minutes: Weekly stand-up"),
    ]
    # Push has nowhere to go here (no subscription): skipped, not retried.
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent", "skipped"}
