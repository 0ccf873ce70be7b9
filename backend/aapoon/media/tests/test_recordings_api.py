"""The recordings API and signed downloads: who sees what, exact bodies, ranges, expiry, deletion."""

import datetime as dt
import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from asgiref.sync import async_to_sync
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from aapoon.accounts.models import Account, Membership, User
from aapoon.accounts.tests.factories import make_user
from aapoon.files.models import StoredFile
from aapoon.media.models import Recording
from aapoon.media.tests.recording_factories import (
    VIDEO_BYTES,
    make_ready_recording,
    make_recording,
    make_sfu_meeting,
    stored_bytes,
)
from aapoon.meetings.models import Meeting
from aapoon.meetings.tests.factories import make_participant

pytestmark = pytest.mark.django_db
Status = Recording.Status


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response) -> bytes:
    """A streamed body, read to the end: an async iterator, as ASGI wants it (the test client
    replaces a HEAD answer's with an empty list)."""
    content = response.streaming_content
    if not hasattr(content, "__aiter__"):
        return b"".join(content)

    async def read() -> bytes:
        return b"".join([chunk async for chunk in content])

    return async_to_sync(read)()


def error_code(response) -> str:
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    return body["code"]


@pytest.fixture
def host(db) -> User:
    return make_user(email="hema@example.com")


@pytest.fixture
def meeting(host) -> Meeting:
    return make_sfu_meeting(host=host, title="Weekly")


@pytest.fixture
def ready(meeting, tmp_path) -> Recording:
    source = tmp_path / "src"
    source.mkdir()
    (source / "x.mjr").write_bytes(b"mjr")
    return make_ready_recording(meeting, source_dir=source)


def _member(account: Account, email: str, role: str) -> User:
    user = make_user(email=email)
    Membership.objects.create(account=account, user=user, role=role)
    return user


def as_json(value: object) -> object:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def expected(recording: Recording) -> dict:
    return {
        "id": str(recording.pk),
        "meeting_code": recording.meeting.meeting_code,
        "meeting_title": recording.meeting.title,
        "status": recording.status,
        "started_at": as_json(recording.started_at),
        "stopped_at": as_json(recording.stopped_at),
        "duration_sec": recording.duration_sec,
        "size_bytes": recording.size_bytes,
        "progress": recording.progress,
        "error": recording.error,
        "mime_type": recording.file.mime_type if recording.file else None,
        "transcript": None,
    }


# ---- who may see a recording --------------------------------------------------------------------


def test_host_gets_lists_and_the_recording(host, meeting, ready):
    api = signed_in(host)
    assert api.get(f"/api/v1/recordings/{ready.pk}").json() == expected(ready)
    assert api.get("/api/v1/recordings").json() == {"items": [expected(ready)], "count": 1}
    by_meeting = api.get(f"/api/v1/meetings/{meeting.meeting_code.upper()}/recordings")
    assert by_meeting.json() == {"items": [expected(ready)], "count": 1}


@pytest.mark.parametrize("role", [Membership.Role.OWNER, Membership.Role.ADMIN])
def test_account_owners_and_admins_see_the_accounts_recordings(meeting, ready, role):
    admin = signed_in(_member(meeting.account, "adi@example.com", role))
    assert admin.get(f"/api/v1/recordings/{ready.pk}").status_code == 200
    assert admin.get("/api/v1/recordings").json()["count"] == 1
    assert admin.get(f"/api/v1/meetings/{meeting.meeting_code}/recordings").json()["count"] == 1


def _outsiders(meeting: Meeting) -> dict[str, User]:
    member = _member(meeting.account, "mo@example.com", Membership.Role.MEMBER)
    participant = make_user(email="pat@example.com")
    make_participant(meeting, name="Pat", user=participant)
    other_host = make_user(email="otto@example.com")  # another tenant, with a recording of their own
    make_ready_recording(
        make_sfu_meeting(host=other_host, title="Elsewhere"), source_dir=Path("/nonexistent")
    )
    return {"member": member, "participant": participant, "other tenant": other_host}


@pytest.mark.parametrize("who", ["member", "participant", "other tenant"])
@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("delete", ""), ("post", "/download-url")])
def test_everyone_else_gets_404_and_nothing_changes(meeting, ready, who, method, suffix):
    user = _outsiders(meeting)[who]
    before = list(Recording.objects.order_by("pk").values()), list(StoredFile.objects.order_by("pk").values())
    response = getattr(signed_in(user), method)(f"/api/v1/recordings/{ready.pk}{suffix}")
    assert response.status_code == 404 and error_code(response) == "not_found"
    listed = signed_in(user).get(f"/api/v1/meetings/{meeting.meeting_code}/recordings")
    assert listed.status_code == 404 and error_code(listed) == "not_found"
    assert [r["id"] for r in signed_in(user).get("/api/v1/recordings").json()["items"]] != [str(ready.pk)]
    after = list(Recording.objects.order_by("pk").values()), list(StoredFile.objects.order_by("pk").values())
    assert after == before
    assert stored_bytes(ready.file) == VIDEO_BYTES


def test_other_tenant_lists_only_their_own(meeting, ready):
    otto = _outsiders(meeting)["other tenant"]
    items = signed_in(otto).get("/api/v1/recordings").json()["items"]
    assert [item["meeting_title"] for item in items] == ["Elsewhere"]


@pytest.mark.parametrize("bad_id", ["nope", "00000000-0000-7000-8000-000000000000"])
def test_unknown_or_malformed_ids_are_404(host, bad_id):
    response = signed_in(host).get(f"/api/v1/recordings/{bad_id}")
    assert response.status_code == 404 and error_code(response) == "not_found"


def test_signed_out_is_401(ready):
    response = Client().get(f"/api/v1/recordings/{ready.pk}")
    assert response.status_code == 401 and error_code(response) == "not_authenticated"


def test_list_is_paginated_newest_first_with_flat_query_count(
    host, meeting, tmp_path, django_assert_max_num_queries
):
    for _ in range(3):
        make_ready_recording(meeting, source_dir=tmp_path)
    api = signed_in(host)
    page = api.get("/api/v1/recordings?limit=2&offset=0").json()
    assert page["count"] == 3 and len(page["items"]) == 2
    starts = [item["started_at"] for item in page["items"]]
    assert starts == sorted(starts, reverse=True)
    with django_assert_max_num_queries(6):  # session, user, count, page: not one per row
        api.get("/api/v1/recordings?limit=50")


# ---- deleting -------------------------------------------------------------------------------------------


def test_delete_removes_the_row_the_file_and_its_bytes(host, ready, django_capture_on_commit_callbacks):
    key, source = ready.file.storage_key, Path(ready.source_dir)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(host).delete(f"/api/v1/recordings/{ready.pk}")
    assert response.status_code == 204
    assert not Recording.objects.exists() and not StoredFile.objects.exists()
    assert not default_storage.exists(key)
    assert not source.exists()


def test_a_running_recording_cannot_be_deleted(host, meeting, tmp_path):
    running = make_recording(meeting, status=Status.RECORDING, source_dir=tmp_path)
    response = signed_in(host).delete(f"/api/v1/recordings/{running.pk}")
    assert response.status_code == 409 and error_code(response) == "conflict"
    assert Recording.objects.filter(pk=running.pk, status=Status.RECORDING).exists()


# ---- signed download links --------------------------------------------------------------------------------


def _link(user: User, recording: Recording) -> dict:
    response = signed_in(user).post(f"/api/v1/recordings/{recording.pk}/download-url")
    assert response.status_code == 200, response.content
    return response.json()


def _path(url: str) -> str:
    return urlsplit(url).path


def test_signed_url_plays_inline_and_downloads_without_a_session(host, ready, settings):
    settings.RECORDING_DOWNLOAD_URL_TTL_SECONDS = 300
    before = time.time()
    link = _link(host, ready)
    assert set(link) == {"url", "expires_at"}
    assert link["url"].startswith("http://testserver/api/v1/files/signed/")
    expires = dt.datetime.fromisoformat(link["expires_at"]).timestamp()
    # Valid for the setting plus the video's length (5 s), so a late playback still seeks.
    assert before + 304 <= expires <= time.time() + 305

    inline = Client().get(_path(link["url"]))
    assert inline.status_code == 200
    assert body(inline) == VIDEO_BYTES
    assert inline["Content-Type"] == "video/mp4"
    assert inline["Content-Length"] == str(len(VIDEO_BYTES))
    assert inline["Accept-Ranges"] == "bytes"
    assert inline["Content-Disposition"] == 'inline; filename="Weekly 2026-01-05 10.00.mp4"'

    saved = Client().get(_path(link["url"]), {"download": "1"})
    assert saved["Content-Disposition"] == 'attachment; filename="Weekly 2026-01-05 10.00.mp4"'
    assert body(saved) == VIDEO_BYTES


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-", 1000, 10239),
        ("bytes=-240", 10000, 10239),
        ("bytes=10200-99999", 10200, 10239),
    ],
)
def test_range_requests_get_206_and_exactly_those_bytes(host, ready, header, start, end):
    url = _path(_link(host, ready)["url"])
    response = Client().get(url, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(VIDEO_BYTES)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == VIDEO_BYTES[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=50-10", "bytes=-0", f"bytes={'9' * 5000}-"])
def test_unsatisfiable_ranges_get_416(host, ready, header):
    response = Client().get(_path(_link(host, ready)["url"]), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO_BYTES)}"


@pytest.mark.parametrize(
    "header", [f"bytes=0-{'9' * 5000}", f"bytes=-{'9' * 5000}", f"bytes={'0' * 5000}1-{'0' * 5000}9"]
)
def test_ranges_with_huge_numbers_are_read_as_far_as_they_matter(host, ready, header):
    response = Client().get(_path(_link(host, ready)["url"]), HTTP_RANGE=header)
    start = 1 if header.startswith("bytes=0000") else 0
    end = 9 if start else len(VIDEO_BYTES) - 1
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(VIDEO_BYTES)}"
    assert body(response) == VIDEO_BYTES[start : end + 1]


def test_head_answers_without_a_body(host, ready):
    response = Client().head(_path(_link(host, ready)["url"]))
    assert response.status_code == 200 and response["Content-Length"] == str(len(VIDEO_BYTES))
    assert body(response) == b""


@pytest.fixture
def no_file_access(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr(default_storage, "open", refuse)


def test_an_expired_link_is_403_and_opens_nothing(host, ready, settings, no_file_access):
    settings.RECORDING_DOWNLOAD_URL_TTL_SECONDS = 300
    url = _path(_link(host, ready)["url"])
    with time_machine.travel(time.time() + 306, tick=False):
        response = Client().get(url)
    assert response.status_code == 403 and error_code(response) == "link_expired"


def test_a_link_stays_valid_while_one_playback_can_last(host, ready, settings):
    settings.RECORDING_DOWNLOAD_URL_TTL_SECONDS = 300
    Recording.objects.filter(pk=ready.pk).update(duration_sec=3600.4)
    url = _path(_link(host, ready)["url"])
    # Asked for just before the setting's 300 s ran out, a one-hour video still seeks to its end.
    with time_machine.travel(time.time() + 299 + 3600, tick=False):
        response = Client().get(url, HTTP_RANGE="bytes=10000-")
        assert response.status_code == 206 and body(response) == VIDEO_BYTES[10000:]
    with time_machine.travel(time.time() + 300 + 3602, tick=False):
        assert Client().get(url).status_code == 403


def _tampered(url: str) -> list[str]:
    prefix, token = url.rsplit("/", 1)
    file_hex, expires, signature = token.split(".")
    return [
        f"{prefix}/{file_hex}.{int(expires) + 3600}.{signature}",  # a later expiry
        f"{prefix}/{'0' * 32}.{expires}.{signature}",  # another file
        f"{prefix}/{file_hex}.{expires}.{signature[:-2]}xx",  # a forged signature
        f"{prefix}/{file_hex}.{expires}",  # no signature
        f"{prefix}/garbage",
    ]


def test_tampered_links_are_403_and_open_nothing(host, ready, no_file_access):
    for url in _tampered(_path(_link(host, ready)["url"])):
        response = Client().get(url)
        assert response.status_code == 403 and error_code(response) == "link_invalid", url


def test_a_link_to_a_deleted_recording_is_404(host, ready, django_capture_on_commit_callbacks):
    url = _path(_link(host, ready)["url"])
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(host).delete(f"/api/v1/recordings/{ready.pk}")
    response = Client().get(url)
    assert response.status_code == 404 and error_code(response) == "not_found"


@pytest.mark.parametrize("status", [Status.RECORDING, Status.PROCESSING, Status.FAILED])
def test_no_link_before_the_video_is_ready(host, meeting, tmp_path, status):
    recording = make_recording(meeting, status=status, source_dir=tmp_path)
    response = signed_in(host).post(f"/api/v1/recordings/{recording.pk}/download-url")
    assert response.status_code == 409 and error_code(response) == "conflict"
