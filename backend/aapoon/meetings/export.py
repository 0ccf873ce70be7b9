"""A meeting as one JSON document, for its host and the owners and admins of its account: who was
there, everything said in its chat (the main room and the breakout rooms), the files shared (no
links), the polls with their results, and the breakout rooms (docs/meetings.md "Polls").

A fixed number of queries, however long the meeting was. To anyone else the meeting does not
exist (404), as with recordings.
"""

import uuid
from typing import Any

from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.core.errors import NotFound
from aapoon.meetings.codes import meeting_code_normalize
from aapoon.meetings.models import (
    BreakoutParticipant,
    BreakoutRoom,
    ChatMessage,
    Meeting,
    MeetingParticipant,
    Poll,
)
from aapoon.meetings.payloads import poll_host_payload
from aapoon.meetings.policies import managed_by


def meeting_get_managed(*, user: User, code: str) -> Meeting:
    """A meeting `user` hosts, or one of an account they own or administer."""
    normalized = meeting_code_normalize(code)
    meeting = (
        Meeting.objects.filter(managed_by(user), meeting_code=normalized).select_related("host").first()
        if normalized
        else None
    )
    if meeting is None:
        raise NotFound("No such meeting.")
    return meeting


def _person(user: User) -> str:
    return user.display_name or user.full_name or user.email


class _Names:
    """What to call people in the export: the name they had in this meeting (their latest session)."""

    def __init__(self, sessions: list[MeetingParticipant]) -> None:
        self.by_user: dict[uuid.UUID, str] = {}
        self.by_guest: dict[str, str] = {}
        for session in sessions:  # oldest first: the latest name wins
            if session.user_id is not None:
                self.by_user[session.user_id] = session.display_name
            elif session.guest_key:
                self.by_guest[session.guest_key] = session.display_name

    def of_assignment(self, assignment: BreakoutParticipant) -> str:
        if assignment.user is not None:
            return self.by_user.get(assignment.user.pk) or _person(assignment.user)
        if assignment.guest_key:
            return self.by_guest.get(assignment.guest_key, "Guest")
        return assignment.email


def _participants(sessions: list[MeetingParticipant]) -> list[dict[str, Any]]:
    """Every session that got into the room (a reload is a session of its own)."""
    return [
        {
            "name": session.display_name,
            "role": session.role,
            "is_guest": session.user_id is None,
            "joined_at": session.joined_at,
            "left_at": session.left_at,
        }
        for session in sorted(sessions, key=lambda s: (s.joined_at or s.created_at, s.pk))
        if session.joined_at is not None
    ]


def _breakout_rooms(meeting: Meeting, names: _Names) -> list[dict[str, Any]]:
    rooms = list(BreakoutRoom.objects.filter(meeting=meeting).order_by("position", "created_at"))
    assigned: dict[uuid.UUID, list[str]] = {room.pk: [] for room in rooms}
    assignments = (
        BreakoutParticipant.objects.filter(meeting=meeting).select_related("user").order_by("created_at")
    )
    for assignment in assignments:
        assigned.setdefault(assignment.room_id, []).append(names.of_assignment(assignment))
    return [
        {"name": room.name, "archived": room.archived_at is not None, "assigned": assigned[room.pk]}
        for room in rooms
    ]


def _chat_and_files(meeting: Meeting) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    messages = (
        ChatMessage.objects.filter(meeting=meeting)
        .select_related("breakout_room", "recipient", "poll")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    chat: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    for message in messages:
        room = message.breakout_room.name if message.breakout_room else None
        attachments = list(message.attachments.all()) if message.type == ChatMessage.Type.FILE else []
        poll = getattr(message, "poll", None) if message.type == ChatMessage.Type.POLL else None
        chat.append(
            {
                "sent_at": message.created_at,
                "type": message.type,
                "sender": message.sender_name or None,
                "room": room,
                "private": message.recipient_id is not None,
                "to": message.recipient.display_name if message.recipient else None,
                "text": message.text,
                "files": [stored.original_name for stored in attachments],
                "poll_id": poll.pk if poll is not None else None,
            }
        )
        files.extend(
            {
                "name": stored.original_name,
                "size_bytes": stored.size_bytes,
                "mime_type": stored.mime_type,
                "sha256": stored.sha256,
                "sent_by": message.sender_name,
                "sent_at": message.created_at,
                "room": room,
                "private": message.recipient_id is not None,
            }
            for stored in attachments
        )
    return chat, files


def _polls(meeting: Meeting) -> list[dict[str, Any]]:
    polls = Poll.objects.filter(meeting=meeting).order_by("created_at", "pk").prefetch_related("votes")
    exported = []
    for poll in polls:
        view = poll_host_payload(poll)
        counts = view["results"]["counts"]
        exported.append(
            {
                "id": poll.pk,
                "question": poll.question,
                "status": poll.status,
                "multiple": poll.multiple,
                "anonymous": poll.anonymous,
                "results_shared": poll.results_shared,
                "launched_at": poll.launched_at,
                "closed_at": poll.closed_at,
                "voters": view["results"]["voters"],
                "options": [
                    {"text": text, "count": count} for text, count in zip(poll.options, counts, strict=True)
                ],
                # Who chose what, by option text; an anonymous poll keeps no names.
                "votes": None
                if view["votes"] is None
                else [
                    {"name": vote["name"], "choices": [poll.options[index] for index in vote["choices"]]}
                    for vote in view["votes"]
                ],
            }
        )
    return exported


def meeting_export(*, user: User, code: str) -> dict[str, Any]:
    meeting = meeting_get_managed(user=user, code=code)
    sessions = list(MeetingParticipant.objects.filter(meeting=meeting).order_by("created_at", "pk"))
    chat, files = _chat_and_files(meeting)
    return {
        "exported_at": timezone.now(),
        "meeting": {
            "code": meeting.meeting_code,
            "title": meeting.title,
            "description": meeting.description,
            "kind": meeting.kind,
            "status": meeting.status,
            "host": _person(meeting.host),
            "timezone": meeting.timezone,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "started_at": meeting.started_at,
            "ended_at": meeting.ended_at,
        },
        "participants": _participants(sessions),
        "chat": chat,
        "files": files,
        "polls": _polls(meeting),
        "breakout_rooms": _breakout_rooms(meeting, _Names(sessions)),
    }
