"""Files in a meeting's chat (docs/meetings.md "Files in chat"): share, link, remove.

Inside the meeting the caller is a session, named by its participant token in the
`X-Participant-Token` header (guests have no account). A link can also be asked for later,
signed in or with the guest cookie, by someone who was in the meeting.
"""

import datetime as dt
import uuid
from typing import Any

from allauth.headless.contrib.ninja.security import jwt_token_auth
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from aapoon.accounts.models import User
from aapoon.files.upload_checks import FileNameInvalid, upload_size_check
from aapoon.meetings import chat_files
from aapoon.meetings.api_auth import ParticipantTokenAuth, SessionIfSent, signed_out
from aapoon.meetings.guests import guest_key_read
from aapoon.meetings.payloads import chat_payload

router = Router(tags=["meeting files"])
# Room for the multipart framing and the other fields around a file of the largest size.
_MULTIPART_OVERHEAD_BYTES = 64 * 1024


class _UploaderAuth(ParticipantTokenAuth):
    """Also refuses a body too large to hold an allowed file, before it is parsed (behind nginx,
    client_max_body_size stops it before it reaches us)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> uuid.UUID | None:
        participant_id = super().authenticate(request, key)
        length = request.META.get("CONTENT_LENGTH") or ""
        if participant_id and length.isdigit():
            upload_size_check(
                size=int(length) - _MULTIPART_OVERHEAD_BYTES, max_bytes=settings.MEETING_FILE_MAX_BYTES
            )
        return participant_id


class AttachmentOut(Schema):
    id: uuid.UUID
    name: str
    size_bytes: int
    mime_type: str
    is_image: bool


class ChatMessageOut(Schema):
    id: uuid.UUID
    type: str
    sender_participant_id: uuid.UUID | None
    sender_name: str
    text: str
    to_participant_id: uuid.UUID | None
    room_id: uuid.UUID | None
    created_at: str  # as the realtime protocol sends it
    client_id: str | None
    attachments: list[AttachmentOut]
    poll: dict[str, Any] | None


class FileMessageOut(Schema):
    message: ChatMessageOut


class FileLinkOut(Schema):
    url: str
    expires_at: dt.datetime


def _participant(request: HttpRequest) -> uuid.UUID:
    participant_id = request.auth  # type: ignore[attr-defined]
    assert isinstance(participant_id, uuid.UUID)  # guaranteed by the operation's auth
    return participant_id


@router.post(
    "/meetings/{code}/files",
    response={201: FileMessageOut},
    auth=_UploaderAuth(),
    operation_id="meeting_file_send",
)
def meeting_file_send(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile | None] = None,
    to: Form[str | None] = None,
    client_id: Form[str | None] = None,
) -> Status[FileMessageOut]:
    # Django drops a file part whose name is nothing once it has taken folders and unprintable
    # characters off it ("..", "/"): to us that is a file with no name.
    if file is None:
        raise FileNameInvalid("The file has no usable name.")
    message = chat_files.chat_file_send(
        participant_id=_participant(request),
        code=code,
        source=file,
        name=file.name or "",
        to=to,
        client_id=client_id,
    )
    return Status(201, FileMessageOut.model_validate({"message": chat_payload(message)}))


@router.post(
    "/meetings/{code}/files/{file_id}/link",
    response=FileLinkOut,
    auth=[ParticipantTokenAuth(), jwt_token_auth, SessionIfSent(), signed_out],
    operation_id="meeting_file_link",
)
def meeting_file_link(request: HttpRequest, code: str, file_id: str) -> FileLinkOut:
    participant_id = request.auth if isinstance(request.auth, uuid.UUID) else None  # type: ignore[attr-defined]
    user = request.user if participant_id is None and isinstance(request.user, User) else None
    link = chat_files.chat_file_link(
        code=code,
        file_id=file_id,
        participant_id=participant_id,
        user_id=user.pk if user else None,
        guest_key=guest_key_read(request) if participant_id is None and user is None else "",
    )
    path = reverse("api-v1:file_signed_get", kwargs={"token": link.token})
    return FileLinkOut(url=request.build_absolute_uri(path), expires_at=link.expires_at)


@router.delete(
    "/meetings/{code}/files/{file_id}",
    response={204: None},
    auth=ParticipantTokenAuth(),
    operation_id="meeting_file_remove",
)
def meeting_file_remove(request: HttpRequest, code: str, file_id: str) -> Status[None]:
    chat_files.chat_file_remove(participant_id=_participant(request), code=code, file_id=file_id)
    return Status(204, None)
