"""Invitation emails: one per invitee, with their own RSVP links and the meeting as an .ics.

Called by the meeting services inside their transaction (after the rows are saved and
ics_sequence raised): the notifications are written with the change and sent after commit, and
their dedupe keys make a retried transaction or a second call send nothing twice.
"""

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from typing import Literal

from django.utils import timezone

from aapoon.meetings.models import Meeting, MeetingInvitee
from aapoon.notifications.services import Event, NotificationPayload, Recipient, notify
from aapoon.scheduling.ics import join_url, meeting_ics
from aapoon.scheduling.rsvp import ANSWER_LABELS, ANSWERS, host_name, rsvp_expiry, rsvp_token, rsvp_url
from aapoon.scheduling.selectors import recurrence_text

Kind = Literal["invite", "update", "cancel"]

_EVENTS: dict[Kind, str] = {"invite": Event.INVITATION, "update": Event.UPDATE, "cancel": Event.CANCELLATION}
_SUBJECTS: dict[Kind, str] = {"invite": "Invitation", "update": "Updated invitation", "cancel": "Cancelled"}


def invitations_send(*, meeting: Meeting, invitees: Sequence[MeetingInvitee]) -> None:
    """Invite these (new) invitees."""
    _send(meeting=meeting, invitees=invitees, kind="invite")


def invitations_update(*, meeting: Meeting) -> None:
    """Send everyone still invited the changed meeting (the whole series)."""
    _send(meeting=meeting, invitees=list(meeting.invitees.all()), kind="update")


def invitations_cancel(*, meeting: Meeting, invitees: Sequence[MeetingInvitee]) -> None:
    """The meeting was cancelled, or these invitees were removed from it: take it off their calendars."""
    _send(meeting=meeting, invitees=invitees, kind="cancel")


def when_text(meeting: Meeting) -> tuple[str, str]:
    """The meeting's time in its own zone, short (for a subject) and in full, e.g.
    "Weekly on Monday 09:00 (Europe/London)" and
    "Weekly on Monday, 09:00 to 09:15 (Europe/London), from Mon 6 Jul 2026"."""
    assert meeting.starts_at is not None and meeting.ends_at is not None  # scheduled meetings have both
    zone = zoneinfo.ZoneInfo(meeting.timezone)
    start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    day = f"{start:%a} {start.day} {start:%b %Y}"
    hours = f"{start:%H:%M} to {end:%H:%M} ({meeting.timezone})"
    repeats = recurrence_text(meeting=meeting)
    if repeats:
        return f"{repeats} {start:%H:%M} ({meeting.timezone})", f"{repeats}, {hours}, from {day}"
    return f"{day} {start:%H:%M} ({meeting.timezone})", f"{day}, {hours}"


def _send(*, meeting: Meeting, invitees: Sequence[MeetingInvitee], kind: Kind) -> None:
    host_email = meeting.host.email.lower()
    recipients = [i for i in invitees if i.user_id != meeting.host_id and i.email.lower() != host_email]
    if not recipients:
        return
    expires_at = rsvp_expiry(meeting=meeting, now=timezone.now())
    for invitee in recipients:
        notify(
            event=_EVENTS[kind],
            recipients=[Recipient(user_id=invitee.user_id, email=invitee.email)],
            payload=_payload(meeting=meeting, invitee=invitee, kind=kind, expires_at=expires_at),
            dedupe_key=f"{kind}:{meeting.pk}:{meeting.ics_sequence}:{invitee.pk}",
        )


def _payload(
    *, meeting: Meeting, invitee: MeetingInvitee, kind: Kind, expires_at: dt.datetime
) -> NotificationPayload:
    url = join_url(meeting)
    when_short, when = when_text(meeting)
    host = host_name(meeting)
    if kind == "cancel":
        lines = [f"{host} cancelled {meeting.title} ({when}).", "", "It has been taken off your calendar."]
        short = f"Cancelled: {meeting.title}"
    else:
        token = rsvp_token(invitee=invitee, expires_at=expires_at)
        intro = f"{host} invited you to" if kind == "invite" else f"{host} changed"
        lines = [f"{intro} {meeting.title}.", "", f"When: {when}", f"Join: {url}"]
        if meeting.passcode:
            lines.append(f"Passcode: {meeting.passcode}")
        if meeting.description:
            lines += ["", meeting.description]
        lines += ["", "Will you attend?"]
        lines += [f"{ANSWER_LABELS[answer]}: {rsvp_url(token=token, answer=answer)}" for answer in ANSWERS]
        short = f"{intro} {meeting.title}: {when_short}"
    method: Literal["REQUEST", "CANCEL"] = "CANCEL" if kind == "cancel" else "REQUEST"
    return {
        "subject": f"{_SUBJECTS[kind]}: {meeting.title} @ {when_short}",
        "text": "\n".join(lines) + "\n",
        "short": short,
        "url": url,
        "ics": meeting_ics(meeting=meeting, method=method, attendees=[invitee]),
        "ics_method": method,
        "meeting_code": meeting.meeting_code,
    }
