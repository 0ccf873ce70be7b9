"""Reminders before each occurrence, found through the meetings' `next_occurrence_at` cursor.

A scan looks only at meetings starting within the longest lead anyone can pick (one index range),
so its cost follows the meetings of the next day, not all of them. Everyone due is handed to
notify() with one key per occurrence: a late, doubled or interrupted scan sends nothing twice.
"""

import datetime as dt
import math
import uuid
import zoneinfo
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aapoon.meetings.models import Meeting, MeetingInvitee
from aapoon.notifications.selectors import reminder_minutes_for
from aapoon.notifications.services import Event, NotificationPayload, Recipient, notify
from aapoon.scheduling.ics import join_url
from aapoon.scheduling.selectors import next_occurrence, occurrence_key

HORIZON = dt.timedelta(minutes=1440)  # the longest lead a user can pick
# People without an account can't choose: they get the default.
GUEST_LEAD_MINUTES = 10


def reminders_scan(*, now: dt.datetime | None = None) -> int:
    """Remind everyone whose lead time before a meeting has come; returns notifications created."""
    now = now or timezone.now()
    due = _due(now)
    created = 0
    for meeting in Meeting.objects.filter(pk__in=due).order_by("next_occurrence_at"):
        start, recipients = due[meeting.pk]
        if meeting.next_occurrence_at != start:
            continue  # moved in the meantime: the next scan sees it as it is now
        with transaction.atomic():
            created += notify(
                event=Event.REMINDER,
                recipients=recipients,
                payload=_payload(meeting, start=start, now=now),
                dedupe_key=f"reminder:{meeting.pk}:{occurrence_key(start)}",
            )
    _advance_cursors(now)
    return created


def _due(now: dt.datetime) -> dict[uuid.UUID, tuple[dt.datetime, list[Recipient]]]:
    """Whom to remind now, by meeting, with the occurrence's start. The candidates (a day's worth
    of meetings) are read as plain values; the caller loads only the meetings with someone due."""
    upcoming = Q(next_occurrence_at__gte=now, next_occurrence_at__lte=now + HORIZON)
    candidates: dict[uuid.UUID, tuple[dt.datetime, uuid.UUID, str]] = {}
    for pk, start, host_id, host_email in (
        Meeting.objects.filter(upcoming)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list("pk", "next_occurrence_at", "host_id", "host__email")
    ):
        assert start is not None  # filtered on it
        candidates[pk] = (start, host_id, host_email.lower())
    if not candidates:
        return {}
    invitees = (
        MeetingInvitee.objects.filter(meeting__in=Meeting.objects.filter(upcoming))
        .exclude(rsvp=MeetingInvitee.Rsvp.DECLINED)
        .values_list("meeting_id", "user_id", "email")
    )
    # (meeting, user, "") or (meeting, None, email): the host, and invitees other than the host.
    people: list[tuple[uuid.UUID, uuid.UUID | None, str]] = [
        (pk, host_id, "") for pk, (_, host_id, _) in candidates.items()
    ]
    for meeting_id, user_id, email in invitees:
        if meeting_id not in candidates:
            continue
        _, host_id, host_email = candidates[meeting_id]
        if user_id != host_id and email.lower() != host_email:
            people.append((meeting_id, user_id, "" if user_id else email))
    leads = reminder_minutes_for(user_ids={user_id for _, user_id, _ in people if user_id})
    due: dict[uuid.UUID, list[Recipient]] = defaultdict(list)
    for meeting_id, person, email in people:
        lead = GUEST_LEAD_MINUTES if person is None else leads[person]
        if lead and now >= candidates[meeting_id][0] - dt.timedelta(minutes=lead):
            due[meeting_id].append(Recipient(user_id=person, email=email))
    return {pk: (candidates[pk][0], recipients) for pk, recipients in due.items()}


def _advance_cursors(now: dt.datetime) -> None:
    """Move each meeting whose occurrence has started on to its next one (None when none is left)."""
    started = Meeting.objects.filter(next_occurrence_at__lte=now)
    started.filter(recurrence_rule="").update(next_occurrence_at=None)
    for meeting in started.exclude(recurrence_rule=""):
        upcoming = next_occurrence(meeting=meeting, after=now)
        # Only if unchanged: the host may have just moved the series, setting it anew.
        Meeting.objects.filter(pk=meeting.pk, next_occurrence_at=meeting.next_occurrence_at).update(
            next_occurrence_at=upcoming.starts_at if upcoming else None
        )


def _payload(meeting: Meeting, *, start: dt.datetime, now: dt.datetime) -> NotificationPayload:
    local = start.astimezone(zoneinfo.ZoneInfo(meeting.timezone))
    url = join_url(meeting)
    minutes = max(1, math.ceil((start - now).total_seconds() / 60))
    soon = f"Starting in {minutes} minute{'s' if minutes != 1 else ''}"
    at = f"{local:%H:%M} ({meeting.timezone})"
    text = f"{meeting.title} starts at {at} on {local:%a} {local.day} {local:%b %Y}.\n\nJoin: {url}\n"
    if meeting.passcode:
        text += f"Passcode: {meeting.passcode}\n"
    return {
        "subject": f"{soon}: {meeting.title}",
        "text": text,
        "short": f"{meeting.title} starts at {at}",
        "url": url,
        "meeting_code": meeting.meeting_code,
    }
