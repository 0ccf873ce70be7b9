"""Meetings: create, schedule, change, cancel, end; join, connect and leave a meeting."""

import datetime as dt
import hmac
import re
import uuid
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from aapoon.accounts.models import Account, Membership, User
from aapoon.core.errors import Conflict, InvalidInput, NotFound
from aapoon.core.ratelimit import check_rate_limit
from aapoon.media import selectors as media_selectors
from aapoon.media.ice import IceServer, ice_servers_for
from aapoon.media.recording import recording_stop_if_active
from aapoon.meetings import away, events, selectors, sfu
from aapoon.meetings.breakout_selectors import breakout_state, room_on_arrival
from aapoon.meetings.codes import meeting_code_generate, meeting_code_normalize
from aapoon.meetings.errors import MeetingFull, MeetingLocked, MeetingUnavailable
from aapoon.meetings.models import BreakoutPlan, Meeting, MeetingInvitee, MeetingParticipant
from aapoon.meetings.participant_tokens import participant_token_issue
from aapoon.meetings.payloads import meeting_payload, participant_payload
from aapoon.meetings.policies import check_is_host
from aapoon.meetings.poll_selectors import poll_host_list, poll_votes_of
from aapoon.meetings.tickets import ticket_issue, ticket_redeem
from aapoon.scheduling import selectors as scheduling_selectors
from aapoon.scheduling.invitations import invitations_cancel, invitations_send, invitations_update
from aapoon.scheduling.models import OccurrenceOverride
from aapoon.scheduling.recurrence import (
    SCHEDULE_WINDOW,
    Recurrence,
    is_rule_start,
    local_wall,
    localize,
    recurrence_clean,
    recurrence_from_rule,
    recurrence_shift_days,
    recurrence_to_rule,
)

PASSCODE = re.compile(r"^[A-Za-z0-9]{4,10}$")
MAX_INVITEES = 200
MAX_DURATION = dt.timedelta(hours=24)
# SCHEDULE_WINDOW (ten years, in recurrence): how far from today a meeting may start.
Status = MeetingParticipant.Status
Role = MeetingParticipant.Role


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str = ""


@dataclass
class MeetingSettings:
    """The fields a host sets when creating or changing a meeting (None: leave as it is)."""

    title: str | None = None
    description: str | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    timezone: str | None = None
    passcode: str | None = None
    waiting_room_enabled: bool | None = None
    guests_allowed: bool | None = None
    recording_allowed: bool | None = None
    # Recordings of the meeting get a transcript (aapoon/media/transcripts.py).
    transcription_enabled: bool | None = None
    max_participants: int | None = None
    invitees: list[Invitee] | None = field(default=None)
    recurrence: Recurrence | None = None
    # Set to stop a series repeating (`recurrence` None alone means "leave as it is").
    recurrence_clear: bool = False


# ---- checks on input ------------------------------------------------------------------


def _clean_settings(values: MeetingSettings) -> MeetingSettings:
    if values.title is not None:
        values.title = values.title.strip()
        if not values.title:
            raise InvalidInput("Give the meeting a title.", field="title")
    if values.timezone is not None:
        try:
            zoneinfo.ZoneInfo(values.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput("Unknown time zone.", field="timezone") from exc
    if values.passcode and not PASSCODE.match(values.passcode):
        raise InvalidInput("A passcode is 4 to 10 letters or digits.", field="passcode")
    cap = settings.MEETING_MAX_PARTICIPANTS_LIMIT
    if values.max_participants is not None and not 2 <= values.max_participants <= cap:
        raise InvalidInput(f"Allow between 2 and {cap} participants.", field="max_participants")
    if values.invitees is not None:
        values.invitees = _clean_invitees(values.invitees)
    return values


def _clean_invitees(invitees: list[Invitee]) -> list[Invitee]:
    if len(invitees) > MAX_INVITEES:
        raise InvalidInput(f"Invite at most {MAX_INVITEES} people.", field="invitees")
    unique: dict[str, Invitee] = {}
    for invitee in invitees:
        email = invitee.email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(f"“{invitee.email}” is not an email address.", field="invitees") from exc
        unique.setdefault(email, Invitee(email=email, name=invitee.name.strip()[:150]))
    return list(unique.values())


def check_times(starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> None:
    if starts_at is None or ends_at is None:
        raise InvalidInput(
            "A scheduled meeting needs a start and an end.", field="starts_at" if not starts_at else "ends_at"
        )
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise InvalidInput("Times need a UTC offset.", field="starts_at")
    if ends_at <= starts_at:
        raise InvalidInput("The meeting must end after it starts.", field="ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise InvalidInput("A meeting can last at most 24 hours.", field="ends_at")
    now = timezone.now()
    if not now - SCHEDULE_WINDOW <= starts_at <= now + SCHEDULE_WINDOW:
        raise InvalidInput("Pick a start within ten years of today.", field="starts_at")


def _host_account(*, user: User, account_id: uuid.UUID | None) -> Account:
    memberships = Membership.objects.filter(user=user).select_related("account")
    if account_id is not None:
        membership = memberships.filter(account_id=account_id).first()
        if membership is None:
            raise NotFound("No such account.")
        return membership.account
    own = memberships.filter(account__owner=user, account__type=Account.Type.PROFESSIONAL).first()
    membership = own or memberships.order_by("created_at").first()
    if membership is None:
        raise InvalidInput("You need an account to host meetings.")
    return membership.account


def _invitees_remove(meeting: Meeting, invitees: list[Invitee]) -> list[MeetingInvitee]:
    """Delete the invitees no longer on the list; returns them (as they were) for the cancellations."""
    removed = list(meeting.invitees.exclude(email__in=[i.email for i in invitees]))
    MeetingInvitee.objects.filter(pk__in=[i.pk for i in removed]).delete()
    return removed


def invitees_add(meeting: Meeting, invitees: list[Invitee]) -> list[MeetingInvitee]:
    """Add the invitees not invited yet; returns the new rows."""
    # Invitee emails are lower-cased; a user's email keeps the case it was signed up with.
    emails = [i.email for i in invitees]
    users = {
        u.email.lower(): u
        for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }
    existing = set(meeting.invitees.values_list("email", flat=True))
    return MeetingInvitee.objects.bulk_create(
        MeetingInvitee(meeting=meeting, email=i.email, name=i.name, user=users.get(i.email))
        for i in invitees
        if i.email not in existing
    )


def _rule(value: Recurrence, *, starts_at: dt.datetime | None, zone_name: str) -> str:
    assert starts_at is not None  # checked with the times before
    zone = zoneinfo.ZoneInfo(zone_name)
    return recurrence_to_rule(recurrence_clean(value, starts_at=starts_at, zone=zone), zone=zone)


def _next_occurrence_at(meeting: Meeting, now: dt.datetime) -> dt.datetime | None:
    if meeting.kind != Meeting.Kind.SCHEDULED or meeting.status in selectors.CLOSED_STATUSES:
        return None
    upcoming = scheduling_selectors.next_occurrence(meeting=meeting, after=now)
    return upcoming.starts_at if upcoming else None


def _default_max_participants() -> int:
    """With media nodes the SFU carries the meeting; without, the browser mesh sets the limit."""
    if media_selectors.nodes_enabled():
        return settings.MEETING_SFU_DEFAULT_MAX_PARTICIPANTS
    return settings.MEETING_P2P_MAX_PARTICIPANTS


def _unique_code() -> str:
    # 60 random bits: a clash is practically impossible, but a unique index backs it anyway.
    code = meeting_code_generate()
    while Meeting.objects.filter(meeting_code=code).exists():
        code = meeting_code_generate()
    return code


# ---- the meeting's lifecycle ------------------------------------------------------------


def meeting_create(
    *, user: User, kind: str, values: MeetingSettings, account_id: uuid.UUID | None = None
) -> Meeting:
    values = _clean_settings(values)
    if kind not in Meeting.Kind.values:
        raise InvalidInput("Kind is instant or scheduled.", field="kind")
    now = timezone.now()
    if kind == Meeting.Kind.SCHEDULED:
        check_times(values.starts_at, values.ends_at)
    elif values.recurrence is not None:
        raise InvalidInput("Only a scheduled meeting can repeat.", field="recurrence")
    zone_name = values.timezone or user.timezone
    rule = (
        ""
        if values.recurrence is None
        else _rule(values.recurrence, starts_at=values.starts_at, zone_name=zone_name)
    )
    account = _host_account(user=user, account_id=account_id)
    meeting = Meeting(
        account=account,
        host=user,
        kind=kind,
        title=values.title or f"{user.display_name or user.full_name or user.email.split('@')[0]}'s meeting",
        description=values.description or "",
        meeting_code=_unique_code(),
        passcode=values.passcode or "",
        timezone=zone_name,
        recurrence_rule=rule,
        max_participants=values.max_participants or _default_max_participants(),
        waiting_room_enabled=True if values.waiting_room_enabled is None else values.waiting_room_enabled,
        guests_allowed=True if values.guests_allowed is None else values.guests_allowed,
        recording_allowed=bool(values.recording_allowed),
        transcription_enabled=bool(values.transcription_enabled),
    )
    if kind == Meeting.Kind.INSTANT:
        meeting.status, meeting.starts_at, meeting.started_at = Meeting.Status.LIVE, now, now
    else:
        meeting.status, meeting.starts_at, meeting.ends_at = (
            Meeting.Status.SCHEDULED,
            values.starts_at,
            values.ends_at,
        )
    with transaction.atomic():
        try:
            meeting.save()
        except IntegrityError as exc:  # a code clash in the instant between check and insert
            raise Conflict("Please try again.") from exc
        meeting.next_occurrence_at = _next_occurrence_at(meeting, now)
        meeting.save(update_fields=["next_occurrence_at"])
        if values.invitees:
            added = invitees_add(meeting, values.invitees)
            if kind == Meeting.Kind.SCHEDULED:
                invitations_send(meeting=meeting, invitees=added)
    return meeting


def _updated_rule(meeting: Meeting, values: MeetingSettings) -> str:
    """The series' rule after this change (InvalidInput if the result isn't a valid series)."""
    if values.recurrence_clear:
        return ""
    starts_at = values.starts_at or meeting.starts_at
    zone_name = values.timezone or meeting.timezone
    if values.recurrence is not None:
        return _rule(values.recurrence, starts_at=starts_at, zone_name=zone_name)
    if not meeting.recurrence_rule or (starts_at, zone_name) == (meeting.starts_at, meeting.timezone):
        return meeting.recurrence_rule
    # The series moves with its first meeting: weekly days follow its weekday.
    assert starts_at is not None and meeting.starts_at is not None  # a series is scheduled
    old_zone = zoneinfo.ZoneInfo(meeting.timezone)
    days = (
        starts_at.astimezone(zoneinfo.ZoneInfo(zone_name)).date()
        - meeting.starts_at.astimezone(old_zone).date()
    ).days
    current = recurrence_from_rule(meeting.recurrence_rule, zone=old_zone)
    return _rule(recurrence_shift_days(current, days=days), starts_at=starts_at, zone_name=zone_name)


def _overrides_follow(meeting: Meeting, *, old_start: dt.datetime, old_zone: str) -> None:
    """After the series moved or its rule changed. Moved occurrences go back into the series (their
    new times were picked against the old ones); cancelled ones move with the series and stay
    cancelled while the new rule still has them."""
    cancelled = list(meeting.overrides.filter(cancelled=True).values_list("original_start", flat=True))
    meeting.overrides.all().delete()
    if not meeting.recurrence_rule or not cancelled:
        return
    assert meeting.starts_at is not None  # a series is scheduled
    zone, before = zoneinfo.ZoneInfo(meeting.timezone), zoneinfo.ZoneInfo(old_zone)
    shift = local_wall(meeting.starts_at, zone) - local_wall(old_start, before)
    moved = [localize(local_wall(original, before) + shift, zone) for original in cancelled]
    OccurrenceOverride.objects.bulk_create(
        OccurrenceOverride(meeting=meeting, original_start=start, cancelled=True)
        for start in moved
        if is_rule_start(meeting.recurrence_rule, starts_at=meeting.starts_at, zone=zone, moment=start)
    )


# What an invitee's calendar shows: a change to any of these is sent to them (SEQUENCE + 1).
VISIBLE_FIELDS = ("title", "description", "starts_at", "ends_at", "timezone", "recurrence_rule")
SCHEDULE_FIELDS = ("starts_at", "timezone", "recurrence_rule")


def meeting_update(*, user: User, code: str, values: MeetingSettings) -> Meeting:
    meeting = selectors.meeting_get_visible(user=user, code=code)
    check_is_host(meeting=meeting, user=user)
    values = _clean_settings(values)
    with transaction.atomic():
        # Every check and the new rule against the locked row: a change made since the read above
        # (a series split, an occurrence edit) is neither undone nor checked against stale times.
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status not in selectors.ACTIVE_STATUSES:
            raise Conflict("This meeting is over; it can't be changed.")
        if values.recurrence is not None and meeting.kind != Meeting.Kind.SCHEDULED:
            raise InvalidInput("Only a scheduled meeting can repeat.", field="recurrence")
        changes_times = values.starts_at is not None or values.ends_at is not None
        changes_rule = values.recurrence is not None or (
            values.recurrence_clear and bool(meeting.recurrence_rule)
        )
        if (changes_times or changes_rule) and meeting.status != Meeting.Status.SCHEDULED:
            raise Conflict("A meeting that has started can't be moved.")
        if changes_times:
            check_times(values.starts_at or meeting.starts_at, values.ends_at or meeting.ends_at)
        rule = _updated_rule(meeting, values)
        before = [getattr(meeting, name) for name in VISIBLE_FIELDS]
        old_start, old_zone = meeting.starts_at, meeting.timezone
        for name in (
            "title",
            "description",
            "starts_at",
            "ends_at",
            "timezone",
            "passcode",
            "waiting_room_enabled",
            "guests_allowed",
            "recording_allowed",
            "transcription_enabled",
            "max_participants",
        ):
            value = getattr(values, name)
            if value is not None:
                setattr(meeting, name, value)
        meeting.recurrence_rule = rule
        changed = {
            name for name, old in zip(VISIBLE_FIELDS, before, strict=True) if getattr(meeting, name) != old
        }
        removed = _invitees_remove(meeting, values.invitees) if values.invitees is not None else []
        # The removed get a CANCEL: it must carry a SEQUENCE above the invitation they hold, or
        # their calendars ignore it.
        if changed or removed:
            meeting.ics_sequence += 1
        if changed & set(SCHEDULE_FIELDS) and old_start is not None:
            _overrides_follow(meeting, old_start=old_start, old_zone=old_zone)
        meeting.next_occurrence_at = _next_occurrence_at(meeting, timezone.now())
        meeting.save()
        # Invitations (calendar invites: scheduled meetings only) after the rows: the removed are
        # told first, then those still invited get the change, and the newly invited the meeting
        # as it now is (once, not twice).
        invites = meeting.kind == Meeting.Kind.SCHEDULED
        if removed and invites:
            invitations_cancel(meeting=meeting, invitees=removed)
        if changed and invites:
            invitations_update(meeting=meeting)
        if values.invitees is not None:
            added = invitees_add(meeting, values.invitees)
            if added and invites:
                invitations_send(meeting=meeting, invitees=added)
        if meeting.status == Meeting.Status.LIVE:
            events.broadcast(room=meeting, event="meeting.updated", meeting=meeting_payload(meeting))
    return selectors.meeting_get_visible(user=user, code=meeting.meeting_code)


def meeting_cancel(*, user: User, code: str) -> Meeting:
    meeting = selectors.meeting_get_visible(user=user, code=code)
    check_is_host(meeting=meeting, user=user)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise Conflict("Only a meeting that hasn't started can be cancelled.")
        meeting.status = Meeting.Status.CANCELLED
        meeting.ics_sequence += 1
        meeting.next_occurrence_at = None
        meeting.save(update_fields=["status", "ics_sequence", "next_occurrence_at", "updated_at"])
        invitees = list(meeting.invitees.all())
        if invitees:
            invitations_cancel(meeting=meeting, invitees=invitees)
        # Someone may be waiting for a scheduled meeting that hasn't started: tell them.
        _close_waiting_room(meeting, timezone.now())
    return selectors.meeting_get_visible(user=user, code=meeting.meeting_code)


def _close_waiting_room(meeting: Meeting, now: dt.datetime) -> None:
    waiting = list(meeting.participants.filter(status=Status.WAITING).values_list("pk", flat=True))
    meeting.participants.filter(pk__in=waiting).update(status=Status.LEFT, left_at=now)
    for participant_id in waiting:
        events.send_to_participant(participant_id=participant_id, event="meeting.ended")


def meeting_end(*, meeting_id: uuid.UUID) -> Meeting:
    """End the meeting for everyone: every session leaves and every socket is told and closed."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        if meeting.status in selectors.CLOSED_STATUSES:
            return meeting
        now = timezone.now()
        meeting.ended_at, meeting.is_locked = now, False
        # A series with occurrences left goes back to waiting for the next one.
        upcoming = _next_occurrence_at(meeting, now) if meeting.recurrence_rule else None
        meeting.status = Meeting.Status.SCHEDULED if upcoming else Meeting.Status.ENDED
        meeting.next_occurrence_at = upcoming
        meeting.save(update_fields=["status", "ended_at", "is_locked", "next_occurrence_at", "updated_at"])
        meeting.participants.filter(status=Status.JOINED).update(status=Status.LEFT, left_at=now)
        # A series' next meeting starts with its breakout rooms closed (and any timer does nothing).
        BreakoutPlan.objects.filter(meeting=meeting).update(
            status=BreakoutPlan.Status.CLOSED, ends_at=None, closes_at=None, updated_at=now
        )
        events.broadcast(room=meeting, event="meeting.ended")
        _close_waiting_room(meeting, now)
        # Before the room is closed: Janus closes the files, then the video is made.
        recording_stop_if_active(meeting_id=meeting.pk)
        sfu.close_after_commit(meeting)
    return meeting


def meeting_end_by_user(*, user: User, code: str) -> Meeting:
    meeting = selectors.meeting_get_visible(user=user, code=code)
    is_cohost = meeting.participants.filter(user=user, role=Role.COHOST, status=Status.JOINED).exists()
    if not is_cohost:
        check_is_host(meeting=meeting, user=user)
    if meeting.status != Meeting.Status.LIVE:
        raise Conflict("This meeting isn't running.")
    meeting_end(meeting_id=meeting.pk)
    return selectors.meeting_get_visible(user=user, code=meeting.meeting_code)


# ---- joining ----------------------------------------------------------------------------


@dataclass(frozen=True)
class JoinResult:
    participant: MeetingParticipant
    ticket: str
    ice_servers: list[IceServer]
    max_participants: int
    # What anyone with the code may see of the host: never their email.
    host_name: str


def participant_limit(meeting: Meeting) -> int:
    if meeting.media_mode == Meeting.MediaMode.P2P:
        return min(meeting.max_participants, settings.MEETING_P2P_MAX_PARTICIPANTS)
    return meeting.max_participants


def check_room_for_one_more(meeting: Meeting) -> None:
    limit = participant_limit(meeting)
    if meeting.participants.filter(status=Status.JOINED).count() >= limit:
        raise MeetingFull(f"This meeting is full: at most {limit} people can be in it.")


def _previous_sessions(meeting: Meeting, user: User | None, guest_key: str) -> list[MeetingParticipant]:
    if user is not None:
        sessions = meeting.participants.filter(user=user)
    elif guest_key:
        sessions = meeting.participants.filter(user__isnull=True, guest_key=guest_key)
    else:
        return []
    return list(sessions.order_by("created_at"))


def meeting_join(
    *, code: str, user: User | None, display_name: str, passcode: str, guest_key: str, ip: str
) -> JoinResult:
    check_rate_limit(
        scope="meeting-join",
        key=ip,
        limit=settings.MEETING_JOIN_RATE_LIMIT,
        window_seconds=settings.MEETING_JOIN_RATE_WINDOW_SECONDS,
    )
    normalized = meeting_code_normalize(code)
    meeting = (
        Meeting.objects.select_related("host").filter(meeting_code=normalized).first() if normalized else None
    )
    if meeting is None or meeting.status in selectors.CLOSED_STATUSES:
        raise MeetingUnavailable()
    is_host = user is not None and meeting.host_id == user.pk
    host_name = meeting.host.display_name or meeting.host.full_name or "The host"
    if not is_host:
        if meeting.passcode and not hmac.compare_digest(meeting.passcode.encode(), passcode.encode()):
            raise MeetingUnavailable()
        if user is None and not meeting.guests_allowed:
            raise MeetingUnavailable()
    name = (display_name.strip() or (user.display_name or user.full_name if user else ""))[:80]
    if user is None and not name:
        raise InvalidInput("Tell the others your name.", field="display_name")
    name = name or (user.email.split("@")[0] if user else "")

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        stale_sessions_leave(meeting)
        previous = _previous_sessions(meeting, user, guest_key)
        # Removed people come back through the waiting room, until the host lets them in again.
        admitted = [p for p in previous if p.joined_at is not None]
        was_removed = bool(admitted) and admitted[-1].status == Status.REMOVED
        # A co-host stays one on return, unless the latest session lost the role or was removed.
        latest = previous[-1] if previous else None
        role = Role.HOST if is_host else Role.PARTICIPANT
        if not is_host and latest and latest.role == Role.COHOST and latest.status != Status.REMOVED:
            role = Role.COHOST
        if meeting.is_locked and role not in (Role.HOST, Role.COHOST):
            raise MeetingLocked()
        for session in previous:  # a second tab or a reload replaces the old session
            if session.status in (Status.JOINED, Status.WAITING):
                _leave(session, reason="replaced")
        waits = was_removed or (
            role == Role.PARTICIPANT
            and meeting.waiting_room_enabled
            and (
                user is None or not Membership.objects.filter(account=meeting.account_id, user=user).exists()
            )
        )
        if not waits:
            check_room_for_one_more(meeting)
        now = timezone.now()
        participant = MeetingParticipant.objects.create(
            meeting=meeting,
            user=user,
            guest_key="" if user else guest_key,
            display_name=name,
            role=role,
            status=Status.WAITING if waits else Status.JOINED,
            joined_at=None if waits else now,
            disconnected_at=now,
            was_removed=was_removed,
        )
        if not waits:
            _arrive(participant)
        if meeting.status == Meeting.Status.SCHEDULED and not waits:
            meeting.status, meeting.started_at = Meeting.Status.LIVE, now
            meeting.save(update_fields=["status", "started_at", "updated_at"])
        if waits:
            events.send_to_hosts(
                meeting_id=meeting.pk, event="lobby", waiting=selectors.lobby(meeting_id=meeting.pk)
            )
            away.waiting_alert_away_hosts(meeting=meeting, waiting=participant)
        else:
            events.broadcast(
                room=meeting, event="participant.joined", participant=participant_payload(participant)
            )
    ticket = ticket_issue(participant_id=participant.pk, ttl_seconds=settings.MEETING_TICKET_TTL_SECONDS)
    return JoinResult(
        participant=participant,
        ticket=ticket,
        ice_servers=ice_servers_for(user_ref=str(participant.pk)),
        max_participants=participant_limit(meeting),
        host_name=host_name,
    )


def _arrive(participant: MeetingParticipant) -> None:
    """Someone let in goes to their breakout room while the rooms are open (before anyone hears
    of them: the room they are announced in is the one they are in)."""
    room_id = room_on_arrival(participant=participant)
    if room_id is not None:
        participant.breakout_room_id = room_id
        participant.save(update_fields=["breakout_room", "updated_at"])


def _leave(participant: MeetingParticipant, *, reason: str) -> None:
    """Mark a session as gone and tell the room. Inside the caller's transaction."""
    was_joined = participant.status == Status.JOINED
    participant.status, participant.left_at = Status.LEFT, timezone.now()
    participant.hand_raised_at = None
    participant.save(update_fields=["status", "left_at", "hand_raised_at", "updated_at"])
    if was_joined:
        events.broadcast(
            room=participant.meeting,
            event="participant.left",
            participant_id=str(participant.pk),
            reason=reason,
        )
        sfu.revoke_after_commit(participant)
    else:
        events.send_to_hosts(
            meeting_id=participant.meeting_id,
            event="lobby",
            waiting=selectors.lobby(meeting_id=participant.meeting_id),
        )
    events.send_to_participant(participant_id=participant.pk, event="session.closed", reason=reason)


def stale_sessions_leave(meeting: Meeting) -> None:
    """Sessions whose socket dropped longer than the grace period ago have left (the in-process
    timer that would have said so may have died with a restart). Hold the meeting's lock."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.MEETING_RECONNECT_GRACE_SECONDS)
    stale = meeting.participants.filter(
        status__in=(Status.JOINED, Status.WAITING), disconnected_at__lt=cutoff
    ).select_related("meeting")
    for participant in stale:
        participant.meeting = meeting
        _leave(participant, reason="disconnected")


def _end_if_empty(meeting: Meeting) -> None:
    """An instant meeting ends when its last person leaves; a scheduled one stays open until its end."""
    if (
        meeting.kind == Meeting.Kind.INSTANT
        and not meeting.participants.filter(status__in=(Status.JOINED, Status.WAITING)).exists()
    ):
        transaction.on_commit(lambda: meeting_end(meeting_id=meeting.pk))


# ---- the socket's life --------------------------------------------------------------------


@dataclass(frozen=True)
class Connection:
    participant: MeetingParticipant
    welcome: dict[str, Any]


def welcome_for(participant: MeetingParticipant, *, new_socket: bool = False) -> dict[str, Any]:
    """The snapshot a socket gets on connect (and again on admission), with its next ticket.
    `new_socket`: the session's feeds left in the SFU room by an older socket are kicked."""
    # With the meeting row locked no event can commit while the snapshot is read, so `seq` is
    # exactly the last event the snapshot includes.
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=participant.meeting_id)
        snapshot = _snapshot(participant, meeting)
    # The SFU grant calls Janus: never while holding the meeting's row lock.
    snapshot["sfu"] = None
    if participant.status == Status.JOINED:
        try:
            snapshot["sfu"] = sfu.sfu_grant(participant_id=participant.pk, replace_stale=new_socket)
        except sfu.SfuUnavailable:
            snapshot["meeting"]["media_mode"] = Meeting.MediaMode.SFU  # the client asks again
        if snapshot["sfu"] is not None:
            snapshot["meeting"]["media_mode"] = Meeting.MediaMode.SFU
    return snapshot


def _snapshot(participant: MeetingParticipant, meeting: Meeting) -> dict[str, Any]:
    joined = participant.status == Status.JOINED
    reconnect_ticket = ticket_issue(
        participant_id=participant.pk, ttl_seconds=settings.MEETING_RECONNECT_TICKET_TTL_SECONDS
    )
    host = (
        meeting.participants.filter(status=Status.JOINED, role=Role.HOST).values_list("pk", flat=True).first()
    )
    return {
        "type": "welcome",
        "participant_id": str(participant.pk),
        "role": participant.role,
        "status": participant.status,
        "seq": meeting.event_seq,
        "reconnect_ticket": reconnect_ticket,
        "meeting": {
            **meeting_payload(meeting),
            "media_mode": meeting.media_mode,
            "host_participant_id": str(host) if host else None,
        },
        "roster": selectors.roster(meeting_id=meeting.pk) if joined else [],
        "chat": selectors.chat_history(
            meeting_id=meeting.pk, participant_id=participant.pk, room_id=participant.breakout_room_id
        )
        if joined
        else [],
        "lobby": selectors.lobby(meeting_id=meeting.pk) if joined and participant.is_moderator else [],
        "participant_token": participant_token_issue(participant_id=participant.pk),
        "breakout": breakout_state(meeting_id=meeting.pk),
        "polls": poll_host_list(meeting_id=meeting.pk) if joined and participant.is_moderator else [],
        "poll_votes": poll_votes_of(participant=participant) if joined else {},
    }


def session_lock(participant_id: uuid.UUID) -> MeetingParticipant | None:
    """Lock a session for a change, its meeting's row first. Every writer takes the meeting row
    before participant rows (a broadcast updates the meeting row), so two transactions never
    wait on each other (a deadlock on PostgreSQL). Call inside a transaction."""
    meeting_id = (
        MeetingParticipant.objects.filter(pk=participant_id).values_list("meeting_id", flat=True).first()
    )
    if meeting_id is None:
        return None
    list(Meeting.objects.select_for_update().filter(pk=meeting_id).values_list("pk", flat=True))
    return (
        MeetingParticipant.objects.select_for_update()
        .select_related("meeting")
        .filter(pk=participant_id)
        .first()
    )


@dataclass(frozen=True)
class Connected:
    participant: MeetingParticipant
    # The session's previous socket, if it is still open: it must close now.
    superseded_channel: str


def participant_connect(
    *, ticket: str, code: str, user_id: uuid.UUID | None, channel: str
) -> Connected | None:
    """The session a socket's ticket opens, now on `channel`; None if the ticket is no good:
    unknown, used or expired, for another meeting than `code`, or (on a socket signed in as
    `user_id`) for someone else's session. Nothing changes for a ticket that is no good."""
    participant_id = ticket_redeem(ticket=ticket)
    if participant_id is None:
        return None
    with transaction.atomic():
        participant = session_lock(participant_id)
        if participant is None or participant.meeting.meeting_code != meeting_code_normalize(code):
            return None
        if participant.user_id is not None and user_id not in (None, participant.user_id):
            return None
        if participant.status not in (Status.JOINED, Status.WAITING):
            return Connected(participant=participant, superseded_channel="")
        was_disconnected = participant.disconnected_at is not None
        superseded = "" if was_disconnected else participant.socket_channel
        participant.disconnected_at, participant.socket_channel = None, channel
        participant.save(update_fields=["disconnected_at", "socket_channel", "updated_at"])
        if was_disconnected and participant.status == Status.JOINED:
            events.broadcast(
                room=participant.meeting,
                event="participant.updated",
                participant=participant_payload(participant),
            )
    return Connected(participant=participant, superseded_channel=superseded)


def participant_disconnect(*, participant_id: uuid.UUID, channel: str) -> bool:
    """A socket dropped: keep the place for the grace period (see participant_leave). False if
    the session had already ended (left, removed, replaced) or has a newer socket."""
    with transaction.atomic():
        participant = session_lock(participant_id)
        if participant is None or participant.status not in (Status.JOINED, Status.WAITING):
            return False
        if participant.disconnected_at:
            return False
        if participant.socket_channel != channel:
            return False
        participant.disconnected_at = timezone.now()
        participant.save(update_fields=["disconnected_at", "updated_at"])
        if participant.status == Status.JOINED:
            events.broadcast(
                room=participant.meeting,
                event="participant.updated",
                participant=participant_payload(participant),
            )
    return True


def participant_leave(*, participant_id: uuid.UUID, only_if_gone: bool = False) -> None:
    """Leave now, or (only_if_gone) only if the socket is still away after the grace period."""
    with transaction.atomic():
        participant = session_lock(participant_id)
        if participant is None or participant.status not in (Status.JOINED, Status.WAITING):
            return
        if only_if_gone:
            grace = dt.timedelta(seconds=settings.MEETING_RECONNECT_GRACE_SECONDS)
            if participant.disconnected_at is None or timezone.now() - participant.disconnected_at < grace:
                return
        _leave(participant, reason="disconnected" if only_if_gone else "left")
        _end_if_empty(participant.meeting)
