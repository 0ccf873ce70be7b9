"""Changes to one occurrence, to it and the ones after it, or to the whole series; calendar feeds."""

import datetime as dt
import itertools
import secrets
from dataclasses import replace
from typing import Literal

from django.db import transaction
from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.core.errors import Conflict, InvalidInput
from aapoon.core.ratelimit import check_rate_limit
from aapoon.meetings import selectors as meeting_selectors
from aapoon.meetings.models import Meeting
from aapoon.meetings.policies import check_is_host
from aapoon.meetings.services import (
    Invitee,
    MeetingSettings,
    check_times,
    invitees_add,
    meeting_cancel,
    meeting_create,
    meeting_update,
)
from aapoon.scheduling import selectors
from aapoon.scheduling.ics import feed_ics
from aapoon.scheduling.invitations import invitations_send, invitations_update
from aapoon.scheduling.models import CalendarFeed, OccurrenceOverride
from aapoon.scheduling.recurrence import (
    is_rule_start,
    local_wall,
    localize,
    recurrence_from_rule,
    recurrence_shift_days,
    rule_starts,
    rule_with_until,
)

MoveScope = Literal["this", "following", "all"]
CancelScope = Literal["this", "following"]
# Per feed: calendars poll every few minutes at most; per address: Google and Outlook fetch every
# subscriber's feed from a few shared addresses, so that limit only stops a flood.
FEED_RATE_LIMIT = 60
FEED_RATE_WINDOW_SECONDS = 3600
FEED_IP_RATE_LIMIT = 600
FEED_IP_RATE_WINDOW_SECONDS = 60
SECOND = dt.timedelta(seconds=1)


def _series_for_host(*, user: User, code: str) -> Meeting:
    meeting = meeting_selectors.meeting_get_visible(user=user, code=code)
    check_is_host(meeting=meeting, user=user)
    if meeting.status not in meeting_selectors.ACTIVE_STATUSES:
        raise Conflict("This meeting is over; it can't be changed.")
    return meeting


def _locked_occurrence(meeting: Meeting, key: str) -> tuple[Meeting, selectors.Occurrence]:
    """The meeting row locked (inside the caller's transaction) and the occurrence `key` names."""
    meeting = Meeting.objects.select_for_update().select_related("host").get(pk=meeting.pk)
    original_start = selectors.occurrence_key_parse(key)
    return meeting, selectors.occurrence_get(meeting=meeting, original_start=original_start)


def _changed(meeting: Meeting) -> None:
    """Save a change invitees must see and send it to them (inside the transaction)."""
    meeting.ics_sequence += 1
    upcoming = selectors.next_occurrence(meeting=meeting, after=timezone.now())
    meeting.next_occurrence_at = upcoming.starts_at if upcoming else None
    meeting.save(update_fields=["recurrence_rule", "ics_sequence", "next_occurrence_at", "updated_at"])
    invitations_update(meeting=meeting)


def _end_before(meeting: Meeting, original_start: dt.datetime) -> None:
    """End the series the day before this occurrence (in the meeting's zone); its exceptions from
    there on go with it."""
    meeting.recurrence_rule = rule_with_until(
        meeting.recurrence_rule, last_before=original_start, zone=selectors.zone_of(meeting)
    )
    meeting.overrides.filter(original_start__gte=original_start).delete()


def _is_first(meeting: Meeting, occurrence: selectors.Occurrence) -> bool:
    return not meeting.recurrence_rule or occurrence.original_start == meeting.starts_at


def occurrence_move(
    *, user: User, code: str, key: str, scope: MoveScope, starts_at: dt.datetime, ends_at: dt.datetime
) -> Meeting:
    """Move one occurrence, it and the ones after it (a new meeting carries those), or the whole
    series (by the same wall-clock shift). Returns the meeting that now holds the occurrence."""
    if scope not in ("this", "following", "all"):
        raise InvalidInput("Change this meeting, this and the following ones, or all.", field="scope")
    check_times(starts_at, ends_at)
    meeting = _series_for_host(user=user, code=code)
    occurrence = selectors.occurrence_get(meeting=meeting, original_start=selectors.occurrence_key_parse(key))
    if (
        scope == "all"
        or not meeting.recurrence_rule
        or (scope == "following" and _is_first(meeting, occurrence))
    ):
        return _move_series(
            user=user, meeting=meeting, occurrence=occurrence, starts_at=starts_at, ends_at=ends_at
        )
    with transaction.atomic():
        meeting, occurrence = _locked_occurrence(meeting, key)
        if scope == "this":
            OccurrenceOverride.objects.update_or_create(
                meeting=meeting,
                original_start=occurrence.original_start,
                defaults={"cancelled": False, "starts_at": starts_at, "ends_at": ends_at},
            )
            _changed(meeting)
            return meeting_selectors.meeting_get_visible(user=user, code=meeting.meeting_code)
        return _split(user=user, meeting=meeting, occurrence=occurrence, starts_at=starts_at, ends_at=ends_at)


def _move_series(
    *,
    user: User,
    meeting: Meeting,
    occurrence: selectors.Occurrence,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> Meeting:
    assert meeting.starts_at is not None  # a meeting with occurrences is scheduled
    zone = selectors.zone_of(meeting)
    # In wall-clock time, so a series moved by an hour in winter is an hour later in summer too.
    shift = local_wall(starts_at, zone) - local_wall(occurrence.original_start, zone)
    first_start = localize(local_wall(meeting.starts_at, zone) + shift, zone)
    return meeting_update(
        user=user,
        code=meeting.meeting_code,
        values=MeetingSettings(starts_at=first_start, ends_at=first_start + (ends_at - starts_at)),
    )


def _split(
    *,
    user: User,
    meeting: Meeting,
    occurrence: selectors.Occurrence,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> Meeting:
    """This occurrence and the following ones become a new meeting (a new code and calendar UID:
    its invitees are invited afresh); the old series ends before it. The exceptions after this
    occurrence go with them (see `_overrides_carry`)."""
    assert meeting.starts_at is not None  # a series is scheduled
    zone = selectors.zone_of(meeting)
    recurrence = recurrence_from_rule(meeting.recurrence_rule, zone=zone)
    if recurrence.count is not None:  # the new series has the meetings the old one had left
        starts = rule_starts(
            meeting.recurrence_rule, starts_at=meeting.starts_at, zone=zone, after=meeting.starts_at - SECOND
        )
        earlier = sum(1 for _ in itertools.takewhile(lambda start: start < occurrence.original_start, starts))
        recurrence = replace(recurrence, count=recurrence.count - earlier)
    days = (starts_at.astimezone(zone).date() - occurrence.original_start.astimezone(zone).date()).days
    invitees = [Invitee(email=i.email, name=i.name) for i in meeting.invitees.all()]
    rest = meeting_create(
        user=user,
        kind=Meeting.Kind.SCHEDULED,
        account_id=meeting.account_id,
        values=MeetingSettings(
            title=meeting.title,
            description=meeting.description,
            starts_at=starts_at,
            ends_at=ends_at,
            timezone=meeting.timezone,
            passcode=meeting.passcode,
            waiting_room_enabled=meeting.waiting_room_enabled,
            guests_allowed=meeting.guests_allowed,
            recording_allowed=meeting.recording_allowed,
            transcription_enabled=meeting.transcription_enabled,
            max_participants=meeting.max_participants,
            recurrence=recurrence_shift_days(recurrence, days=days),
        ),
    )
    _overrides_carry(meeting, rest, occurrence=occurrence)
    upcoming = selectors.next_occurrence(meeting=rest, after=timezone.now())
    rest.next_occurrence_at = upcoming.starts_at if upcoming else None
    rest.save(update_fields=["next_occurrence_at", "updated_at"])
    # Invited once the exceptions are in place, so the invitation shows them.
    added = invitees_add(rest, invitees)
    if added:
        invitations_send(meeting=rest, invitees=added)
    _end_before(meeting, occurrence.original_start)
    _changed(meeting)
    return meeting_selectors.meeting_get_visible(user=user, code=rest.meeting_code)


def _overrides_carry(meeting: Meeting, rest: Meeting, *, occurrence: selectors.Occurrence) -> None:
    """The old series' exceptions after the split occurrence, moved onto the new series: each
    original start shifts by the wall-clock shift of the split occurrence. A cancelled one stays
    cancelled, a moved one keeps its own times, while the new rule still has that occurrence (an
    UNTIL that stayed may cut the last one off). The old ones are deleted with the old series' end."""
    assert rest.starts_at is not None  # a series is scheduled
    zone = selectors.zone_of(meeting)
    shift = local_wall(rest.starts_at, zone) - local_wall(occurrence.original_start, zone)
    later = meeting.overrides.filter(original_start__gt=occurrence.original_start).order_by("original_start")
    carried = []
    for override in later:
        original = localize(local_wall(override.original_start, zone) + shift, zone)
        if is_rule_start(rest.recurrence_rule, starts_at=rest.starts_at, zone=zone, moment=original):
            carried.append(
                OccurrenceOverride(
                    meeting=rest,
                    original_start=original,
                    cancelled=override.cancelled,
                    starts_at=override.starts_at,
                    ends_at=override.ends_at,
                )
            )
    OccurrenceOverride.objects.bulk_create(carried)


def occurrence_cancel(*, user: User, code: str, key: str, scope: CancelScope) -> Meeting:
    """Cancel one occurrence, or it and the ones after it (from the first: the whole meeting)."""
    if scope not in ("this", "following"):
        raise InvalidInput("Cancel this meeting, or this and the following ones.", field="scope")
    meeting = _series_for_host(user=user, code=code)
    occurrence = selectors.occurrence_get(meeting=meeting, original_start=selectors.occurrence_key_parse(key))
    if not meeting.recurrence_rule or (scope == "following" and _is_first(meeting, occurrence)):
        return meeting_cancel(user=user, code=code)
    with transaction.atomic():
        meeting, occurrence = _locked_occurrence(meeting, key)
        if scope == "this":
            OccurrenceOverride.objects.update_or_create(
                meeting=meeting,
                original_start=occurrence.original_start,
                defaults={"cancelled": True, "starts_at": None, "ends_at": None},
            )
        else:
            _end_before(meeting, occurrence.original_start)
        _changed(meeting)
    return meeting_selectors.meeting_get_visible(user=user, code=meeting.meeting_code)


# ---- calendar feeds ------------------------------------------------------------------------


def calendar_feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new feed for the user (the old URL stops working) and its token: shown this once, since
    only its hash is kept."""
    token = secrets.token_urlsafe(32)  # 256 bits
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        feed = CalendarFeed.objects.create(user=user, token_hash=selectors.feed_token_hash(token))
    return feed, token


def calendar_feed_delete(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def calendar_feed_read(*, token: str, ip: str) -> str:
    """The feed's iCalendar text (NotFound for an unknown or revoked token), rate-limited."""
    check_rate_limit(
        scope="calendar-feed-ip", key=ip, limit=FEED_IP_RATE_LIMIT, window_seconds=FEED_IP_RATE_WINDOW_SECONDS
    )
    check_rate_limit(
        scope="calendar-feed",
        key=selectors.feed_token_hash(token),
        limit=FEED_RATE_LIMIT,
        window_seconds=FEED_RATE_WINDOW_SECONDS,
    )
    return feed_ics(entries=selectors.feed_entries(token=token))
