"""The transcript API: the state on each recording, the segments (and the `q` filter), the WebVTT
and text downloads with exact bodies, and the same who-may-see rule as recordings (404 for
everyone else, other tenants included)."""

from pathlib import Path

import pytest
from django.test import Client

from aapoon.accounts.models import Account, Membership, User
from aapoon.accounts.tests.factories import make_user
from aapoon.media.models import Recording, Transcript, TranscriptSegment
from aapoon.media.tests.recording_factories import make_ready_recording, make_sfu_meeting
from aapoon.media.tests.transcript_factories import make_segments, make_transcript
from aapoon.meetings.models import Meeting
from aapoon.meetings.tests.factories import make_participant

pytestmark = pytest.mark.django_db
Status = Transcript.Status
FILES = ("transcript.vtt", "transcript.txt")

SEGMENTS = [
    (1_230, 3_450, "Asha Rao", "one two three four five"),
    (2_000, 4_100, "Ravi <Iyer> & co", "Six seven <b>eight</b> & nine -->\nten"),
    (3_725_004, 3_727_000, "Asha Rao", "TWO more"),
]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def error_code(response) -> str:
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    return body["code"]


@pytest.fixture
def host() -> User:
    return make_user(email="hema@example.com")


@pytest.fixture
def meeting(host) -> Meeting:
    return make_sfu_meeting(host=host, title="Weekly", transcription_enabled=True)


@pytest.fixture
def recording(meeting, tmp_path) -> Recording:
    return make_ready_recording(meeting, source_dir=tmp_path / "src")


@pytest.fixture
def ready(recording) -> Transcript:
    transcript = make_transcript(recording, status=Status.READY, progress=100)
    make_segments(transcript, SEGMENTS)
    return transcript


def _member(account: Account, email: str, role: str) -> User:
    user = make_user(email=email)
    Membership.objects.create(account=account, user=user, role=role)
    return user


# ---- the state on the recording ---------------------------------------------------------------------


def test_a_recording_without_a_transcript_says_null(host, recording):
    assert signed_in(host).get(f"/api/v1/recordings/{recording.pk}").json()["transcript"] is None


@pytest.mark.parametrize(
    ("status", "progress", "error"),
    [
        (Status.PROCESSING, 40, ""),
        (Status.READY, 100, ""),
        (Status.FAILED, 10, "Transcription took too long."),
    ],
)
def test_the_recording_carries_the_transcripts_state(host, meeting, recording, status, progress, error):
    make_transcript(recording, status=status, progress=progress, error=error)
    expected = {"status": status, "progress": progress, "error": error}
    api = signed_in(host)
    assert api.get(f"/api/v1/recordings/{recording.pk}").json()["transcript"] == expected
    assert [item["transcript"] for item in api.get("/api/v1/recordings").json()["items"]] == [expected]
    listed = api.get(f"/api/v1/meetings/{meeting.meeting_code}/recordings").json()["items"]
    assert [item["transcript"] for item in listed] == [expected]


def test_listing_recordings_with_transcripts_costs_no_query_per_row(
    host, meeting, tmp_path, django_assert_max_num_queries
):
    for _ in range(3):
        make_transcript(make_ready_recording(meeting, source_dir=tmp_path), status=Status.READY)
    api = signed_in(host)
    with django_assert_max_num_queries(4):  # session, user, count, page: not one per row
        items = api.get("/api/v1/recordings?limit=50").json()["items"]
    assert [item["transcript"]["status"] for item in items] == ["ready"] * 3


# ---- segments -----------------------------------------------------------------------------------------


def segment_json(start: int, end: int, speaker: str, text: str) -> dict[str, object]:
    return {"start_ms": start, "end_ms": end, "speaker": speaker, "text": text}


def test_the_host_reads_the_segments_in_time_order(host, recording, ready):
    response = signed_in(host).get(f"/api/v1/recordings/{recording.pk}/transcript")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "engine": "pocketsphinx",
        "language": "en-us",
        "segments": [segment_json(*row) for row in SEGMENTS],
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("two", [SEGMENTS[0], SEGMENTS[2]]),  # any case
        ("  <B>EIGHT  ", [SEGMENTS[1]]),  # trimmed, markup is just text
        ("eleven", []),
        ("", SEGMENTS),
    ],
)
def test_q_keeps_the_segments_whose_text_contains_it(host, recording, ready, q, expected):
    response = signed_in(host).get(f"/api/v1/recordings/{recording.pk}/transcript", {"q": q})
    assert response.json()["segments"] == [segment_json(*row) for row in expected]


@pytest.mark.parametrize("q", ["x" * 201, "nul\x00"])
def test_a_bad_q_is_422_not_a_crash(host, recording, ready, q):
    response = signed_in(host).get(f"/api/v1/recordings/{recording.pk}/transcript", {"q": q})
    assert response.status_code == 422 and error_code(response) == "validation_error"


@pytest.mark.parametrize("status", [Status.PROCESSING, Status.FAILED])
def test_a_transcript_not_ready_has_its_status_and_no_segments(host, recording, status):
    transcript = make_transcript(recording, status=status)
    TranscriptSegment.objects.create(
        transcript=transcript, start_ms=0, end_ms=1, speaker_name="X", text="draft"
    )
    body = signed_in(host).get(f"/api/v1/recordings/{recording.pk}/transcript").json()
    assert body == {"status": status, "engine": "pocketsphinx", "language": "en-us", "segments": []}


def test_a_recording_without_a_transcript_has_none_to_read(host, recording):
    for path in ("transcript", *FILES):
        response = signed_in(host).get(f"/api/v1/recordings/{recording.pk}/{path}")
        assert response.status_code == 404 and error_code(response) == "not_found"


# ---- the files -------------------------------------------------------------------------------------------


def test_webvtt_has_a_cue_per_segment_with_the_speaker_as_voice_and_escaped_text(host, recording, ready):
    response = signed_in(host).get(f"/api/v1/recordings/{recording.pk}/transcript.vtt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="Weekly 2026-01-05 10.00.vtt"'
    assert response.content.decode() == (
        "WEBVTT\n"
        "\n"
        "1\n"
        "00:00:01.230 --> 00:00:03.450\n"
        "<v Asha Rao>one two three four five\n"
        "\n"
        "2\n"
        "00:00:02.000 --> 00:00:04.100\n"
        "<v Ravi &lt;Iyer&gt; &amp; co>Six seven &lt;b&gt;eight&lt;/b&gt; &amp; nine --&gt; ten\n"
        "\n"
        "3\n"
        "01:02:05.004 --> 01:02:07.000\n"
        "<v Asha Rao>TWO more\n"
    )


def test_text_has_a_line_per_segment(host, recording, ready):
    response = signed_in(host).get(f"/api/v1/recordings/{recording.pk}/transcript.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="Weekly 2026-01-05 10.00.txt"'
    assert response.content.decode() == (
        "[00:00:01] Asha Rao: one two three four five\n"
        "[00:00:02] Ravi <Iyer> & co: Six seven <b>eight</b> & nine --> ten\n"
        "[01:02:05] Asha Rao: TWO more\n"
    )


def test_a_title_outside_ascii_makes_a_clean_utf8_file_name(host, tmp_path):
    meeting = make_sfu_meeting(host=host, title="साप्ताहिक", transcription_enabled=True)
    recording = make_ready_recording(meeting, source_dir=tmp_path)
    recording.file.original_name = "साप्ताहिक 2026-01-05 10.00.mp4"
    recording.file.save()
    make_transcript(recording, status=Status.READY)
    response = signed_in(host).get(f"/api/v1/recordings/{recording.pk}/transcript.txt")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E0%A4%B8%E0%A4%BE%E0%A4%AA%E0%A5%8D%E0%A4%A4%E0%A4%BE%E0%A4%B9"
        "%E0%A4%BF%E0%A4%95%202026-01-05%2010.00.txt"
    )
    assert response.content == b""


@pytest.mark.parametrize("status", [Status.PROCESSING, Status.FAILED])
@pytest.mark.parametrize("path", FILES)
def test_the_files_are_409_until_the_transcript_is_ready(host, recording, status, path):
    make_transcript(recording, status=status)
    response = signed_in(host).get(f"/api/v1/recordings/{recording.pk}/{path}")
    assert response.status_code == 409 and error_code(response) == "transcript_not_ready"


# ---- who may read it ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Membership.Role.OWNER, Membership.Role.ADMIN])
@pytest.mark.parametrize("path", ["transcript", *FILES])
def test_account_owners_and_admins_read_the_accounts_transcripts(meeting, recording, ready, role, path):
    admin = signed_in(_member(meeting.account, "adi@example.com", role))
    assert admin.get(f"/api/v1/recordings/{recording.pk}/{path}").status_code == 200


def _outsiders(meeting: Meeting, tmp_path: Path) -> dict[str, User]:
    member = _member(meeting.account, "mo@example.com", Membership.Role.MEMBER)
    participant = make_user(email="pat@example.com")
    make_participant(meeting, name="Pat", user=participant)
    other_host = make_user(email="otto@example.com")  # another tenant, with a transcript of their own
    elsewhere = make_sfu_meeting(host=other_host, title="Elsewhere", transcription_enabled=True)
    make_transcript(make_ready_recording(elsewhere, source_dir=tmp_path / "other"), status=Status.READY)
    return {"member": member, "participant": participant, "other tenant": other_host}


@pytest.mark.parametrize("who", ["member", "participant", "other tenant"])
@pytest.mark.parametrize("path", ["transcript", *FILES])
def test_everyone_else_gets_404_and_nothing_changes(meeting, recording, ready, tmp_path, who, path):
    user = _outsiders(meeting, tmp_path)[who]
    before = (
        list(Transcript.objects.order_by("pk").values()),
        list(TranscriptSegment.objects.order_by("pk").values()),
    )
    response = signed_in(user).get(f"/api/v1/recordings/{recording.pk}/{path}", {"q": "two"})
    assert response.status_code == 404 and error_code(response) == "not_found"
    after = (
        list(Transcript.objects.order_by("pk").values()),
        list(TranscriptSegment.objects.order_by("pk").values()),
    )
    assert after == before


@pytest.mark.parametrize("path", ["transcript", *FILES])
def test_signed_out_is_401(recording, ready, path):
    response = Client().get(f"/api/v1/recordings/{recording.pk}/{path}")
    assert response.status_code == 401 and error_code(response) == "not_authenticated"


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-7000-8000-000000000000"])
def test_unknown_or_malformed_ids_are_404(host, bad_id):
    for path in ("transcript", *FILES):
        response = signed_in(host).get(f"/api/v1/recordings/{bad_id}/{path}")
        assert response.status_code == 404 and error_code(response) == "not_found"


def test_deleting_the_recording_deletes_its_transcript(
    host, recording, ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in(host).delete(f"/api/v1/recordings/{recording.pk}").status_code == 204
    assert not Transcript.objects.exists()
    assert not TranscriptSegment.objects.exists()


def test_the_host_turns_transcription_on_and_off_like_recording(host):
    api = signed_in(host)
    created = api.post(
        "/api/v1/meetings",
        {"kind": "instant", "recording_allowed": True, "transcription_enabled": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    assert (created.json()["recording_allowed"], created.json()["transcription_enabled"]) == (True, True)
    patched = api.patch(
        f"/api/v1/meetings/{code}", {"transcription_enabled": False}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["transcription_enabled"] is False
    assert Meeting.objects.get(meeting_code=code).transcription_enabled is False
    untouched = api.patch(f"/api/v1/meetings/{code}", {"title": "Retro"}, content_type="application/json")
    assert untouched.json()["transcription_enabled"] is False
