"""A meeting's media on the SFU: placing it on a Janus node, granting entry to its room, moderation
there, failover and cleanup (docs/sfu.md).

Janus is called outside database transactions (a slow node must not hold the meeting's row lock,
and SQLite locks the whole database): read, call Janus, then compare-and-set in a short
transaction. Calls that follow a change (revoke, moderate, close) run after its commit. A Janus
failure never breaks the room: it is logged, and the client may ask again (`sfu_refresh`).
"""

import functools
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from aapoon.core.errors import ApplicationError, PermissionDenied
from aapoon.core.ratelimit import check_rate_limit
from aapoon.media import placement, selectors
from aapoon.media.janus.errors import NO_SUCH_ROOM, JanusError
from aapoon.media.models import MediaNode
from aapoon.media.nodes import client_for
from aapoon.media.placement import SfuGrant
from aapoon.media.recording import recording_reapply
from aapoon.meetings import events
from aapoon.meetings.models import BreakoutRoom, Meeting, MeetingParticipant

logger = logging.getLogger(__name__)
Status = MeetingParticipant.Status


class SfuUnavailable(ApplicationError):
    code = "sfu_unavailable"
    status = 503
    message = "The media server can't be reached right now; trying again."


def _room_id(meeting: Meeting) -> str:
    return str(meeting.pk)


def _media_room_id(meeting_id: uuid.UUID, breakout_room_id: uuid.UUID | None) -> str:
    """The VideoRoom of the meeting's main room, or of one of its breakout rooms (its own)."""
    return str(breakout_room_id or meeting_id)


def _node_of(meeting: Meeting) -> MediaNode | None:
    room = placement.conference_room(meeting.conference_server_id)
    return room[0] if room is not None else None


# ---- placement -------------------------------------------------------------------------------------


def _first_to_need_media(participant: MeetingParticipant) -> bool:
    """A P2P meeting moves to the SFU only while no one else is connected: nobody's media breaks."""
    return (
        not MeetingParticipant.objects.filter(
            meeting_id=participant.meeting_id, status=Status.JOINED, disconnected_at__isnull=True
        )
        .exclude(pk=participant.pk)
        .exists()
    )


def meeting_place(*, meeting_id: uuid.UUID, requester_id: uuid.UUID | None = None) -> MediaNode | None:
    """The usable node the live meeting is on, placing (or re-placing) it first if needed.

    Several app nodes may do this at once: each creates the room where it would put it, and the
    meeting row decides: only a meeting still where it was read is moved; a loser's room on
    another node is destroyed. After a move every joined participant but `requester_id` (who
    gets the grant in its answer) is sent a new grant, and a recording in progress continues.
    """
    meeting = Meeting.objects.filter(pk=meeting_id, status=Meeting.Status.LIVE).first()
    if meeting is None:
        return None
    seen, current = meeting.conference_server_id, _node_of(meeting)
    if current is not None and selectors.node_usable(current):
        return current
    room_id = _room_id(meeting)
    node = placement.room_place(
        room_id=room_id,
        max_participants=meeting.max_participants,
        exclude={current.name} if current is not None else None,
    )
    if node is None:
        return None
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting_id)
        moved = locked.status == Meeting.Status.LIVE and locked.conference_server_id == seen
        if moved:
            locked.conference_server_id = placement.conference_id(node=node, room_id=room_id)
            locked.media_mode = Meeting.MediaMode.SFU
            locked.save(update_fields=["conference_server_id", "media_mode", "updated_at"])
    if not moved:
        winner = _node_of(locked) if locked.status == Meeting.Status.LIVE else None
        if winner is None or winner.name != node.name:
            _quietly(placement.room_destroy, node=node, room_id=room_id)
        return winner if selectors.node_usable(winner) else None
    logger.info("meeting %s placed on media node %s (was %r)", meeting_id, node.name, seen or "p2p")
    if seen:
        _recording_continue(node=node, meeting=locked)
    _grants_resend(meeting=locked, node=node, skip=requester_id)
    return node


def _recording_continue(*, node: MediaNode, meeting: Meeting) -> None:
    try:
        recording_reapply(client=client_for(node), room_id=_room_id(meeting), meeting_id=meeting.pk)
    except JanusError as exc:
        logger.warning("meeting %s: recording could not continue on %s: %s", meeting.pk, node.name, exc)


def _grants_resend(*, meeting: Meeting, node: MediaNode, skip: uuid.UUID | None) -> None:
    joined = meeting.participants.filter(status=Status.JOINED)
    if skip is not None:
        joined = joined.exclude(pk=skip)
    for participant_id, breakout_room_id in joined.values_list("pk", "breakout_room_id"):
        try:
            grant = _grant_issue(
                node=node,
                meeting=meeting,
                room_id=_media_room_id(meeting.pk, breakout_room_id),
                participant_id=participant_id,
                replace_stale=False,
            )
        except JanusError as exc:  # they will ask again with sfu_refresh when their Janus drops
            logger.warning("meeting %s: no new grant for %s: %s", meeting.pk, participant_id, exc)
            continue
        if grant is not None:
            events.send_to_participant(participant_id=participant_id, event="sfu", sfu=grant)


def meetings_failover(*, node_name: str) -> int:
    """Re-place every live meeting on a node that is no longer usable; returns how many moved
    here (others may have been moved by another app node's monitor)."""
    prefix = f"{node_name}/"
    stranded = Meeting.objects.filter(
        status=Meeting.Status.LIVE, media_mode=Meeting.MediaMode.SFU, conference_server_id__startswith=prefix
    ).values_list("pk", flat=True)
    moved = 0
    for meeting_id in list(stranded):
        node = meeting_place(meeting_id=meeting_id)
        if node is None:
            logger.warning("meeting %s is stranded on %s: no healthy media node", meeting_id, node_name)
        elif node.name != node_name:
            moved += 1
    return moved


# ---- grants ------------------------------------------------------------------------------------------


def sfu_grant(*, participant_id: uuid.UUID, replace_stale: bool = False) -> SfuGrant | None:
    """Entry to the meeting's room for a joined participant of a live meeting, placing the meeting
    first if it needs it. None: the meeting uses P2P (or the session is not in it).
    Raises SfuUnavailable when the meeting is on the SFU but no node can take it now."""
    participant = MeetingParticipant.objects.select_related("meeting").filter(pk=participant_id).first()
    if participant is None or participant.status != Status.JOINED:
        return None
    meeting = participant.meeting
    if meeting.status != Meeting.Status.LIVE:
        return None
    if meeting.media_mode == Meeting.MediaMode.P2P and not _first_to_need_media(participant):
        return None
    node = meeting_place(meeting_id=meeting.pk, requester_id=participant.pk)
    if node is None:
        if meeting.media_mode == Meeting.MediaMode.SFU:
            raise SfuUnavailable()
        return None
    room_id = _media_room_id(meeting.pk, participant.breakout_room_id)
    try:
        grant = _grant_issue(
            node=node,
            meeting=meeting,
            room_id=room_id,
            participant_id=participant.pk,
            replace_stale=replace_stale,
        )
    except JanusError as exc:
        logger.warning(
            "meeting %s: grant for %s failed on %s: %s", meeting.pk, participant.pk, node.name, exc
        )
        raise SfuUnavailable() from exc
    if grant is None or not _still_in(node, meeting, participant, room_id):
        return None
    return grant


def _still_in(node: MediaNode, meeting: Meeting, participant: MeetingParticipant, room_id: str) -> bool:
    """After a grant: the meeting may have ended, or the participant gone or moved to another
    breakout room, while Janus was asked, and the cleanup after that commit may have run first.
    Then undo what the grant did: a room for an ended meeting is destroyed (it may have been made
    again), the entry of someone gone or moved is taken back (a moved session gets its new room's
    grant with its next welcome)."""
    if not Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.LIVE).exists():
        _quietly(placement.room_destroy, node=node, room_id=room_id)
        return False
    if not MeetingParticipant.objects.filter(
        pk=participant.pk, status=Status.JOINED, breakout_room_id=participant.breakout_room_id
    ).exists():
        _quietly(placement.grant_revoke, node=node, room_id=room_id, participant_id=participant.pk)
        return False
    return True


def _grant_issue(
    *, node: MediaNode, meeting: Meeting, room_id: str, participant_id: uuid.UUID, replace_stale: bool
) -> SfuGrant | None:
    """The grant to `room_id` on `node`; None if the room is gone because the meeting ended. A
    breakout room's media room is made here, the first time someone needs it."""
    try:
        return placement.grant_issue(
            node=node, room_id=room_id, participant_id=participant_id, replace_stale=replace_stale
        )
    except JanusError as exc:
        if exc.code != NO_SUCH_ROOM:
            raise
    # A breakout room not made yet; or the node restarted faster than the monitor noticed and its
    # rooms are gone; or the meeting just ended and its room was destroyed: a room is made again
    # (same node) only while the meeting is live.
    if not Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.LIVE).exists():
        return None
    placement.room_create(node=node, room_id=room_id, max_participants=meeting.max_participants)
    if room_id == _room_id(meeting):  # only the main room is recorded
        _recording_continue(node=node, meeting=meeting)
    return placement.grant_issue(
        node=node, room_id=room_id, participant_id=participant_id, replace_stale=False
    )


def sfu_refresh(*, participant_id: uuid.UUID) -> SfuGrant:
    """A client's Janus connection dropped (or never opened): a fresh grant, on a usable node.
    Each asks Janus several times, so a participant may ask only so often (RateLimited)."""
    check_rate_limit(
        scope="sfu-refresh",
        key=str(participant_id),
        limit=settings.SFU_REFRESH_RATE_LIMIT,
        window_seconds=settings.SFU_REFRESH_RATE_WINDOW_SECONDS,
    )
    participant = MeetingParticipant.objects.select_related("meeting").filter(pk=participant_id).first()
    if (
        participant is None
        or participant.status != Status.JOINED
        or participant.meeting.status != Meeting.Status.LIVE
    ):
        raise PermissionDenied("You are not in this meeting.")
    grant = sfu_grant(participant_id=participant_id, replace_stale=True)
    if grant is None:
        raise SfuUnavailable("This meeting's media doesn't go through the media server.")
    return grant


# ---- after a change commits: revoke, moderate, close ------------------------------------------------------


def _quietly(call: Callable[..., object], **kwargs: object) -> None:
    try:
        call(**kwargs)
    except JanusError as exc:
        logger.warning("media: %s failed: %s", getattr(call, "__name__", "call"), exc)


def _on_sfu_commit(meeting: Meeting, work: Callable[[], None]) -> None:
    """Run `work` after the caller's transaction commits, only for meetings on the SFU."""
    if meeting.media_mode == Meeting.MediaMode.SFU and meeting.conference_server_id:
        transaction.on_commit(work, robust=True)


def _usable_node(meeting_id: uuid.UUID) -> MediaNode | None:
    """The healthy node the meeting's rooms (main and breakout) are on."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    node = _node_of(meeting) if meeting is not None else None
    # An unhealthy node would only time out; its meetings are being moved to fresh rooms anyway.
    return node if node is not None and selectors.node_usable(node) else None


def _revoke(meeting_id: uuid.UUID, participant_id: uuid.UUID, breakout_room_id: uuid.UUID | None) -> None:
    node = _usable_node(meeting_id)
    if node is not None:
        room_id = _media_room_id(meeting_id, breakout_room_id)
        _quietly(placement.grant_revoke, node=node, room_id=room_id, participant_id=participant_id)


def _moderate(meeting_id: uuid.UUID, participant_id: uuid.UUID, mid: str, mute: bool) -> None:
    """Acts in the room the participant is in when this runs (they may be in a breakout room)."""
    node = _usable_node(meeting_id)
    where = MeetingParticipant.objects.filter(pk=participant_id).values_list("breakout_room_id", flat=True)
    if node is not None and where:
        _quietly(
            placement.room_moderate,
            node=node,
            room_id=_media_room_id(meeting_id, where[0]),
            publisher_id=placement.publisher_ids(participant_id)[0],
            mid=mid,
            mute=mute,
        )


def _destroy_rooms(meeting_id: uuid.UUID, *, main: bool) -> None:
    """Destroy the meeting's breakout rooms' media rooms (and its main room with `main`)."""
    node = _usable_node(meeting_id)
    if node is None:
        return
    rooms = [
        str(pk) for pk in BreakoutRoom.objects.filter(meeting_id=meeting_id).values_list("pk", flat=True)
    ]
    for room_id in [str(meeting_id), *rooms] if main else rooms:
        _quietly(placement.room_destroy, node=node, room_id=room_id)


def revoke_after_commit(participant: MeetingParticipant) -> None:
    """The session left or was removed: its token leaves its room and its feeds are kicked."""
    leave_room_after_commit(participant, room_id=participant.breakout_room_id)


def leave_room_after_commit(participant: MeetingParticipant, *, room_id: uuid.UUID | None) -> None:
    """The session is no longer in that room (a breakout room, or None: the main room)."""
    _on_sfu_commit(
        participant.meeting, functools.partial(_revoke, participant.meeting_id, participant.pk, room_id)
    )


def mute_after_commit(participant: MeetingParticipant, *, muted: bool) -> None:
    """A host mute (or the participant's own unmute lifting it) enforced at the SFU."""
    _on_sfu_commit(
        participant.meeting,
        functools.partial(_moderate, participant.meeting_id, participant.pk, placement.AUDIO_MID, muted),
    )


def video_after_commit(participant: MeetingParticipant, *, stopped: bool) -> None:
    """A host stopping someone's camera (or them turning it on again) enforced at the SFU."""
    _on_sfu_commit(
        participant.meeting,
        functools.partial(_moderate, participant.meeting_id, participant.pk, placement.VIDEO_MID, stopped),
    )


def close_after_commit(meeting: Meeting) -> None:
    """The meeting ended: its rooms go (everyone still in them is disconnected)."""
    _on_sfu_commit(meeting, functools.partial(_destroy_rooms, meeting.pk, main=True))


def close_breakout_rooms_after_commit(meeting: Meeting) -> None:
    """Everyone is back in the main room: the breakout rooms' media rooms go."""
    _on_sfu_commit(meeting, functools.partial(_destroy_rooms, meeting.pk, main=False))
