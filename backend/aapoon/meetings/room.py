"""What participants do inside a live meeting: chat, state, hands, reactions, the waiting room
and moderation. Each action names the acting session; the checks read its role from the
database, so a socket can never act with more power than its session has now."""

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aapoon.core.errors import InvalidInput, NotFound, PermissionDenied
from aapoon.core.ratelimit import check_rate_limit
from aapoon.core.text import has_nul
from aapoon.meetings import events, selectors, sfu
from aapoon.meetings.breakout_selectors import room_on_arrival
from aapoon.meetings.chat import chat_post
from aapoon.meetings.errors import MeetingFull
from aapoon.meetings.models import ChatMessage, Meeting, MeetingParticipant
from aapoon.meetings.payloads import meeting_payload, participant_payload
from aapoon.meetings.policies import check_can_be_moderated, check_can_moderate, check_is_host_participant
from aapoon.meetings.services import (
    check_room_for_one_more,
    meeting_end,
    session_lock,
    stale_sessions_leave,
)

Status = MeetingParticipant.Status
Role = MeetingParticipant.Role
MAX_CHAT_LENGTH = 2000
REACTIONS = ("👍", "👏", "😂", "😮", "❤️", "🎉")


def actor_get(participant_id: uuid.UUID, *, lock: bool = True) -> MeetingParticipant:
    """The acting session, admitted to a live meeting (`lock`: its meeting's row and its own)."""
    actor = (
        session_lock(participant_id)
        if lock
        else MeetingParticipant.objects.select_related("meeting").filter(pk=participant_id).first()
    )
    if actor is None or actor.status != Status.JOINED or actor.meeting.status != Meeting.Status.LIVE:
        raise PermissionDenied("You are not in this meeting.")
    return actor


def target_get(
    actor: MeetingParticipant, target_id: object, *, status: str = Status.JOINED
) -> MeetingParticipant:
    """Another session of the same meeting; ids from other meetings name nothing."""
    try:
        pk = uuid.UUID(str(target_id))
    except ValueError as exc:
        raise NotFound("No such participant.") from exc
    target = (
        MeetingParticipant.objects.select_for_update()
        .filter(pk=pk, meeting_id=actor.meeting_id, status=status)
        .select_related("meeting")
        .first()
    )
    if target is None:
        raise NotFound("No such participant.")
    return target


def _updated(participant: MeetingParticipant) -> None:
    events.broadcast(
        room=participant.meeting, event="participant.updated", participant=participant_payload(participant)
    )


def _lobby_changed(meeting_id: uuid.UUID) -> None:
    events.send_to_hosts(meeting_id=meeting_id, event="lobby", waiting=selectors.lobby(meeting_id=meeting_id))


def check_message_rate(participant_id: uuid.UUID) -> None:
    """Chat (files too) and reactions reach everyone; one person may not flood the room."""
    check_rate_limit(
        scope="meeting-messages",
        key=str(participant_id),
        limit=settings.MEETING_MESSAGE_RATE_LIMIT,
        window_seconds=settings.MEETING_MESSAGE_RATE_WINDOW_SECONDS,
    )


# ---- everyone -------------------------------------------------------------------------------


def chat_send(
    *, participant_id: uuid.UUID, text: object, to: object = None, client_id: object = None
) -> ChatMessage:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("Write a message first.", field="text")
    if len(text) > MAX_CHAT_LENGTH:
        raise InvalidInput(f"A message can be at most {MAX_CHAT_LENGTH} characters.", field="text")
    if has_nul(text):
        raise InvalidInput("Messages can't contain NUL characters.", field="text")
    client_ref = client_id.replace("\x00", "")[:64] if isinstance(client_id, str) else ""
    check_message_rate(participant_id)
    with transaction.atomic():
        sender = actor_get(participant_id, lock=False)
        recipient = chat_recipient(sender, to)
        return chat_post(sender=sender, text=text.strip(), recipient=recipient, client_id=client_ref)


def chat_recipient(sender: MeetingParticipant, to: object) -> MeetingParticipant | None:
    """Who a private message named by `to` goes to: someone else in the sender's room (breakout
    room or main room); None (no `to`): everyone there."""
    if not to:
        return None
    recipient = target_get(sender, to)
    if recipient.pk == sender.pk:
        raise InvalidInput("Choose someone else to message privately.", field="to")
    if recipient.breakout_room_id != sender.breakout_room_id:
        raise NotFound("No such participant.")
    return recipient


def state_set(
    *,
    participant_id: uuid.UUID,
    audio_on: object = None,
    video_on: object = None,
    screen_on: object = None,
    screen_track_id: object = None,
) -> None:
    """Someone turns their own mic, camera or screen share on or off (only their own)."""
    with transaction.atomic():
        actor = actor_get(participant_id)
        changes = {
            "is_muted": None if audio_on is None else not bool(audio_on),
            "is_video_on": None if video_on is None else bool(video_on),
            "is_screen_sharing": None if screen_on is None else bool(screen_on),
            "screen_track_id": None if screen_on is None else _track_id(screen_on, screen_track_id),
        }
        changed = [
            name for name, value in changes.items() if value is not None and getattr(actor, name) != value
        ]
        if not changed:
            return
        for name in changed:
            setattr(actor, name, changes[name])
        actor.save(update_fields=[*changed, "updated_at"])
        _updated(actor)
        # Their own unmute (or camera on) lifts a host's block at the SFU, if there was one.
        if "is_muted" in changed and not actor.is_muted:
            sfu.mute_after_commit(actor, muted=False)
        if "is_video_on" in changed and actor.is_video_on:
            sfu.video_after_commit(actor, stopped=False)


def _track_id(screen_on: object, track_id: object) -> str:
    return track_id.replace("\x00", "")[:100] if screen_on and isinstance(track_id, str) else ""


def hand_set(*, participant_id: uuid.UUID, raised: object) -> None:
    with transaction.atomic():
        actor = actor_get(participant_id)
        if bool(raised) == (actor.hand_raised_at is not None):
            return
        actor.hand_raised_at = timezone.now() if raised else None
        actor.save(update_fields=["hand_raised_at", "updated_at"])
        _updated(actor)


def reaction_send(*, participant_id: uuid.UUID, emoji: object) -> None:
    if emoji not in REACTIONS:
        raise InvalidInput("Pick one of the offered reactions.", field="emoji")
    check_message_rate(participant_id)
    with transaction.atomic():
        actor = actor_get(participant_id, lock=False)
        events.broadcast(room=actor.meeting, event="reaction", participant_id=str(actor.pk), emoji=emoji)


def signal_target(*, participant_id: uuid.UUID, to: object) -> uuid.UUID:
    """The admitted session of the same meeting and room a signaling message may be relayed to."""
    actor = actor_get(participant_id, lock=False)
    try:
        target_id = uuid.UUID(str(to))
    except ValueError as exc:
        raise NotFound("No such participant.") from exc
    if (
        target_id == actor.pk
        or not MeetingParticipant.objects.filter(
            pk=target_id,
            meeting_id=actor.meeting_id,
            status=Status.JOINED,
            breakout_room_id=actor.breakout_room_id,  # peers connect within their room only
        ).exists()
    ):
        raise NotFound("No such participant.")
    return target_id


def resume(*, participant_id: uuid.UUID, since: object) -> list[dict[str, Any]]:
    actor = actor_get(participant_id, lock=False)
    if not isinstance(since, int) or since < 0:
        raise InvalidInput("`since` is the last sequence number you saw.", field="since")
    return events.events_since(meeting_id=actor.meeting_id, since=since)


# ---- the waiting room --------------------------------------------------------------------------


def _admit(target: MeetingParticipant) -> None:
    check_room_for_one_more(target.meeting)
    target.status, target.joined_at = Status.JOINED, timezone.now()
    target.breakout_room_id = room_on_arrival(participant=target)
    target.save(update_fields=["status", "joined_at", "breakout_room", "updated_at"])
    events.broadcast(room=target.meeting, event="participant.joined", participant=participant_payload(target))
    events.send_to_participant(participant_id=target.pk, event="admitted")


def lobby_admit(*, participant_id: uuid.UUID, target_id: object) -> None:
    with transaction.atomic():
        actor = actor_get(participant_id)
        check_can_moderate(actor=actor)
        stale_sessions_leave(actor.meeting)  # they would count against the cap
        _admit(target_get(actor, target_id, status=Status.WAITING))
        _lobby_changed(actor.meeting_id)


def lobby_admit_all(*, participant_id: uuid.UUID) -> int:
    with transaction.atomic():
        actor = actor_get(participant_id)
        check_can_moderate(actor=actor)
        stale_sessions_leave(actor.meeting)  # they would count against the cap
        waiting = actor.meeting.participants.filter(status=Status.WAITING).select_related("meeting")
        admitted = 0
        for target in waiting.order_by("created_at"):
            # At the cap: "full" if no one could be let in; otherwise those admitted so far stay in.
            if admitted and _is_full(target.meeting):
                break
            _admit(target)
            admitted += 1
        _lobby_changed(actor.meeting_id)
    return admitted


def _is_full(meeting: Meeting) -> bool:
    try:
        check_room_for_one_more(meeting)
    except MeetingFull:
        return True
    return False


def lobby_deny(*, participant_id: uuid.UUID, target_id: object) -> None:
    with transaction.atomic():
        actor = actor_get(participant_id)
        check_can_moderate(actor=actor)
        target = target_get(actor, target_id, status=Status.WAITING)
        target.status, target.left_at = Status.DENIED, timezone.now()
        target.save(update_fields=["status", "left_at", "updated_at"])
        events.send_to_participant(participant_id=target.pk, event="denied")
        _lobby_changed(actor.meeting_id)


# ---- moderation ----------------------------------------------------------------------------------


def _moderate(participant_id: uuid.UUID, target_id: object) -> tuple[MeetingParticipant, MeetingParticipant]:
    actor = actor_get(participant_id)
    check_can_moderate(actor=actor)
    target = target_get(actor, target_id)
    check_can_be_moderated(actor=actor, target=target)
    return actor, target


def participant_mute(*, participant_id: uuid.UUID, target_id: object) -> None:
    with transaction.atomic():
        _, target = _moderate(participant_id, target_id)
        if not target.is_muted:
            target.is_muted = True
            target.save(update_fields=["is_muted", "updated_at"])
            _updated(target)
        events.send_to_participant(participant_id=target.pk, event="muted_by_host")
        sfu.mute_after_commit(target, muted=True)


def mute_all(*, participant_id: uuid.UUID) -> int:
    with transaction.atomic():
        actor = actor_get(participant_id)
        check_can_moderate(actor=actor)
        others = actor.meeting.participants.filter(status=Status.JOINED, is_muted=False).exclude(
            role__in=(Role.HOST, Role.COHOST, Role.MODERATOR)
        )
        muted = 0
        for target in others.select_related("meeting"):
            target.is_muted = True
            target.save(update_fields=["is_muted", "updated_at"])
            _updated(target)
            events.send_to_participant(participant_id=target.pk, event="muted_by_host")
            sfu.mute_after_commit(target, muted=True)
            muted += 1
    return muted


def ask_unmute(*, participant_id: uuid.UUID, target_id: object) -> None:
    """Only a request: the person decides. No one can turn on someone else's microphone."""
    with transaction.atomic():
        actor, target = _moderate(participant_id, target_id)
        events.send_to_participant(participant_id=target.pk, event="unmute_requested", by=actor.display_name)


def video_stop(*, participant_id: uuid.UUID, target_id: object) -> None:
    with transaction.atomic():
        _, target = _moderate(participant_id, target_id)
        if target.is_video_on:
            target.is_video_on = False
            target.save(update_fields=["is_video_on", "updated_at"])
            _updated(target)
        events.send_to_participant(participant_id=target.pk, event="video_stopped_by_host")
        sfu.video_after_commit(target, stopped=True)


def participant_remove(*, participant_id: uuid.UUID, target_id: object) -> None:
    """Out now, and back only through the waiting room (see meeting_join)."""
    with transaction.atomic():
        _, target = _moderate(participant_id, target_id)
        target.status, target.left_at, target.was_removed = Status.REMOVED, timezone.now(), True
        target.save(update_fields=["status", "left_at", "was_removed", "updated_at"])
        events.broadcast(
            room=target.meeting, event="participant.left", participant_id=str(target.pk), reason="removed"
        )
        events.send_to_participant(participant_id=target.pk, event="removed")
        sfu.revoke_after_commit(target)


def meeting_lock_set(*, participant_id: uuid.UUID, locked: bool) -> None:
    with transaction.atomic():
        actor = actor_get(participant_id)
        check_can_moderate(actor=actor)
        meeting = Meeting.objects.select_for_update().get(pk=actor.meeting_id)
        if meeting.is_locked == locked:
            return
        meeting.is_locked = locked
        meeting.save(update_fields=["is_locked", "updated_at"])
        events.broadcast(room=meeting, event="meeting.updated", meeting=meeting_payload(meeting))


def _role_set(target: MeetingParticipant, role: str) -> None:
    target.role = role
    target.save(update_fields=["role", "updated_at"])
    _updated(target)
    events.send_to_participant(participant_id=target.pk, event="role", role=role)


def cohost_set(*, participant_id: uuid.UUID, target_id: object, cohost: bool) -> None:
    with transaction.atomic():
        actor = actor_get(participant_id)
        check_can_moderate(actor=actor)
        if not cohost:
            check_is_host_participant(actor=actor)
        target = target_get(actor, target_id)
        if target.role == Role.HOST:
            raise PermissionDenied("The host is already in charge.")
        _role_set(target, Role.COHOST if cohost else Role.PARTICIPANT)


def host_transfer(*, participant_id: uuid.UUID, target_id: object) -> None:
    """Hand the meeting over: the new host owns it from now on; the old one becomes a participant."""
    with transaction.atomic():
        actor = actor_get(participant_id)
        check_is_host_participant(actor=actor)
        target = target_get(actor, target_id)
        if target.user_id is None:
            raise InvalidInput("Only someone who is signed in can become the host.", field="participant_id")
        if target.pk == actor.pk:
            return
        meeting = Meeting.objects.select_for_update().get(pk=actor.meeting_id)
        meeting.host_id = target.user_id
        meeting.save(update_fields=["host", "updated_at"])
        actor.meeting = target.meeting = meeting
        _role_set(target, Role.HOST)
        _role_set(actor, Role.PARTICIPANT)


def meeting_end_by_participant(*, participant_id: uuid.UUID) -> None:
    actor = actor_get(participant_id, lock=False)
    check_can_moderate(actor=actor)
    meeting_end(meeting_id=actor.meeting_id)
