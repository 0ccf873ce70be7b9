"""/api/v1/meetings/{code}/files: sharing with the participant token, links (token, account or
guest cookie of someone who was there), the signed download, and removal by the host. Other
meetings' tokens and people get 404; refusals store nothing."""

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aapoon.accounts.tests.factories import make_user
from aapoon.files.models import StoredFile
from aapoon.files.tests import samples
from aapoon.media.tests.test_recordings_api import body
from aapoon.meetings import room, services
from aapoon.meetings.chat_files import REMOVED_TEXT
from aapoon.meetings.models import ChatMessage, MeetingParticipant
from aapoon.meetings.participant_tokens import participant_token_issue
from aapoon.meetings.payloads import chat_payload
from aapoon.meetings.tests.factories import Room
from aapoon.meetings.tests.test_chat_files import files_state

pytestmark = pytest.mark.django_db
PNG = samples.image("PNG")
SANDBOX_CSP = (
    "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'"
)


def token_of(participant: MeetingParticipant) -> dict[str, str]:
    return {"HTTP_X_PARTICIPANT_TOKEN": participant_token_issue(participant_id=participant.pk)}


def files_url(r: Room, *parts: object) -> str:
    return "/".join([f"/api/v1/meetings/{r.meeting.meeting_code}/files", *(str(part) for part in parts)])


def upload(client: Client, r: Room, name: str, content: bytes, headers: dict[str, str], **fields: str) -> Any:
    """A multipart POST written out by hand, so the file name goes as given (the test client would
    take folders off it first)."""
    boundary = "----aapoon-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return client.post(
        files_url(r), data=body, content_type=f"multipart/form-data; boundary={boundary}", **headers
    )


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    assert body["code"] == code, body
    return body


def shared(client: Client, r: Room, name: str = "chart.png", content: bytes = PNG, by=None) -> str:
    """Share a file as `by` (Gita) and return its id."""
    response = upload(client, r, name, content, token_of(by or r.gita))
    assert response.status_code == 201, response.content
    return str(response.json()["message"]["attachments"][0]["id"])


def link(client: Client, r: Room, file_id: str, **headers: str) -> Any:
    return client.post(files_url(r, file_id, "link"), **headers)


def download(client: Client, url: str, **params: str) -> Any:
    return client.get(urlsplit(url).path, params)


# ---- sharing -----------------------------------------------------------------------------------


def test_a_guest_shares_a_file_with_the_participant_token(client: Client, r: Room):
    response = upload(client, r, "chart.png", PNG, token_of(r.gita), client_id="c-7")
    assert response.status_code == 201, response.content
    message = ChatMessage.objects.get()
    assert response.json() == {"message": json.loads(json.dumps(chat_payload(message)))}
    assert response.json()["message"]["client_id"] == "c-7"
    stored = StoredFile.objects.get()
    assert (stored.meeting_id, stored.kind, stored.original_name, stored.size_bytes) == (
        r.meeting.pk,
        "attachment",
        "chart.png",
        len(PNG),
    )


def test_a_private_file(client: Client, r: Room):
    response = upload(client, r, "Agenda.pdf", samples.PDF, token_of(r.gita), to=str(r.alice.pk))
    assert response.status_code == 201, response.content
    assert response.json()["message"]["to_participant_id"] == str(r.alice.pk)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("setup.exe", b"MZ\x90\x00", "file_type_not_allowed"),
        ("chart.png", samples.PDF, "file_content_mismatch"),
        ("budget.xlsx", samples.office("docx"), "file_content_mismatch"),
        ("report.docx", samples.zip_of({"word/document.xml": b"<w/>"}), "file_content_mismatch"),
        ("C:chart.png", PNG, "file_name_invalid"),
        ("..", PNG, "file_name_invalid"),  # Django drops the part: no file with a name
        ("bundle.zip", samples.ratio_bomb(), "file_unsafe"),
    ],
)
def test_bad_files_are_refused_with_their_code_and_nothing_stored(
    client: Client, r: Room, name, content, code
):
    before = files_state()
    error(upload(client, r, name, content, token_of(r.gita)), 400, code)
    assert files_state() == before


def test_folders_and_unprintable_characters_never_reach_a_stored_name(client: Client, r: Room):
    """Django's multipart parser takes them off before we see the name; the checks refuse them
    from any other caller (see test_chat_files and files/tests/test_upload_checks)."""
    shared(client, r, "../../etc/chart\x07.png")
    shared(client, r, "C:\\Users\\me\\chart.png")
    assert list(StoredFile.objects.values_list("original_name", flat=True)) == ["chart.png", "chart.png"]


def test_too_large(client: Client, r: Room, settings):
    settings.MEETING_FILE_MAX_BYTES = 1000
    before = files_state()
    body = error(upload(client, r, "notes.txt", b"a" * 1001, token_of(r.gita)), 400, "file_too_large")
    assert body["message"] == "This file is too large: files can be at most 0.000954 MB."
    # A body far past the limit is refused by its length, before it is parsed.
    error(upload(client, r, "notes.txt", b"a" * 200_000, token_of(r.gita)), 400, "file_too_large")
    assert files_state() == before


def test_who_may_share(client: Client, r: Room, other_room: Room):
    before = files_state()
    error(client.post(files_url(r), {"file": SimpleUploadedFile("chart.png", PNG)}), 401, "not_authenticated")
    error(
        upload(client, r, "chart.png", PNG, {"HTTP_X_PARTICIPANT_TOKEN": "forged"}), 401, "not_authenticated"
    )
    error(upload(client, r, "chart.png", PNG, token_of(other_room.host)), 404, "not_found")  # another meeting
    error(upload(client, r, "chart.png", PNG, token_of(r.knock)), 403, "permission_denied")  # waiting
    error(
        upload(client, r, "chart.png", PNG, token_of(r.gita), to=str(other_room.alice.pk)), 404, "not_found"
    )
    # Signed in as the host, without the token: no.
    client.force_login(r.host_user)
    error(client.post(files_url(r), {"file": SimpleUploadedFile("chart.png", PNG)}), 401, "not_authenticated")
    assert files_state() == before


def test_rate_limited(client: Client, r: Room, settings):
    settings.MEETING_MESSAGE_RATE_LIMIT = 1
    shared(client, r)
    error(upload(client, r, "chart.png", PNG, token_of(r.gita)), 429, "rate_limited")
    assert StoredFile.objects.count() == 1


# ---- links and the download -----------------------------------------------------------------------


def test_a_link_serves_the_bytes_images_and_pdfs_inline_and_sandboxed(client: Client, r: Room, settings):
    settings.MEETING_FILE_LINK_TTL_SECONDS = 60
    png_id = shared(client, r)
    answer = link(client, r, png_id, **token_of(r.alice))
    assert answer.status_code == 200, answer.content
    assert set(answer.json()) == {"url", "expires_at"}
    assert answer.json()["url"].startswith("http://testserver/api/v1/files/signed/")

    opened = download(Client(), answer.json()["url"])  # no session needed
    assert opened.status_code == 200
    assert body(opened) == PNG
    assert opened["Content-Type"] == "image/png"
    assert opened["Content-Disposition"] == 'inline; filename="chart.png"'
    assert opened["Content-Security-Policy"] == SANDBOX_CSP
    assert opened["X-Content-Type-Options"] == "nosniff"
    saved = download(Client(), answer.json()["url"], download="1")
    assert saved["Content-Disposition"] == 'attachment; filename="chart.png"'

    pdf = download(
        Client(),
        link(client, r, shared(client, r, "Agenda.pdf", samples.PDF), **token_of(r.alice)).json()["url"],
    )
    assert pdf["Content-Disposition"] == 'inline; filename="Agenda.pdf"'
    # A browser runs no PDF viewer in a sandboxed document, so PDFs get the rest of the policy.
    assert pdf["Content-Security-Policy"] == (
        "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; "
        "object-src 'self'; frame-ancestors 'none'"
    )


@pytest.mark.parametrize(
    ("name", "content"), [("notes.txt", samples.TEXT), ("bundle.zip", samples.zip_of({"a": b"a"}))]
)
def test_everything_else_always_downloads(client: Client, r: Room, name: str, content: bytes):
    url = link(client, r, shared(client, r, name, content), **token_of(r.alice)).json()["url"]
    opened = download(Client(), url)
    assert opened["Content-Disposition"] == f'attachment; filename="{name}"'
    assert opened["Content-Security-Policy"] == SANDBOX_CSP
    assert body(opened) == content


def test_links_for_past_participants_signed_in_or_by_guest_cookie(client: Client, r: Room):
    file_id = shared(client, r)
    # A guest who joins through the API (and so gets the guest cookie), is let in, then leaves.
    browser = Client()
    joined = browser.post(
        f"/api/v1/meetings/{r.meeting.meeting_code}/join",
        data=json.dumps({"display_name": "Gus"}),
        content_type="application/json",
    )
    guest_id = joined.json()["participant_id"]
    error(link(browser, r, file_id), 404, "not_found")  # still in the waiting room
    room.lobby_admit(participant_id=r.host.pk, target_id=guest_id)
    services.participant_leave(participant_id=guest_id)
    assert link(browser, r, file_id).status_code == 200  # the cookie alone

    # Alice leaves; signed in, her account is enough.
    services.participant_leave(participant_id=r.alice.pk)
    alice = Client()
    alice.force_login(r.alice.user)
    assert link(alice, r, file_id).status_code == 200
    # So is the token of her old session.
    assert link(Client(), r, file_id, **token_of(r.alice)).status_code == 200


def test_strangers_and_other_meetings_get_404(client: Client, r: Room, other_room: Room):
    file_id = shared(client, r)
    stranger = Client()
    stranger.force_login(make_user(email="stranger@example.com"))
    other_host = Client()
    other_host.force_login(other_room.host_user)
    for caller, headers in (
        (Client(), {}),
        (Client(), {"HTTP_X_PARTICIPANT_TOKEN": "forged"}),
        (Client(), token_of(other_room.host)),
        (Client(), token_of(r.knock)),
        (stranger, {}),
        (other_host, {}),
    ):
        error(link(caller, r, file_id, **headers), 404, "not_found")
    # Through the other meeting's code, with that meeting's host's token.
    error(link(Client(), other_room, file_id, **token_of(other_room.host)), 404, "not_found")
    error(link(Client(), r, "not-a-uuid", **token_of(r.gita)), 404, "not_found")


def test_an_expired_link_is_refused_without_touching_the_file(client: Client, r: Room, settings):
    file_id = shared(client, r)
    settings.MEETING_FILE_LINK_TTL_SECONDS = 0
    url = link(client, r, file_id, **token_of(r.gita)).json()["url"]
    error(download(Client(), url), 403, "link_expired")
    error(download(Client(), url.replace("/signed/", "/signed/x")), 403, "link_invalid")


# ---- removal ----------------------------------------------------------------------------------


def test_the_host_removes_a_file(client: Client, r: Room):
    file_id = shared(client, r)
    url = link(client, r, file_id, **token_of(r.alice)).json()["url"]
    response = client.delete(files_url(r, file_id), **token_of(r.host))
    assert response.status_code == 204, response.content
    assert not StoredFile.objects.exists()
    message = ChatMessage.objects.get()
    assert (message.text, message.attachments.count()) == (REMOVED_TEXT, 0)
    error(link(client, r, file_id, **token_of(r.alice)), 404, "not_found")
    error(download(Client(), url), 404, "not_found")  # a link made before: the file is gone


def test_only_the_hosts_of_this_meeting_remove(client: Client, r: Room, other_room: Room):
    file_id = shared(client, r)
    before = files_state()
    error(client.delete(files_url(r, file_id)), 401, "not_authenticated")
    error(client.delete(files_url(r, file_id), **token_of(r.gita)), 403, "permission_denied")
    error(client.delete(files_url(r, file_id), **token_of(r.alice)), 403, "permission_denied")
    error(client.delete(files_url(r, file_id), **token_of(other_room.host)), 404, "not_found")
    error(client.delete(files_url(other_room, file_id), **token_of(other_room.host)), 404, "not_found")
    assert files_state() == before
