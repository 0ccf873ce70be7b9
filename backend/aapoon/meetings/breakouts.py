"""Breakout rooms: set up, assign, open, move between, and close (docs/meetings.md "Breakout rooms").

Every change holds the meeting's row lock (taken with the acting session), so two hosts working at
once are applied one after the other. A session that changes room is told with `breakout.moved`;
its socket then sends it a fresh welcome: that room's chat and, on the SFU, a grant for that
room's own media room (its entry to the room it left is taken back after commit).
"""

import datetime as dt
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from aapoon.core.ratelimit import check_rate_limit
from aapoon.core.text import has_nul
from aapoon.meetings import events, selectors, sfu
from aapoon.meetings.breakout_selectors import Assignments, breakout_state, person_key, rooms_active
from aapoon.meetings.chat import chat_system_post
from aapoon.meetings.models import (
    BreakoutParticipant,
    BreakoutPlan,
    BreakoutRoom,
    Meeting,
    MeetingParticipant,
)
from aapoon.meetings.policies import check_can_moderate, check_is_host
from aapoon.meetings.room import actor_get, target_get

Status = MeetingParticipant.Status
PlanStatus = BreakoutPlan.Status
MAX_ROOMS = 100
MAX_ROOM_NAME = 60
MAX_DURATION_MINUTES = 720
MAX_COUNTDOWN_SECONDS = 120
MAX_BROADCAST = 500
# Not given: leave the setting as it is (None is a value: "no timer").
UNSET: Any = object()


@dataclass(frozen=True)
class RoomSpec:
    """One room as the host lists it: an existing one (`id`) or a new one, with people invited
    ahead by email (REST only)."""

    name: str
    id: uuid.UUID | None = None
    emails: tuple[str, ...] = ()


# ---- checks on input ---------------------------------------------------------------------------


def _room_specs(rooms: object) -> list[RoomSpec]:
    """The `rooms` of a socket message, checked for shape (names and ids are checked later)."""
    if not isinstance(rooms, list):
        raise InvalidInput("List the rooms.", field="rooms")
    specs = []
    for item in rooms:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InvalidInput("Each room needs a name.", field="rooms")
        raw_id = item.get("id")
        try:
            room_id = uuid.UUID(str(raw_id)) if raw_id is not None else None
        except ValueError as exc:
            raise NotFound("No such breakout room.") from exc
        specs.append(RoomSpec(name=item["name"], id=room_id))
    return specs


def _clean_specs(specs: list[RoomSpec]) -> list[RoomSpec]:
    if not 1 <= len(specs) <= MAX_ROOMS:
        raise InvalidInput(f"Make between 1 and {MAX_ROOMS} rooms.", field="rooms")
    names: set[str] = set()
    ids: set[uuid.UUID] = set()
    emails: set[str] = set()
    cleaned = []
    for spec in specs:
        name = " ".join(spec.name.split())
        if not name or len(name) > MAX_ROOM_NAME or has_nul(name):
            raise InvalidInput(f"A room's name is 1 to {MAX_ROOM_NAME} characters.", field="rooms")
        if name.casefold() in names:
            raise InvalidInput(f"Two rooms are called “{name}”; tell them apart.", field="rooms")
        if spec.id is not None and spec.id in ids:
            raise InvalidInput("A room is listed twice.", field="rooms")
        room_emails = tuple(dict.fromkeys(email.strip().lower() for email in spec.emails))
        for email in room_emails:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise InvalidInput(f"“{email}” is not an email address.", field="rooms") from exc
        if emails & set(room_emails):
            raise InvalidInput("Put each person in one room only.", field="rooms")
        names.add(name.casefold())
        ids.update([spec.id] if spec.id else [])
        emails.update(room_emails)
        cleaned.append(RoomSpec(name=name, id=spec.id, emails=room_emails))
    return cleaned


def _whole_number(value: object, *, field: str, low: int, high: int, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(message, field=field)
    return value


def _apply_settings(
    plan: BreakoutPlan, *, allow_choosing: object, duration_minutes: object, countdown_seconds: object
) -> None:
    if allow_choosing is not UNSET:
        if not isinstance(allow_choosing, bool):
            raise InvalidInput("Say yes or no.", field="allow_choosing")
        plan.allow_choosing = allow_choosing
    if duration_minutes is not UNSET:
        plan.duration_minutes = (
            None
            if duration_minutes is None
            else _whole_number(
                duration_minutes,
                field="duration_minutes",
                low=1,
                high=MAX_DURATION_MINUTES,
                message=f"Set a timer of 1 to {MAX_DURATION_MINUTES} minutes, or none.",
            )
        )
    if countdown_seconds is not UNSET:
        plan.countdown_seconds = _whole_number(
            countdown_seconds,
            field="countdown_seconds",
            low=0,
            high=MAX_COUNTDOWN_SECONDS,
            message=f"The countdown is 0 to {MAX_COUNTDOWN_SECONDS} seconds.",
        )


# ---- the plan and its rooms (inside a transaction holding the meeting's lock) ------------------------


def _plan(meeting: Meeting) -> BreakoutPlan:
    plan, _ = BreakoutPlan.objects.select_for_update().get_or_create(meeting=meeting)
    return plan


def _joined(meeting: Meeting) -> list[MeetingParticipant]:
    return list(
        meeting.participants.filter(status=Status.JOINED)
        .select_related("user", "meeting")
        .order_by("joined_at")
    )


def _room_of_meeting(meeting: Meeting, room_id: object) -> BreakoutRoom:
    try:
        pk = uuid.UUID(str(room_id))
    except ValueError as exc:
        raise NotFound("No such breakout room.") from exc
    room = rooms_active(meeting_id=meeting.pk).filter(pk=pk).first()
    if room is None:
        raise NotFound("No such breakout room.")
    return room


def _rooms_replace(meeting: Meeting, specs: list[RoomSpec], *, with_emails: bool) -> None:
    """Rename the listed rooms, make the new ones, archive those left out (their people return to
    the main room). `with_emails`: the email assignments become exactly the ones listed."""
    current = {room.pk: room for room in rooms_active(meeting_id=meeting.pk)}
    unknown = [spec.id for spec in specs if spec.id is not None and spec.id not in current]
    if unknown:
        raise NotFound("No such breakout room.")
    kept: list[BreakoutRoom] = []
    for position, spec in enumerate(specs):
        room = current.get(spec.id) if spec.id else None
        if room is None:
            room = BreakoutRoom.objects.create(meeting=meeting, name=spec.name, position=position)
        elif (room.name, room.position) != (spec.name, position):
            room.name, room.position = spec.name, position
            room.save(update_fields=["name", "position", "updated_at"])
        kept.append(room)
    gone = [room for pk, room in current.items() if pk not in {room.pk for room in kept}]
    if gone:
        BreakoutParticipant.objects.filter(room__in=gone).delete()
        BreakoutRoom.objects.filter(pk__in=[room.pk for room in gone]).update(
            archived_at=timezone.now(), updated_at=timezone.now()
        )
        gone_ids = {room.pk for room in gone}
        _move(meeting, ((p, None) for p in _joined(meeting) if p.breakout_room_id in gone_ids))
    if with_emails:
        BreakoutParticipant.objects.filter(meeting=meeting).exclude(email="").delete()
        BreakoutParticipant.objects.bulk_create(
            BreakoutParticipant(meeting=meeting, room=room, email=email)
            for room, spec in zip(kept, specs, strict=True)
            for email in spec.emails
        )


def _plan_replace(
    meeting: Meeting, plan: BreakoutPlan, specs: list[RoomSpec], *, with_emails: bool, **settings: object
) -> None:
    """The plan's settings (those given) and its rooms, as the host lists them."""
    _apply_settings(plan, **settings)
    plan.save()
    _rooms_replace(meeting, specs, with_emails=with_emails)


def _assign(participant: MeetingParticipant, room: BreakoutRoom | None) -> None:
    """Record where this session's person goes (None: nowhere); replaces what was recorded,
    including an assignment made ahead to their email."""
    key = person_key(participant)
    same_person = Q(**key)
    if participant.user is not None:
        same_person |= Q(user__isnull=True, email=participant.user.email.lower())
    BreakoutParticipant.objects.filter(same_person, meeting_id=participant.meeting_id).delete()
    if room is not None:
        BreakoutParticipant.objects.create(meeting_id=participant.meeting_id, room=room, **key)


Move = tuple[MeetingParticipant, uuid.UUID | None]


def _move(meeting: Meeting, moves: Iterable[Move]) -> None:
    """Put joined sessions in rooms now (None: the main room), and tell everyone in one event:
    opening or closing the rooms moves everyone at once."""
    moved: dict[str, str | None] = {}
    for participant, room_id in moves:
        if participant.breakout_room_id == room_id:
            continue
        left = participant.breakout_room_id
        participant.breakout_room_id = room_id
        participant.save(update_fields=["breakout_room", "updated_at"])
        moved[str(participant.pk)] = str(room_id) if room_id else None
        events.send_to_participant(
            participant_id=participant.pk, event="breakout.moved", room_id=moved[str(participant.pk)]
        )
        sfu.leave_room_after_commit(participant, room_id=left)
    if moved:
        events.broadcast(room=meeting, event="breakout.moves", moves=moved)


def _state_changed(meeting: Meeting) -> None:
    events.broadcast(room=meeting, event="breakout.updated", breakout=breakout_state(meeting_id=meeting.pk))


def _moderator(participant_id: uuid.UUID) -> MeetingParticipant:
    actor = actor_get(participant_id)
    check_can_moderate(actor=actor)
    return actor


# ---- host and co-hosts ------------------------------------------------------------------------------


def breakout_configure(
    *,
    participant_id: uuid.UUID,
    rooms: object,
    allow_choosing: object = UNSET,
    duration_minutes: object = UNSET,
    countdown_seconds: object = UNSET,
) -> None:
    specs = _clean_specs(_room_specs(rooms))
    with transaction.atomic():
        actor = _moderator(participant_id)
        _plan_replace(
            actor.meeting,
            _plan(actor.meeting),
            specs,
            with_emails=False,
            allow_choosing=allow_choosing,
            duration_minutes=duration_minutes,
            countdown_seconds=countdown_seconds,
        )
        _state_changed(actor.meeting)


def breakout_assign(*, participant_id: uuid.UUID, target_id: object, room_id: object) -> None:
    """Put someone in a room (None: in none); while the rooms are open they go there now."""
    with transaction.atomic():
        actor = _moderator(participant_id)
        target = target_get(actor, target_id)
        room = _room_of_meeting(actor.meeting, room_id) if room_id is not None else None
        _assign(target, room)
        if _plan(actor.meeting).status == PlanStatus.OPEN:
            _move(actor.meeting, [(target, room.pk if room else None)])
        _state_changed(actor.meeting)


def breakout_auto_assign(*, participant_id: uuid.UUID) -> None:
    """Everyone but the hosts, shuffled and dealt over the rooms in turn (an even split)."""
    with transaction.atomic():
        actor = _moderator(participant_id)
        rooms = list(rooms_active(meeting_id=actor.meeting_id))
        if not rooms:
            raise Conflict("Make the rooms first.")
        people = [p for p in _joined(actor.meeting) if not p.is_moderator]
        random.shuffle(people)
        dealt = [(person, rooms[index % len(rooms)]) for index, person in enumerate(people)]
        for person, room in dealt:
            _assign(person, room)
        if _plan(actor.meeting).status == PlanStatus.OPEN:
            _move(actor.meeting, ((person, room.pk) for person, room in dealt))
        _state_changed(actor.meeting)


def breakout_open(*, participant_id: uuid.UUID) -> None:
    with transaction.atomic():
        actor = _moderator(participant_id)
        meeting = actor.meeting
        plan = _plan(meeting)
        if plan.status != PlanStatus.CLOSED:
            raise Conflict("The breakout rooms are open already.")
        rooms = {room.pk: room for room in rooms_active(meeting_id=meeting.pk)}
        if not rooms:
            raise Conflict("Make the rooms first.")
        now = timezone.now()
        plan.status, plan.round, plan.opened_at = PlanStatus.OPEN, plan.round + 1, now
        plan.ends_at = now + dt.timedelta(minutes=plan.duration_minutes) if plan.duration_minutes else None
        plan.closes_at = None
        plan.save()
        assignments = Assignments(meeting.pk)
        going = [(p, room_id) for p in _joined(meeting) if (room_id := assignments.room_of(p)) is not None]
        _move(meeting, going)
        placed: dict[uuid.UUID, list[str]] = {pk: [] for pk in rooms}
        for participant, room_id in going:
            placed[room_id].append(participant.display_name)
        _state_changed(meeting)
        chat_system_post(meeting=meeting, text=_who_is_where(rooms.values(), placed))
        if plan.ends_at is not None:
            _after_commit_at(plan.ends_at, "breakouts_time_up", meeting.pk, plan.round)


def _who_is_where(rooms: Iterable[BreakoutRoom], placed: dict[uuid.UUID, list[str]]) -> str:
    lines = [f"{room.name}: {', '.join(placed[room.pk]) or 'nobody yet'}" for room in rooms]
    text = "Breakout rooms are open.\n" + "\n".join(lines)
    return text if len(text) <= 2000 else text[:1999] + "…"


def _after_commit_at(when: dt.datetime, task_name: str, meeting_id: uuid.UUID, round_: int) -> None:
    """Run a breakout timer task at `when` (after commit: a rollback leaves no timer behind)."""
    from aapoon.meetings import tasks  # the task module imports this one

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.using(run_after=when).enqueue(str(meeting_id), round_))


def _start_closing(meeting: Meeting, plan: BreakoutPlan) -> None:
    if plan.countdown_seconds == 0:
        _return_everyone(meeting, plan)
        return
    plan.status, plan.closes_at = (
        PlanStatus.CLOSING,
        timezone.now() + dt.timedelta(seconds=plan.countdown_seconds),
    )
    plan.save(update_fields=["status", "closes_at", "updated_at"])
    _state_changed(meeting)
    _after_commit_at(plan.closes_at, "breakouts_return", meeting.pk, plan.round)


def _return_everyone(meeting: Meeting, plan: BreakoutPlan) -> None:
    _move(meeting, ((p, None) for p in _joined(meeting)))
    plan.status, plan.ends_at, plan.closes_at = PlanStatus.CLOSED, None, None
    plan.save(update_fields=["status", "ends_at", "closes_at", "updated_at"])
    _state_changed(meeting)
    chat_system_post(meeting=meeting, text="Breakout rooms closed. Everyone is back in the main room.")
    sfu.close_breakout_rooms_after_commit(meeting)


def breakout_close(*, participant_id: uuid.UUID) -> None:
    """The rooms start closing: everyone sees the countdown, then returns to the main room."""
    with transaction.atomic():
        actor = _moderator(participant_id)
        plan = _plan(actor.meeting)
        if plan.status != PlanStatus.OPEN:
            raise Conflict("The breakout rooms aren't open.")
        _start_closing(actor.meeting, plan)


def breakout_broadcast(*, participant_id: uuid.UUID, text: object) -> None:
    if not isinstance(text, str) or not text.strip() or has_nul(text):
        raise InvalidInput("Write a message first.", field="text")
    if len(text) > MAX_BROADCAST:
        raise InvalidInput(f"A broadcast can be at most {MAX_BROADCAST} characters.", field="text")
    with transaction.atomic():
        actor = _moderator(participant_id)
        if _plan(actor.meeting).status == PlanStatus.CLOSED:
            raise Conflict("The breakout rooms aren't open.")
        events.broadcast(
            room=actor.meeting, event="breakout.message", text=text.strip(), sender_name=actor.display_name
        )


# ---- everyone --------------------------------------------------------------------------------------


def breakout_join(*, participant_id: uuid.UUID, room_id: object) -> None:
    """Go to a room (None: back to the main room). Hosts go anywhere; others to their own room,
    or to any room when the host lets people choose (which then becomes their room)."""
    with transaction.atomic():
        actor = actor_get(participant_id)
        plan = _plan(actor.meeting)
        if room_id is None:
            if plan.status == PlanStatus.CLOSED:
                raise Conflict("The breakout rooms aren't open.")
            _move(actor.meeting, [(actor, None)])
            return
        if plan.status != PlanStatus.OPEN:
            raise Conflict("The breakout rooms aren't open.")
        room = _room_of_meeting(actor.meeting, room_id)
        if not actor.is_moderator:
            assigned = Assignments(actor.meeting_id).room_of(actor)
            if room.pk != assigned and not plan.allow_choosing:
                raise PermissionDenied("The host decides who goes to which room.")
            if room.pk != assigned:
                _assign(actor, room)
                _state_changed(actor.meeting)
        _move(actor.meeting, [(actor, room.pk)])


def breakout_help(*, participant_id: uuid.UUID) -> None:
    """Someone in a breakout room asks the hosts to come."""
    check_rate_limit(
        scope="breakout-help",
        key=str(participant_id),
        limit=settings.BREAKOUT_HELP_RATE_LIMIT,
        window_seconds=settings.BREAKOUT_HELP_RATE_WINDOW_SECONDS,
    )
    with transaction.atomic():
        actor = actor_get(participant_id, lock=False)
        room = (
            BreakoutRoom.objects.filter(pk=actor.breakout_room_id).first() if actor.breakout_room_id else None
        )
        if room is None:
            raise Conflict("Ask for help from a breakout room; the hosts are in the main room.")
        events.send_to_hosts(
            meeting_id=actor.meeting_id,
            event="breakout.help",
            participant_id=str(actor.pk),
            display_name=actor.display_name,
            room_id=str(room.pk),
            room_name=room.name,
        )


# ---- timers (background tasks) ----------------------------------------------------------------------


def _plan_of_round(meeting_id: uuid.UUID, round_: int, status: str) -> tuple[Meeting, BreakoutPlan] | None:
    """The live meeting and its plan, locked, if that round is still at `status`: a timer from an
    earlier round, or one the host beat, does nothing."""
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id, status=Meeting.Status.LIVE).first()
    if meeting is None:
        return None
    plan = (
        BreakoutPlan.objects.select_for_update().filter(meeting=meeting, round=round_, status=status).first()
    )
    return (meeting, plan) if plan is not None else None


def breakouts_time_up(*, meeting_id: uuid.UUID, round_: int) -> None:
    """The rooms' timer ran out: they start closing."""
    with transaction.atomic():
        found = _plan_of_round(meeting_id, round_, PlanStatus.OPEN)
        if found is not None and found[1].ends_at is not None and found[1].ends_at <= timezone.now():
            _start_closing(*found)


def breakouts_return(*, meeting_id: uuid.UUID, round_: int) -> None:
    """The closing countdown is over: everyone returns to the main room."""
    with transaction.atomic():
        found = _plan_of_round(meeting_id, round_, PlanStatus.CLOSING)
        if found is not None and found[1].closes_at is not None and found[1].closes_at <= timezone.now():
            _return_everyone(*found)


# ---- prepared ahead (REST, the host) -----------------------------------------------------------------


def breakout_plan_set(
    *,
    user: User,
    code: str,
    rooms: list[RoomSpec],
    allow_choosing: object = UNSET,
    duration_minutes: object = UNSET,
    countdown_seconds: object = UNSET,
) -> Meeting:
    """Prepare the rooms of a meeting that hasn't ended, with people invited ahead by email."""
    meeting = selectors.meeting_get_visible(user=user, code=code)
    check_is_host(meeting=meeting, user=user)
    specs = _clean_specs(rooms)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status not in selectors.ACTIVE_STATUSES:
            raise Conflict("This meeting is over; its breakout rooms can't change.")
        plan = _plan(meeting)
        if plan.status != PlanStatus.CLOSED:
            raise Conflict("Close the breakout rooms before changing them here.")
        _plan_replace(
            meeting,
            plan,
            specs,
            with_emails=True,
            allow_choosing=allow_choosing,
            duration_minutes=duration_minutes,
            countdown_seconds=countdown_seconds,
        )
        if meeting.status == Meeting.Status.LIVE:
            _state_changed(meeting)
    return meeting
