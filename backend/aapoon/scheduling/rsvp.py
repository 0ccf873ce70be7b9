"""RSVP links that work without signing in: a signed token per invitee, and recording the answer."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from aapoon.core.errors import Conflict, InvalidInput, NotFound
from aapoon.core.ratelimit import check_rate_limit
from aapoon.meetings.models import Meeting, MeetingInvitee
from aapoon.notifications.services import Event, NotificationPayload, Recipient, notify
from aapoon.scheduling.ics import join_url
from aapoon.scheduling.selectors import next_occurrence, occurrences_between, recurrence_text

SALT = "aapoon.rsvp"
# A link keeps working a week past the meeting (late answers, time zones), but never for longer
# than this, so a mailbox leaked years later opens nothing.
GRACE = dt.timedelta(days=7)
MAX_LIFETIME = dt.timedelta(days=400)
ANSWERS = (MeetingInvitee.Rsvp.ACCEPTED, MeetingInvitee.Rsvp.TENTATIVE, MeetingInvitee.Rsvp.DECLINED)
ANSWER_LABELS = {
    MeetingInvitee.Rsvp.ACCEPTED: "Yes",
    MeetingInvitee.Rsvp.TENTATIVE: "Maybe",
    MeetingInvitee.Rsvp.DECLINED: "No",
}
# Per IP: enough for anyone answering their own invitations, too few to guess tokens (which are
# signed anyway) or to hammer the host with notifications.
RATE_LIMIT = 30
RATE_WINDOW_SECONDS = 60


def rsvp_expiry(*, meeting: Meeting, now: dt.datetime) -> dt.datetime:
    """When links to this meeting stop working: a week after its last occurrence ends, capped."""
    cap = now + MAX_LIFETIME
    rule = meeting.recurrence_rule
    if rule and "UNTIL=" not in rule and "COUNT=" not in rule:
        return cap  # a series without an end
    last_end = meeting.ends_at or now
    if rule:
        occurrences = occurrences_between(meeting=meeting, start=now, end=cap)
        if occurrences:
            last_end = occurrences[-1].ends_at
    return min(last_end + GRACE, cap)


def rsvp_token(*, invitee: MeetingInvitee, expires_at: dt.datetime) -> str:
    # The expiry travels inside the signed value: TimestampSigner's max_age is one for all tokens.
    return signing.dumps({"i": str(invitee.pk), "e": int(expires_at.timestamp())}, salt=SALT)


def rsvp_url(*, token: str, answer: str) -> str:
    return f"{settings.SITE_URL}/rsvp/{token}?answer={answer}"


def _invitee_id(token: str) -> uuid.UUID:
    try:
        value = signing.loads(token, salt=SALT)
        invitee_id, expires = uuid.UUID(value["i"]), int(value["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidInput("This link is not valid.") from exc
    if timezone.now().timestamp() > expires:
        raise InvalidInput("This link has expired.")
    return invitee_id


def _check(*, ip: str) -> None:
    check_rate_limit(scope="rsvp", key=ip, limit=RATE_LIMIT, window_seconds=RATE_WINDOW_SECONDS)


def _check_meeting(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict("This meeting was cancelled.")


def _gone() -> NotFound:
    return NotFound("You are no longer invited to this meeting.")


@dataclass(frozen=True)
class RsvpState:
    """What the answer page shows: never the host's email or the other invitees."""

    meeting_title: str
    host_name: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    timezone: str
    recurrence_text: str
    current: str


def _state(invitee: MeetingInvitee) -> RsvpState:
    meeting = invitee.meeting
    upcoming = next_occurrence(meeting=meeting, after=timezone.now()) if meeting.recurrence_rule else None
    return RsvpState(
        meeting_title=meeting.title,
        host_name=host_name(meeting),
        starts_at=upcoming.starts_at if upcoming else meeting.starts_at,
        ends_at=upcoming.ends_at if upcoming else meeting.ends_at,
        timezone=meeting.timezone,
        recurrence_text=recurrence_text(meeting=meeting),
        current=invitee.rsvp,
    )


def host_name(meeting: Meeting) -> str:
    return meeting.host.display_name or meeting.host.full_name or "The host"


def rsvp_get(*, token: str, ip: str) -> RsvpState:
    _check(ip=ip)
    invitee = MeetingInvitee.objects.select_related("meeting__host").filter(pk=_invitee_id(token)).first()
    if invitee is None:
        raise _gone()
    _check_meeting(invitee.meeting)
    return _state(invitee)


def rsvp_record(*, token: str, answer: str, ip: str) -> RsvpState:
    """Record the invitee's answer; the host hears of it when it changes."""
    _check(ip=ip)
    if answer not in ANSWERS:
        raise InvalidInput("Answer accepted, tentative or declined.", field="answer")
    invitee_id = _invitee_id(token)
    with transaction.atomic():
        invitee = MeetingInvitee.objects.select_for_update().filter(pk=invitee_id).first()
        if invitee is None:
            raise _gone()
        meeting = Meeting.objects.select_related("host").get(pk=invitee.meeting_id)
        invitee.meeting = meeting
        _check_meeting(meeting)
        if invitee.rsvp != answer:
            invitee.rsvp, invitee.rsvp_at = answer, timezone.now()
            invitee.save(update_fields=["rsvp", "rsvp_at", "updated_at"])
            _notify_host(invitee)
    return _state(invitee)


def _notify_host(invitee: MeetingInvitee) -> None:
    meeting = invitee.meeting
    who = invitee.name or invitee.email
    said = ANSWER_LABELS[MeetingInvitee.Rsvp(invitee.rsvp)]
    url = join_url(meeting)
    payload: NotificationPayload = {
        "subject": f"{who} answered {said}: {meeting.title}",
        "text": f"{who} answered {said} to your invitation to {meeting.title}.\n\n{url}\n",
        "short": f"{who} answered {said} to {meeting.title}",
        "url": url,
        "meeting_code": meeting.meeting_code,
    }
    assert invitee.rsvp_at is not None  # set by the caller with the answer
    notify(
        event=Event.RSVP,
        recipients=[Recipient(user_id=meeting.host_id)],
        payload=payload,
        dedupe_key=f"rsvp:{invitee.pk}:{invitee.rsvp}:{invitee.rsvp_at.isoformat()}",
    )
