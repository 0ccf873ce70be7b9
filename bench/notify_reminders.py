"""The reminder scan's cost with many scheduled meetings (called by notify.py inside Django).

Meetings start every 90 days / n from five minutes ahead, a quarter of them weekly series, each
with two invitees, so the scan sees about a day's worth of candidates and a few due right now.
"""

import datetime as dt
import importlib
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aapoon.accounts.models import Membership
from aapoon.accounts.tests.factories import make_user
from aapoon.meetings.models import Meeting, MeetingInvitee
from aapoon.scheduling.reminders import reminders_scan

SPREAD = dt.timedelta(days=90)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def measure_reminder_scan(meetings: int) -> dict[str, float | int]:
    host = make_user(email="reminder-bench@example.com")
    account = Membership.objects.filter(user=host).values_list("account_id", flat=True).get()
    now = timezone.now()
    step = SPREAD / meetings
    rows = []
    for i in range(meetings):
        starts_at = now + dt.timedelta(minutes=5) + i * step
        weekly = i % 4 == 0
        rows.append(
            Meeting(
                account_id=account,
                host=host,
                kind=Meeting.Kind.SCHEDULED,
                status=Meeting.Status.SCHEDULED,
                title=f"Meeting {i}",
                meeting_code=f"b{i:013d}",
                timezone="UTC",
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=30),
                recurrence_rule=f"FREQ=WEEKLY;BYDAY={WEEKDAYS[starts_at.weekday()]}" if weekly else "",
                next_occurrence_at=starts_at,
                max_participants=10,
            )
        )
    created = Meeting.objects.bulk_create(rows, batch_size=2000)
    MeetingInvitee.objects.bulk_create(
        (
            MeetingInvitee(meeting=meeting, email=f"guest{n}-{i}@example.com")
            for i, meeting in enumerate(created)
            for n in (1, 2)
        ),
        batch_size=2000,
    )
    # A running worker has the delivery task (and its push client) loaded: so does the scan timed here.
    importlib.import_module("aapoon.notifications.tasks")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        notifications = reminders_scan(now=now)
        scan_ms = (time.perf_counter() - started) * 1000
    return {
        "meetings": meetings,
        "scan_ms": round(scan_ms, 1),
        "queries": len(queries.captured_queries),
        "notifications": notifications,
    }
