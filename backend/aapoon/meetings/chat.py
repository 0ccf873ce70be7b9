"""Posting to a meeting's chat and telling the right people: text, files, polls and system notes.

Who hears a message: a private one, its sender and recipient; one said in a breakout room, the
people in that room (direct events: chat history brings them back after a reconnect); one in the
main room, everyone (a numbered broadcast). A message that changes later (a file removed, a poll
closed) goes out again as `chat.updated` to the same people.
"""

from collections.abc import Sequence

from aapoon.files.models import StoredFile
from aapoon.meetings import events
from aapoon.meetings.models import ChatMessage, Meeting, MeetingParticipant, Poll
from aapoon.meetings.payloads import chat_payload


def _send(message: ChatMessage, event: str) -> None:
    payload = chat_payload(message)
    if message.recipient_id is not None:
        for pid in (message.sender_id, message.recipient_id):
            if pid is not None:
                events.send_to_participant(participant_id=pid, event=event, message=payload)
    elif message.breakout_room_id is not None:
        events.send_to_room(
            meeting_id=message.meeting_id, room_id=message.breakout_room_id, event=event, message=payload
        )
    else:
        events.broadcast(room=message.meeting, event=event, message=payload)


def chat_post(
    *,
    sender: MeetingParticipant,
    text: str,
    type: str = ChatMessage.Type.TEXT,
    recipient: MeetingParticipant | None = None,
    client_id: str = "",
    attachments: Sequence[StoredFile] = (),
    in_main_room: bool = False,
    poll: Poll | None = None,
) -> ChatMessage:
    """Store a message from `sender` (said in their room, or the main room when `in_main_room`)
    and send it on after commit. Call inside the service's transaction, checks done. A message
    of type `poll` carries `poll` (saved), linked before it is sent so the message shows it."""
    message = ChatMessage.objects.create(
        meeting=sender.meeting,
        sender=sender,
        sender_user_id=sender.user_id,
        sender_name=sender.display_name,
        type=type,
        text=text,
        recipient=recipient,
        client_id=client_id,
        breakout_room_id=None if in_main_room else sender.breakout_room_id,
    )
    if attachments:
        message.attachments.set(attachments)
    if poll is not None:
        poll.message = message  # also what `message.poll` reads, with no query
        poll.save(update_fields=["message", "updated_at"])
    _send(message, "chat.message")
    return message


def chat_system_post(*, meeting: Meeting, text: str) -> ChatMessage:
    """A note from the meeting itself in the main room (breakout rooms opened, closed, ...)."""
    message = ChatMessage.objects.create(
        meeting=meeting, sender_name="", type=ChatMessage.Type.SYSTEM, text=text
    )
    _send(message, "chat.message")
    return message


def chat_updated(*, message: ChatMessage) -> None:
    """Send a changed message again to those who have it. Inside the service's transaction."""
    _send(message, "chat.updated")
