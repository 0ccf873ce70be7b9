"""Meetings as iCalendar (RFC 5545 / iTIP) for invitations and the calendar feed.

One UID per meeting for its whole life, so calendars update the event in place; SEQUENCE is
the meeting's `ics_sequence`; a series is one VEVENT with RRULE, EXDATE for cancelled
occurrences and one extra VEVENT (RECURRENCE-ID) per moved occurrence.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vRecur

from aapoon.meetings.links import meeting_join_url
from aapoon.meetings.models import Meeting, MeetingInvitee
from aapoon.scheduling.selectors import zone_of

Method = Literal["REQUEST", "CANCEL", "PUBLISH"]
PARTSTAT = {
    MeetingInvitee.Rsvp.PENDING: "NEEDS-ACTION",
    MeetingInvitee.Rsvp.ACCEPTED: "ACCEPTED",
    MeetingInvitee.Rsvp.TENTATIVE: "TENTATIVE",
    MeetingInvitee.Rsvp.DECLINED: "DECLINED",
}
PRODID = "-//aapoon//aapoon meet//EN"
# VTIMEZONE transitions are written out for this long after a series' last known date.
ZONE_YEARS_AHEAD = 10


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.pk}@{urlsplit(settings.SITE_URL).hostname}"


def join_url(meeting: Meeting) -> str:
    return meeting_join_url(meeting.meeting_code)


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    return address


def _description(meeting: Meeting) -> str:
    lines = [f"Join: {join_url(meeting)}"]
    if meeting.passcode:
        lines.append(f"Passcode: {meeting.passcode}")
    if meeting.description:
        lines += ["", meeting.description]
    return "\n".join(lines)


def _base(
    meeting: Meeting, *, method: Method, attendees: Sequence[MeetingInvitee], stamp: dt.datetime
) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.ics_sequence)
    event.add("summary", meeting.title)
    event.add("description", _description(meeting))
    event.add("url", join_url(meeting))
    event.add("location", join_url(meeting))
    host = meeting.host
    event.add("organizer", _address(host.email, host.display_name or host.full_name or host.email))
    for invitee in attendees:
        attendee = _address(invitee.email, invitee.name)
        attendee.params.update(
            {
                "CUTYPE": "INDIVIDUAL",
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": PARTSTAT[MeetingInvitee.Rsvp(invitee.rsvp)],
                "RSVP": "TRUE",
            }
        )
        event.add("attendee", attendee)
    cancelled = method == "CANCEL" or meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _events(meeting: Meeting, *, method: Method, attendees: Sequence[MeetingInvitee]) -> list[Event]:
    assert meeting.starts_at is not None and meeting.ends_at is not None  # scheduled meetings have both
    zone = zone_of(meeting)
    stamp = timezone.now()
    master = _base(meeting, method=method, attendees=attendees, stamp=stamp)
    master.add("dtstart", meeting.starts_at.astimezone(zone))
    master.add("dtend", meeting.ends_at.astimezone(zone))
    if not meeting.recurrence_rule:
        return [master]
    master.add("rrule", vRecur.from_ical(meeting.recurrence_rule))
    overrides = sorted(meeting.overrides.all(), key=lambda o: o.original_start)
    cancelled = [o.original_start.astimezone(zone) for o in overrides if o.cancelled]
    if cancelled:
        master.add("exdate", cancelled)
    events = [master]
    if method == "CANCEL":  # the whole series goes: its exceptions with it
        return events
    for override in overrides:
        if override.cancelled or override.starts_at is None or override.ends_at is None:
            continue
        moved = _base(meeting, method=method, attendees=attendees, stamp=stamp)
        moved.add("recurrence-id", override.original_start.astimezone(zone))
        moved.add("dtstart", override.starts_at.astimezone(zone))
        moved.add("dtend", override.ends_at.astimezone(zone))
        events.append(moved)
    return events


def _calendar(method: Method, events: Iterable[Event], *, first: dt.date, last: dt.date) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical().decode()


def _span(meetings: Sequence[Meeting]) -> tuple[dt.date, dt.date]:
    """The dates the VTIMEZONEs must cover: a series without an end gets ten years ahead."""
    starts = [m.starts_at for m in meetings if m.starts_at is not None]
    first = min(starts, default=timezone.now()) - dt.timedelta(days=2)
    last = max(starts, default=timezone.now()) + dt.timedelta(days=366 * ZONE_YEARS_AHEAD)
    return first.date(), last.date()


def meeting_ics(*, meeting: Meeting, method: Method, attendees: Sequence[MeetingInvitee]) -> str:
    """A VCALENDAR with this meeting for `attendees` (iTIP REQUEST, CANCEL, or PUBLISH)."""
    first, last = _span([meeting])
    return _calendar(method, _events(meeting, method=method, attendees=attendees), first=first, last=last)


def feed_ics(*, entries: Sequence[tuple[Meeting, Sequence[MeetingInvitee]]]) -> str:
    """A PUBLISH calendar of these meetings with these attendees, each as meeting_ics writes it."""
    first, last = _span([meeting for meeting, _ in entries])
    events = [
        event
        for meeting, attendees in entries
        for event in _events(meeting, method="PUBLISH", attendees=attendees)
    ]
    return _calendar("PUBLISH", events, first=first, last=last)
