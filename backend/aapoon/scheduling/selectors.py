"""Reads for scheduling: a meeting's occurrences, the caller's calendar and feed."""

import datetime as dt
import hashlib
import itertools
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.core.errors import Conflict, InvalidInput, NotFound
from aapoon.meetings.models import Meeting, MeetingInvitee
from aapoon.scheduling.models import CalendarFeed, OccurrenceOverride
from aapoon.scheduling.recurrence import (
    SCHEDULE_WINDOW,
    Recurrence,
    is_rule_start,
    recurrence_describe,
    recurrence_from_rule,
    rule_starts,
)

MAX_CALENDAR_RANGE = dt.timedelta(days=100)
FEED_PAST = dt.timedelta(days=30)
KEY_FORMAT = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series (or the one meeting of a one-off), all times UTC-aware."""

    meeting: Meeting
    starts_at: dt.datetime
    ends_at: dt.datetime
    original_start: dt.datetime
    overridden: bool


def occurrence_key(original_start: dt.datetime) -> str:
    """The compact UTC form of an occurrence's original start, used in URLs and dedupe keys."""
    return original_start.astimezone(dt.UTC).strftime(KEY_FORMAT)


def occurrence_key_parse(key: str) -> dt.datetime:
    """The original start a key names; Conflict for a key that isn't one, or one more than ten
    years from today (meetings are scheduled within that window, and rules aren't expanded past it)."""
    try:
        moment = dt.datetime.strptime(key, KEY_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError as exc:
        raise Conflict("That isn't an occurrence of this meeting.") from exc
    now = timezone.now()
    if not now - SCHEDULE_WINDOW <= moment <= now + SCHEDULE_WINDOW:
        raise Conflict("That occurrence is more than ten years from today: it can't be changed.")
    return moment


def zone_of(meeting: Meeting) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(meeting.timezone)


def recurrence_of(meeting: Meeting) -> Recurrence | None:
    if not meeting.recurrence_rule:
        return None
    return recurrence_from_rule(meeting.recurrence_rule, zone=zone_of(meeting))


def recurrence_text(*, meeting: Meeting) -> str:
    """The series in words ("Weekly on Monday, until 31 Jan 2027"); "" for a one-off."""
    value = recurrence_of(meeting)
    if value is None or meeting.starts_at is None:
        return ""
    return recurrence_describe(value, starts_at=meeting.starts_at, zone=zone_of(meeting))


def _overrides(meeting: Meeting) -> dict[dt.datetime, OccurrenceOverride]:
    # .all() reads a prefetch when the caller made one (the calendar), a query otherwise.
    return {o.original_start: o for o in meeting.overrides.all()}


def _unchanged(meeting: Meeting, *, after: dt.datetime) -> Iterator[Occurrence]:
    """The occurrences the rule places, neither moved nor cancelled, from the first starting later
    than `after`, in order (endless for a series without an end)."""
    assert meeting.starts_at is not None and meeting.ends_at is not None  # scheduled meetings have both
    duration = meeting.ends_at - meeting.starts_at
    if not meeting.recurrence_rule:
        if meeting.starts_at > after:
            yield Occurrence(meeting, meeting.starts_at, meeting.ends_at, meeting.starts_at, False)
        return
    overrides = _overrides(meeting)
    zone = zone_of(meeting)
    for start in rule_starts(meeting.recurrence_rule, starts_at=meeting.starts_at, zone=zone, after=after):
        if start not in overrides:
            yield Occurrence(meeting, start, start + duration, start, False)


def _moved(meeting: Meeting) -> list[Occurrence]:
    if not meeting.recurrence_rule:
        return []
    return [
        Occurrence(meeting, o.starts_at, o.ends_at, o.original_start, True)
        for o in _overrides(meeting).values()
        if not o.cancelled and o.starts_at is not None and o.ends_at is not None
    ]


def _by_start(occurrences: list[Occurrence]) -> list[Occurrence]:
    return sorted(occurrences, key=lambda o: (o.starts_at, o.original_start))


def occurrences_between(*, meeting: Meeting, start: dt.datetime, end: dt.datetime) -> list[Occurrence]:
    """Occurrences overlapping [start, end), by start time."""
    if meeting.starts_at is None or meeting.ends_at is None:
        return []
    lookback = start - (meeting.ends_at - meeting.starts_at)
    unchanged = itertools.takewhile(lambda o: o.starts_at < end, _unchanged(meeting, after=lookback))
    found = [o for o in unchanged if o.ends_at > start]
    found += [o for o in _moved(meeting) if o.starts_at < end and o.ends_at > start]
    return _by_start(found)


def next_occurrence(*, meeting: Meeting, after: dt.datetime) -> Occurrence | None:
    """The first occurrence starting later than `after`."""
    if meeting.starts_at is None or meeting.ends_at is None:
        return None
    candidates = [o for o in _moved(meeting) if o.starts_at > after]
    candidates += itertools.islice(_unchanged(meeting, after=after), 1)
    return min(candidates, key=lambda o: (o.starts_at, o.original_start), default=None)


def occurrence_get(*, meeting: Meeting, original_start: dt.datetime) -> Occurrence:
    """The occurrence whose original start is `original_start`, or Conflict if the series has none
    there (or it was cancelled)."""
    if meeting.starts_at is None or meeting.ends_at is None:
        raise Conflict("This meeting has no occurrences.")
    if meeting.recurrence_rule:
        is_start = is_rule_start(
            meeting.recurrence_rule, starts_at=meeting.starts_at, zone=zone_of(meeting), moment=original_start
        )
    else:
        is_start = original_start == meeting.starts_at
    override = _overrides(meeting).get(original_start) if is_start and meeting.recurrence_rule else None
    if not is_start or (override is not None and override.cancelled):
        raise Conflict("That isn't an occurrence of this meeting.")
    if override is not None:
        assert override.starts_at is not None and override.ends_at is not None  # set when moved
        return Occurrence(meeting, override.starts_at, override.ends_at, original_start, True)
    duration = meeting.ends_at - meeting.starts_at
    return Occurrence(meeting, original_start, original_start + duration, original_start, False)


# ---- the caller's calendar -----------------------------------------------------------------


def _mine(user: User) -> Q:
    """Meetings I host or am invited to (as a user or by my email)."""
    return Q(host=user) | Q(invitees__user=user) | Q(invitees__email__iexact=user.email)


def _my_meetings(user: User) -> QuerySet[Meeting]:
    mine = Meeting.objects.filter(_mine(user)).values("pk")
    return (
        Meeting.objects.filter(pk__in=mine, kind=Meeting.Kind.SCHEDULED)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("host")
        .prefetch_related(
            Prefetch("overrides", queryset=OccurrenceOverride.objects.order_by("original_start")),
            Prefetch("invitees", queryset=MeetingInvitee.objects.order_by("email")),
        )
    )


def my_rsvp(meeting: Meeting, user: User) -> str | None:
    """My answer to an invitation to this meeting (from the prefetched invitees), None if not invited."""
    email = user.email.lower()
    for invitee in meeting.invitees.all():
        if invitee.user_id == user.pk or invitee.email.lower() == email:
            return invitee.rsvp
    return None


def calendar_occurrences(*, user: User, start: dt.datetime, end: dt.datetime) -> list[Occurrence]:
    """Occurrences overlapping [start, end) of the meetings I host or am invited to, not cancelled.
    Three queries (meetings, overrides, invitees) whatever the range; expansion is in Python."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise InvalidInput("Give start and end with a UTC offset, e.g. 2026-07-06T00:00:00Z.", field="start")
    if end <= start:
        raise InvalidInput("The end must be after the start.", field="end")
    if end - start > MAX_CALENDAR_RANGE:
        raise InvalidInput(f"Ask for at most {MAX_CALENDAR_RANGE.days} days at a time.", field="end")
    now = timezone.now()
    if start < now - SCHEDULE_WINDOW:
        raise InvalidInput("Ask for dates within ten years of today.", field="start")
    if end > now + SCHEDULE_WINDOW:
        raise InvalidInput("Ask for dates within ten years of today.", field="end")
    overlapping = Q(recurrence_rule="", starts_at__lt=end, ends_at__gt=start)
    series = ~Q(recurrence_rule="") & (
        Q(starts_at__lt=end) | Q(overrides__starts_at__lt=end, overrides__ends_at__gt=start)
    )
    meetings = _my_meetings(user).filter(pk__in=Meeting.objects.filter(overlapping | series).values("pk"))
    found = [o for meeting in meetings for o in occurrences_between(meeting=meeting, start=start, end=end)]
    return sorted(found, key=lambda o: (o.starts_at, o.meeting.title, o.meeting.meeting_code))


# ---- feeds ---------------------------------------------------------------------------------


def feed_urls(token: str) -> tuple[str, str]:
    """The feed's webcal:// (opens the calendar app) and https:// URLs."""
    https_url = f"{settings.SITE_URL}/api/v1/calendar/feed/{token}.ics"
    return "webcal://" + https_url.split("://", 1)[1], https_url


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_get(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def feed_entries(*, token: str) -> list[tuple[Meeting, list[MeetingInvitee]]]:
    """The meetings a feed shows (from 30 days back on, not cancelled), each with the attendees
    its reader may see (the host: everyone; an invitee: themselves), or NotFound for a token that
    is unknown or was revoked."""
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=feed_token_hash(token)).first()
    if feed is None:
        raise NotFound("No such calendar feed.")
    user, email = feed.user, feed.user.email.lower()
    since = timezone.now() - FEED_PAST
    recent = ~Q(recurrence_rule="") | Q(ends_at__gte=since)
    meetings = _my_meetings(user).filter(recent).order_by("starts_at", "meeting_code")
    return [
        (
            meeting,
            [
                invitee
                for invitee in meeting.invitees.all()
                if meeting.host_id == user.pk or invitee.user_id == user.pk or invitee.email.lower() == email
            ],
        )
        for meeting in meetings
    ]
