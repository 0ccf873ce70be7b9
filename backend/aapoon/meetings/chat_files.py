"""Files in a meeting's chat: sharing one (checked, stored, posted as a chat message of type
`file`), a link to open one, and the host taking one away.

Guests have no account, so inside the meeting a session's participant token (participant_tokens.py)
says who calls. File names are what people chose to call their files: they go in no log or
audit row.
"""

import uuid
from typing import IO

from django.conf import settings
from django.core import checks
from django.db import transaction
from django.db.models import Q, QuerySet

from aapoon.core.errors import NotFound
from aapoon.files.models import StoredFile
from aapoon.files.services import stored_file_delete
from aapoon.files.signing import SignedLink, signed_link_make
from aapoon.files.upload_checks import FILE_TYPES, upload_check
from aapoon.files.uploads import stored_bytes_discard, stored_bytes_save, stored_file_record
from aapoon.meetings.chat import chat_post, chat_updated
from aapoon.meetings.codes import meeting_code_normalize
from aapoon.meetings.models import ChatMessage, Meeting, MeetingParticipant
from aapoon.meetings.policies import check_can_moderate
from aapoon.meetings.room import actor_get, chat_recipient, check_message_rate

REMOVED_TEXT = "File removed by the host"
_MAX_CLIENT_ID = 64


@checks.register()
def check_file_types(**kwargs: object) -> list[checks.CheckMessage]:
    """MEETING_FILE_TYPES may name only kinds the upload checks know how to check."""
    unknown = sorted({ext.lower() for ext in settings.MEETING_FILE_TYPES} - FILE_TYPES.keys())
    if not unknown:
        return []
    return [
        checks.Error(
            f"MEETING_FILE_TYPES names file types that can't be checked: {', '.join(unknown)}.",
            hint=f"Use some of: {', '.join(sorted(FILE_TYPES))}.",
            id="meetings.E001",
        )
    ]


def _file_id(file_id: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(file_id))
    except ValueError as exc:
        raise NotFound("No such file.") from exc


def _in_meeting(participant_id: uuid.UUID, code: str, *, lock: bool) -> MeetingParticipant:
    """The joined session `participant_id` of the live meeting `code`. A session of another meeting
    gets "not found" (as if the meeting were not there), before any other answer."""
    normalized = meeting_code_normalize(code)
    if not MeetingParticipant.objects.filter(pk=participant_id, meeting__meeting_code=normalized).exists():
        raise NotFound("No such meeting.")
    return actor_get(participant_id, lock=lock)


def chat_file_send(
    *,
    participant_id: uuid.UUID,
    code: str,
    source: IO[bytes],
    name: str,
    to: object = None,
    client_id: object = None,
) -> ChatMessage:
    """Share the file in `source` (seekable) in the sender's room, or with `to` privately.

    Refusals store nothing. The bytes are written before the transaction (to keep it short) and
    deleted again if it fails. Call outside any transaction: this one is the service's own.
    """
    _in_meeting(participant_id, code, lock=False)
    checked = upload_check(
        name=name,
        source=source,
        max_bytes=settings.MEETING_FILE_MAX_BYTES,
        allowed=settings.MEETING_FILE_TYPES,
    )
    client_ref = client_id.replace("\x00", "")[:_MAX_CLIENT_ID] if isinstance(client_id, str) else ""
    check_message_rate(participant_id)
    saved = stored_bytes_save(kind=StoredFile.Kind.ATTACHMENT, source=source, extension=checked.extension)
    try:
        with transaction.atomic():
            # Checked again now that it counts: they may have left meanwhile, and so may `to`.
            sender = _in_meeting(participant_id, code, lock=False)
            recipient = chat_recipient(sender, to)
            stored = stored_file_record(
                saved=saved,
                owner_id=sender.user_id,
                meeting_id=sender.meeting_id,
                kind=StoredFile.Kind.ATTACHMENT,
                mime_type=checked.mime_type,
                original_name=checked.name,
            )
            return chat_post(
                sender=sender,
                text="",
                type=ChatMessage.Type.FILE,
                recipient=recipient,
                client_id=client_ref,
                attachments=[stored],
            )
    except BaseException:
        stored_bytes_discard(saved=saved)
        raise


def _person_sessions(
    meeting: Meeting, participant_id: uuid.UUID | None, user_id: uuid.UUID | None, guest_key: str
) -> QuerySet[MeetingParticipant]:
    """Every session in `meeting` of the person calling: named by a session of theirs (its user or
    guest key stands for the person), their account, or their guest cookie."""
    person = Q(pk__in=[])
    if participant_id is not None:
        session = meeting.participants.filter(pk=participant_id).values("user_id", "guest_key").first()
        if session is not None:
            person |= Q(pk=participant_id)
            user_id = user_id or session["user_id"]
            guest_key = guest_key or ("" if session["user_id"] else session["guest_key"])
    if user_id is not None:
        person |= Q(user_id=user_id)
    if guest_key:
        person |= Q(user__isnull=True, guest_key=guest_key)
    return meeting.participants.filter(person)


def chat_file_link(
    *,
    code: str,
    file_id: object,
    participant_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    guest_key: str = "",
) -> SignedLink:
    """A signed link to a file shared in the meeting `code`, for someone who is or was in it (let
    in, and not removed), identified by a session of the meeting (`participant_id`, from its
    token), their account or their guest cookie. A private file only for its sender and recipient.
    Anyone else: "not found", the same answer as for a file that isn't there."""
    wanted = _file_id(file_id)
    meeting = Meeting.objects.filter(meeting_code=meeting_code_normalize(code)).first()
    if meeting is None:
        raise NotFound("No such file.")
    sessions = _person_sessions(meeting, participant_id, user_id, guest_key)
    was_in = sessions.filter(joined_at__isnull=False).exclude(status=MeetingParticipant.Status.REMOVED)
    if not was_in.exists():
        raise NotFound("No such file.")
    mine = sessions.values("pk")
    message = ChatMessage.objects.filter(
        Q(recipient__isnull=True) | Q(recipient_id__in=mine) | Q(sender_id__in=mine),
        meeting=meeting,
        type=ChatMessage.Type.FILE,
        attachments=wanted,
    ).first()
    stored = message.attachments.filter(pk=wanted).first() if message is not None else None
    if stored is None:
        raise NotFound("No such file.")
    return signed_link_make(stored_file=stored, ttl_seconds=settings.MEETING_FILE_LINK_TTL_SECONDS)


def chat_file_remove(*, participant_id: uuid.UUID, code: str, file_id: object) -> None:
    """A host or co-host takes a shared file away: the file is deleted, its message stays with no
    attachment and says so, and goes again to those who have it (`chat.updated`)."""
    _in_meeting(participant_id, code, lock=False)
    wanted = _file_id(file_id)
    with transaction.atomic():
        actor = _in_meeting(participant_id, code, lock=True)
        check_can_moderate(actor=actor)
        messages = list(ChatMessage.objects.filter(meeting_id=actor.meeting_id, attachments=wanted))
        stored = messages[0].attachments.filter(pk=wanted).first() if messages else None
        if stored is None:
            raise NotFound("No such file.")
        stored_file_delete(stored_file=stored)
        for message in messages:
            message.text = REMOVED_TEXT
            message.save(update_fields=["text", "updated_at"])
            chat_updated(message=message)
