"""How meeting events leave the server: numbered and logged, then sent after commit.

Broadcast events go to everyone admitted to the meeting. Each takes the meeting's next
sequence number and is written to MeetingEvent in the caller's transaction, so a client that
missed some asks for everything after the last number it saw. Direct events go to one
participant (or to the hosts) and are not numbered: what they carry is either state that the
next snapshot repeats or a chat message that chat history repeats.

Sockets subscribe to four kinds of channel-layer group (the meeting, its hosts, one breakout
room, one session); the consumer forwards the pre-encoded `text` as it is, so a broadcast is
encoded once, not once per member.
"""

import json
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F

from aapoon.meetings.models import Meeting, MeetingEvent


def meeting_group(meeting_id: uuid.UUID) -> str:
    return f"meeting.{meeting_id}"


def hosts_group(meeting_id: uuid.UUID) -> str:
    return f"meeting.{meeting_id}.hosts"


def participant_group(participant_id: uuid.UUID) -> str:
    return f"participant.{participant_id}"


def room_group(meeting_id: uuid.UUID, room_id: uuid.UUID) -> str:
    """The sockets of the sessions in one breakout room."""
    return f"meeting.{meeting_id}.room.{room_id}"


def _send_after_commit(group: str, message: dict[str, Any]) -> None:
    text = json.dumps(message)
    layer = get_channel_layer()
    assert layer is not None

    def send() -> None:
        async_to_sync(layer.group_send)(
            group, {"type": "meeting.event", "event": message["type"], "text": text}
        )

    transaction.on_commit(send)


def broadcast(*, room: Meeting, event: str, **payload: Any) -> int:
    """Number, log and (after commit) broadcast one event. Call inside the service's transaction."""
    # The UPDATE takes the meeting row's lock until commit, so numbers are handed out in turn.
    Meeting.objects.filter(pk=room.pk).update(event_seq=F("event_seq") + 1)
    seq = Meeting.objects.filter(pk=room.pk).values_list("event_seq", flat=True).get()
    room.event_seq = seq
    MeetingEvent.objects.create(meeting=room, seq=seq, type=event, payload=payload)
    _send_after_commit(meeting_group(room.pk), {"type": event, "seq": seq, **payload})
    return seq


def send_to_participant(*, participant_id: uuid.UUID, event: str, **payload: Any) -> None:
    _send_after_commit(participant_group(participant_id), {"type": event, **payload})


def send_to_room(*, meeting_id: uuid.UUID, room_id: uuid.UUID, event: str, **payload: Any) -> None:
    _send_after_commit(room_group(meeting_id, room_id), {"type": event, **payload})


def send_to_hosts(*, meeting_id: uuid.UUID, event: str, **payload: Any) -> None:
    _send_after_commit(hosts_group(meeting_id), {"type": event, **payload})


def events_since(*, meeting_id: uuid.UUID, since: int, limit: int = 1000) -> list[dict[str, Any]]:
    rows = MeetingEvent.objects.filter(meeting_id=meeting_id, seq__gt=since).order_by("seq")[:limit]
    return [{"type": row.type, "seq": row.seq, **row.payload} for row in rows]
