"""The JSON shapes of participants, chat messages and meetings as the realtime protocol sends them."""

from typing import Any

from aapoon.files.models import StoredFile
from aapoon.media.recording_selectors import recording_state
from aapoon.meetings.models import ChatMessage, Meeting, MeetingParticipant, Poll, PollVote

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def participant_payload(participant: MeetingParticipant) -> dict[str, Any]:
    return {
        "id": str(participant.pk),
        "display_name": participant.display_name,
        "role": participant.role,
        "is_guest": participant.user_id is None,
        "audio_on": not participant.is_muted,
        "video_on": participant.is_video_on,
        "screen_on": participant.is_screen_sharing,
        "screen_track_id": participant.screen_track_id or None,
        "hand_raised": participant.hand_raised_at is not None,
        "connected": participant.disconnected_at is None,
        "breakout_room_id": str(participant.breakout_room_id) if participant.breakout_room_id else None,
    }


def attachment_payload(stored: StoredFile) -> dict[str, Any]:
    return {
        "id": str(stored.pk),
        "name": stored.original_name,
        "size_bytes": stored.size_bytes,
        "mime_type": stored.mime_type,
        "is_image": stored.mime_type in IMAGE_TYPES,
    }


def _votes(poll: Poll) -> list[PollVote]:
    """Oldest first, from `poll.votes.all()`: one query, or none when prefetched (many polls)."""
    return sorted(poll.votes.all(), key=lambda vote: (vote.created_at, vote.pk))


def _results(poll: Poll, votes: list[PollVote]) -> dict[str, Any]:
    counts = [0] * len(poll.options)
    for vote in votes:
        for index in vote.choices:
            counts[index] += 1
    return {"counts": counts, "voters": len(votes)}


def _poll_fields(poll: Poll) -> dict[str, Any]:
    return {
        "id": str(poll.pk),
        "question": poll.question,
        "options": poll.options,
        "multiple": poll.multiple,
        "anonymous": poll.anonymous,
        "status": poll.status,
        "results_shared": poll.results_shared,
    }


def poll_payload(poll: Poll) -> dict[str, Any]:
    """The poll as everyone sees it: the results only once the host shares them."""
    return {**_poll_fields(poll), "results": _results(poll, _votes(poll)) if poll.results_shared else None}


def poll_host_payload(poll: Poll) -> dict[str, Any]:
    """The poll as hosts and co-hosts see it: live results, and who chose what unless anonymous."""
    votes = _votes(poll)
    return {
        **_poll_fields(poll),
        "results": _results(poll, votes),
        "votes": None
        if poll.anonymous
        else [{"name": vote.voter_name, "choices": vote.choices} for vote in votes],
    }


def chat_payload(message: ChatMessage) -> dict[str, Any]:
    """Reads `attachments` and `poll` (prefetch them when making many)."""
    poll = getattr(message, "poll", None) if message.type == ChatMessage.Type.POLL else None
    return {
        "id": str(message.pk),
        "type": message.type,
        "sender_participant_id": str(message.sender_id) if message.sender_id else None,
        "sender_name": message.sender_name,
        "text": message.text,
        "to_participant_id": str(message.recipient_id) if message.recipient_id else None,
        "room_id": str(message.breakout_room_id) if message.breakout_room_id else None,
        "created_at": message.created_at.isoformat(),
        "client_id": message.client_id or None,
        "attachments": [attachment_payload(stored) for stored in message.attachments.all()]
        if message.type == ChatMessage.Type.FILE
        else [],
        "poll": poll_payload(poll) if poll is not None else None,
    }


def meeting_payload(meeting: Meeting) -> dict[str, Any]:
    return {
        "code": meeting.meeting_code,
        "title": meeting.title,
        "is_locked": meeting.is_locked,
        "recording_allowed": meeting.recording_allowed,
        "recording": recording_state(meeting_id=meeting.pk),
    }
