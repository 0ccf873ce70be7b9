"""Reads for polls: what a session's welcome carries about them (docs/meetings.md "Polls")."""

import uuid
from typing import Any

from aapoon.meetings.models import MeetingParticipant, Poll, PollVote
from aapoon.meetings.payloads import poll_host_payload


def voter_key(participant: MeetingParticipant) -> str:
    """Who a vote belongs to: the account, else the guest's cookie key, else the session; so a
    reload (a new session of the same person) changes the vote it cast before."""
    if participant.user_id is not None:
        return f"u:{participant.user_id}"
    if participant.guest_key:
        return f"g:{participant.guest_key}"
    return f"p:{participant.pk}"


def poll_host_list(*, meeting_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every poll of the meeting, drafts too, as hosts see them, oldest first (two queries)."""
    polls = Poll.objects.filter(meeting_id=meeting_id).order_by("created_at", "pk").prefetch_related("votes")
    return [poll_host_payload(poll) for poll in polls]


def poll_votes_of(*, participant: MeetingParticipant) -> dict[str, list[int]]:
    """This person's own votes in the meeting: poll id -> the indexes they chose (one query)."""
    votes = PollVote.objects.filter(poll__meeting_id=participant.meeting_id, voter_key=voter_key(participant))
    return {str(poll_id): choices for poll_id, choices in votes.values_list("poll_id", "choices")}
