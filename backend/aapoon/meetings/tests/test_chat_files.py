"""Files in the chat, as services: sharing (checked, stored, posted), links for those who were
there, and the host taking a file away. Every refusal stores nothing: no row, no bytes, no event.
"""

import hashlib
import io
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage

from aapoon.accounts.tests.factories import make_user
from aapoon.core.errors import InvalidInput, NotFound, PermissionDenied, RateLimited
from aapoon.files.models import StoredFile
from aapoon.files.signing import LinkExpired, signed_link_file_id
from aapoon.files.tests import samples
from aapoon.files.upload_checks import (
    FileContentMismatch,
    FileNameInvalid,
    FileTooLarge,
    FileTypeNotAllowed,
    FileUnsafe,
)
from aapoon.files.uploads import SavedBytes, stored_bytes_save
from aapoon.meetings import chat_files
from aapoon.meetings.chat_files import REMOVED_TEXT, chat_file_link, chat_file_remove, chat_file_send
from aapoon.meetings.events import meeting_group, participant_group
from aapoon.meetings.models import ChatMessage, MeetingEvent, MeetingParticipant
from aapoon.meetings.payloads import chat_payload
from aapoon.meetings.tests.factories import Room, db_state, make_participant

pytestmark = pytest.mark.django_db
Status = MeetingParticipant.Status
PNG = samples.image("PNG")


def stored_bytes() -> set[Path]:
    """Every file under the storage's attachment folder."""
    root = Path(django_settings.MEDIA_ROOT) / StoredFile.Kind.ATTACHMENT
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def files_state() -> dict[str, Any]:
    return {**db_state(), "files": list(StoredFile.objects.order_by("pk").values()), "bytes": stored_bytes()}


def share(
    commit, who: MeetingParticipant, name: str = "chart.png", content: bytes = PNG, **kwargs: Any
) -> ChatMessage:
    return commit(
        chat_file_send,
        participant_id=who.pk,
        code=who.meeting.meeting_code,
        source=io.BytesIO(content),
        name=name,
        **kwargs,
    )


def was_in(r: Room, name: str, status: str, **fields: Any) -> MeetingParticipant:
    """Someone who was let in and is no longer there (left, or removed)."""
    person = make_participant(r.meeting, name=name, status=status, **fields)
    MeetingParticipant.objects.filter(pk=person.pk).update(joined_at=person.created_at)
    return person


@pytest.fixture
def nothing_stored(commit, outbox):
    """`nothing_stored(error, who, name, content, **kwargs)`: sharing is refused with `error`, and no
    row, no bytes and no event are left."""

    def check(
        error: type[Exception], who: MeetingParticipant, name: str, content: bytes, **kwargs: Any
    ) -> Any:
        before = files_state()
        with pytest.raises(error) as raised:
            share(commit, who, name, content, **kwargs)
        assert files_state() == before
        assert outbox.sent == []
        return raised.value

    return check


# ---- sharing -----------------------------------------------------------------------------------


def test_a_guest_shares_an_image_stored_and_broadcast_like_a_message(commit, outbox, r: Room):
    message = share(commit, r.gita, "  chart.png ", client_id="up-1")

    stored = StoredFile.objects.get()
    assert (stored.kind, stored.meeting_id, stored.owner_id, stored.original_name) == (
        "attachment",
        r.meeting.pk,
        None,  # a guest has no account
        "chart.png",
    )
    assert (stored.size_bytes, stored.mime_type) == (len(PNG), "image/png")
    assert stored.sha256 == hashlib.sha256(PNG).hexdigest()
    with default_storage.open(stored.storage_key) as saved:
        assert saved.read() == PNG
    assert stored.storage_key.startswith("attachment/") and stored.storage_key.endswith(".png")

    row = ChatMessage.objects.get()
    assert (row.pk, row.type, row.text, row.sender_id, row.recipient_id, row.client_id) == (
        message.pk,
        "file",
        "",
        r.gita.pk,
        None,
        "up-1",
    )
    payload = {
        "id": str(row.pk),
        "type": "file",
        "sender_participant_id": str(r.gita.pk),
        "sender_name": "Gita",
        "text": "",
        "to_participant_id": None,
        "room_id": None,
        "created_at": row.created_at.isoformat(),
        "client_id": "up-1",
        "attachments": [
            {
                "id": str(stored.pk),
                "name": "chart.png",
                "size_bytes": len(PNG),
                "mime_type": "image/png",
                "is_image": True,
            }
        ],
        "poll": None,
    }
    assert outbox.sent == [
        (meeting_group(r.meeting.pk), {"type": "chat.message", "seq": 1, "message": payload})
    ]
    assert MeetingEvent.objects.get().payload == {"message": payload}


def test_a_signed_in_person_shares_a_file_privately(commit, outbox, r: Room):
    message = share(commit, r.alice, "Agenda.pdf", samples.PDF, to=str(r.co.pk))
    stored = StoredFile.objects.get()
    assert (stored.owner_id, stored.mime_type) == (r.alice.user_id, "application/pdf")
    payload = chat_payload(message)
    assert payload["to_participant_id"] == str(r.co.pk)
    assert payload["attachments"][0]["is_image"] is False
    assert outbox.sent == [
        (participant_group(r.alice.pk), {"type": "chat.message", "message": payload}),
        (participant_group(r.co.pk), {"type": "chat.message", "message": payload}),
    ]
    assert MeetingEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("error", "name", "content"),
    [
        (FileTypeNotAllowed, "setup.exe", b"MZ\x90\x00"),
        (FileContentMismatch, "chart.png", samples.PDF),  # content that doesn't match its extension
        (
            FileContentMismatch,
            "report.docx",
            samples.zip_of({"word/document.xml": b"<w/>"}),
        ),  # a fake Office file
        (FileNameInvalid, "../../chart.png", PNG),
        (FileNameInvalid, "C:chart.png", PNG),
        (FileUnsafe, "bundle.zip", samples.ratio_bomb()),
        (FileUnsafe, "bundle.zip", samples.nested_bomb()),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(nothing_stored, r: Room, error, name, content):
    refusal = nothing_stored(error, r.gita, name, content)
    assert refusal.status == 400


def test_a_file_over_the_limit_is_refused(nothing_stored, commit, outbox, r: Room, settings):
    settings.MEETING_FILE_MAX_BYTES = len(samples.TEXT)
    assert share(commit, r.gita, "notes.txt", samples.TEXT).type == "file"
    outbox.clear()
    refusal = nothing_stored(FileTooLarge, r.gita, "notes.txt", samples.TEXT + b"!")
    assert refusal.code == "file_too_large"


def test_only_the_types_of_the_setting_are_taken(nothing_stored, r: Room, settings):
    settings.MEETING_FILE_TYPES = ["pdf"]
    nothing_stored(FileTypeNotAllowed, r.gita, "chart.png", PNG)


def test_bytes_written_before_a_refusal_in_the_transaction_are_deleted(
    nothing_stored, r: Room, other_room: Room, monkeypatch
):
    written: list[str] = []

    def save(**kwargs: Any) -> SavedBytes:
        saved = stored_bytes_save(**kwargs)
        written.append(saved.storage_key)
        return saved

    monkeypatch.setattr(chat_files, "stored_bytes_save", save)
    # The recipient is checked inside the transaction, after the bytes were written.
    for to in (other_room.alice.pk, r.knock.pk, uuid.uuid4()):
        nothing_stored(NotFound, r.gita, "chart.png", PNG, to=str(to))
    nothing_stored(InvalidInput, r.gita, "chart.png", PNG, to=str(r.gita.pk))
    assert len(written) == 4
    assert not any(default_storage.exists(key) for key in written)


def test_files_count_against_the_chat_rate_limit(nothing_stored, commit, outbox, r: Room, settings):
    settings.MEETING_MESSAGE_RATE_LIMIT = 2
    share(commit, r.gita)
    share(commit, r.gita)
    outbox.clear()
    nothing_stored(RateLimited, r.gita, "chart.png", PNG)


def test_only_a_joined_session_of_this_meeting_may_share(nothing_stored, r: Room, other_room: Room):
    # A session of another meeting: "not found", whatever it sends.
    with pytest.raises(NotFound):
        chat_file_send(
            participant_id=other_room.gita.pk,
            code=r.meeting.meeting_code,
            source=io.BytesIO(b"MZ"),
            name="setup.exe",
        )
    nothing_stored(PermissionDenied, r.knock, "chart.png", PNG)  # still in the waiting room
    left = make_participant(r.meeting, name="Lea", guest_key="g-lea", status=Status.LEFT)
    nothing_stored(PermissionDenied, left, "chart.png", PNG)
    assert StoredFile.objects.count() == 0


# ---- links -------------------------------------------------------------------------------------


def link_for(message: ChatMessage, **who: Any) -> uuid.UUID:
    stored = message.attachments.get()
    link = chat_file_link(code=message.meeting.meeting_code, file_id=str(stored.pk), **who)
    opened = signed_link_file_id(token=link.token)
    assert opened == stored.pk
    return opened


def test_links_for_current_and_past_participants(commit, r: Room, settings):
    settings.MEETING_FILE_LINK_TTL_SECONDS = 120
    message = share(commit, r.gita)
    stored = message.attachments.get()
    before = time.time()
    link = chat_file_link(code=r.meeting.meeting_code, file_id=stored.pk, participant_id=r.alice.pk)
    assert before + 119 <= link.expires_at.timestamp() <= time.time() + 120

    # Someone who has left, by a token of their old session, their account or their guest cookie.
    past_user = make_user(email="pat@example.com")
    past = was_in(r, "Pat", Status.LEFT, user=past_user)
    past_guest = was_in(r, "Gus", Status.LEFT, guest_key="g-gus")
    for who in (
        {"participant_id": past.pk},
        {"user_id": past_user.pk},
        {"guest_key": "g-gus"},
        {"participant_id": past_guest.pk},
        {"user_id": r.host_user.pk},
    ):
        assert link_for(message, **who) == stored.pk

    # After the meeting has ended too.
    r.meeting.status = "ended"
    r.meeting.save(update_fields=["status"])
    assert link_for(message, user_id=past_user.pk) == stored.pk


def test_the_link_expires(commit, r: Room):
    message = share(commit, r.gita)
    link = chat_file_link(
        code=r.meeting.meeting_code, file_id=message.attachments.get().pk, participant_id=r.gita.pk
    )
    with pytest.raises(LinkExpired):
        signed_link_file_id(token=link.token, now=link.expires_at.timestamp())
    assert (
        signed_link_file_id(token=link.token, now=link.expires_at.timestamp() - 1)
        == message.attachments.get().pk
    )


def test_strangers_get_no_link(commit, r: Room, other_room: Room):
    message = share(commit, r.gita)
    file_id = message.attachments.get().pk
    removed = was_in(r, "Rex", Status.REMOVED, guest_key="g-rex")
    denied = make_participant(r.meeting, name="Den", guest_key="g-den", status=Status.DENIED)
    for who in (
        {},
        {"participant_id": other_room.host.pk},  # another meeting's session, even its host
        {"user_id": other_room.host_user.pk},
        {"user_id": make_user(email="stranger@example.com").pk},
        {"guest_key": "g-nobody"},
        {"guest_key": "g-ogi"},  # a guest of the other meeting
        {"participant_id": r.knock.pk},  # never let in
        {"guest_key": "g-kiran"},
        {"participant_id": denied.pk},
        {"participant_id": removed.pk},  # removed from the meeting
        {"guest_key": "g-rex"},
        {"participant_id": uuid.uuid4()},
    ):
        with pytest.raises(NotFound):
            chat_file_link(code=r.meeting.meeting_code, file_id=file_id, **who)
    # The file of this meeting asked for through another meeting's code.
    with pytest.raises(NotFound):
        chat_file_link(
            code=other_room.meeting.meeting_code, file_id=file_id, participant_id=other_room.host.pk
        )
    for code, bad_id in (
        (r.meeting.meeting_code, "not-a-uuid"),
        (r.meeting.meeting_code, uuid.uuid4()),
        ("nope", file_id),
    ):
        with pytest.raises(NotFound):
            chat_file_link(code=code, file_id=bad_id, participant_id=r.gita.pk)


def test_a_private_file_only_for_its_sender_and_recipient(commit, r: Room):
    message = share(commit, r.alice, to=str(r.gita.pk))
    file_id = message.attachments.get().pk
    assert link_for(message, participant_id=r.alice.pk) == file_id
    assert link_for(message, guest_key="g-gita") == file_id
    # The recipient again in a later session (a reload): the same person.
    later = make_participant(r.meeting, name="Gita", guest_key="g-gita")
    assert link_for(message, participant_id=later.pk) == file_id
    for who in ({"participant_id": r.host.pk}, {"user_id": r.co.user_id}):
        with pytest.raises(NotFound):
            chat_file_link(code=r.meeting.meeting_code, file_id=file_id, **who)


# ---- removal ----------------------------------------------------------------------------------


def test_the_host_removes_a_file_the_message_stays(commit, outbox, r: Room):
    message = share(commit, r.gita)
    stored = message.attachments.get()
    outbox.clear()

    commit(chat_file_remove, participant_id=r.host.pk, code=r.meeting.meeting_code, file_id=str(stored.pk))

    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    assert not default_storage.exists(stored.storage_key)
    row = ChatMessage.objects.get()
    assert (row.type, row.text, list(row.attachments.all())) == ("file", REMOVED_TEXT, [])
    payload = {**chat_payload(row), "attachments": [], "text": "File removed by the host"}
    assert outbox.sent == [
        (meeting_group(r.meeting.pk), {"type": "chat.updated", "seq": 2, "message": payload})
    ]
    with pytest.raises(NotFound):  # no link to it any more
        chat_file_link(code=r.meeting.meeting_code, file_id=stored.pk, participant_id=r.gita.pk)


def test_a_cohost_removes_a_private_file_sent_again_only_to_those_two(commit, outbox, r: Room):
    message = share(commit, r.alice, to=str(r.gita.pk))
    outbox.clear()
    commit(
        chat_file_remove,
        participant_id=r.co.pk,
        code=r.meeting.meeting_code,
        file_id=message.attachments.get().pk,
    )
    payload = chat_payload(ChatMessage.objects.get())
    assert payload["text"] == REMOVED_TEXT
    assert outbox.sent == [
        (participant_group(r.alice.pk), {"type": "chat.updated", "message": payload}),
        (participant_group(r.gita.pk), {"type": "chat.updated", "message": payload}),
    ]


def test_only_hosts_of_this_meeting_remove_files(commit, outbox, r: Room, other_room: Room):
    message = share(commit, r.gita)
    stored = message.attachments.get()
    outbox.clear()
    before = files_state()
    attempts = [
        (PermissionDenied, r.alice),  # a participant
        (PermissionDenied, r.gita),  # who shared it
        (PermissionDenied, r.knock),
        (NotFound, other_room.host),  # another meeting's host
    ]
    for error, who in attempts:
        with pytest.raises(error):
            commit(chat_file_remove, participant_id=who.pk, code=r.meeting.meeting_code, file_id=stored.pk)
    with pytest.raises(NotFound):  # their own meeting's code: no such file there
        commit(
            chat_file_remove,
            participant_id=other_room.host.pk,
            code=other_room.meeting.meeting_code,
            file_id=stored.pk,
        )
    for bad_id in ("not-a-uuid", uuid.uuid4()):
        with pytest.raises(NotFound):
            commit(chat_file_remove, participant_id=r.host.pk, code=r.meeting.meeting_code, file_id=bad_id)
    assert files_state() == before
    assert outbox.sent == []


def test_unknown_file_types_in_the_setting_fail_the_system_check(settings):
    assert chat_files.check_file_types() == []
    settings.MEETING_FILE_TYPES = ["pdf", "EXE", "svg"]
    (error,) = chat_files.check_file_types()
    assert (error.id, error.msg) == (
        "meetings.E001",
        "MEETING_FILE_TYPES names file types that can't be checked: exe, svg.",
    )
