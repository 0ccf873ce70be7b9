"""The JSON shapes of participants, chat messages and meetings as the realtime protocol sends them."""

from typing import Any

from aapoon.media.recording_selectors import recording_state
from aapoon.meetings.models import ChatMessage, Meeting, MeetingParticipant


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
    }


def chat_payload(message: ChatMessage) -> dict[str, Any]:
    return {
        "id": str(message.pk),
        "sender_participant_id": str(message.sender_id) if message.sender_id else None,
        "sender_name": message.sender_name,
        "text": message.text,
        "to_participant_id": str(message.recipient_id) if message.recipient_id else None,
        "created_at": message.created_at.isoformat(),
        "client_id": message.client_id or None,
    }


def meeting_payload(meeting: Meeting) -> dict[str, Any]:
    return {
        "code": meeting.meeting_code,
        "title": meeting.title,
        "is_locked": meeting.is_locked,
        "recording_allowed": meeting.recording_allowed,
        "recording": recording_state(meeting_id=meeting.pk),
    }
