"""The /api/v1 meetings endpoints: exact bodies, who may see and change what, and no writes on refusals."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.accounts.tests.factories import make_user
from aapoon.meetings import room, services
from aapoon.meetings.guests import COOKIE as GUEST_COOKIE
from aapoon.meetings.models import Meeting, MeetingEvent, MeetingInvitee, MeetingParticipant
from aapoon.meetings.services import MeetingSettings
from aapoon.meetings.tests.factories import add_member, db_state, make_meeting, make_participant
from aapoon.meetings.tickets import ticket_redeem
from aapoon.scheduling.recurrence import Recurrence

pytestmark = pytest.mark.django_db
API = "/api/v1/meetings"
Status = MeetingParticipant.Status
UNAVAILABLE = {
    "code": "meeting_unavailable",
    "message": "This meeting doesn't exist or you can't join it. Check the code and the passcode.",
    "detail": None,
}


def send(client: Client, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
    if method == "get":
        return client.get(path, body or {}, **kwargs)
    data = json.dumps(body if body is not None else {})
    return getattr(client, method)(path, data=data, content_type="application/json", **kwargs)


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    assert body["code"] == code, body
    return body


def field_of(body: dict[str, Any]) -> list[str]:
    """The names of the fields an error points at (the last part of each `loc`)."""
    return [entry["loc"][-1] for entry in body["detail"]]


def as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def host(db) -> User:
    return make_user(email="host@example.com", full_name="Hema Host")


@pytest.fixture
def api(host) -> Client:
    return signed_in(host)


@pytest.fixture
def stranger(db) -> User:
    return make_user(email="stranger@example.com")


@pytest.fixture
def invitee(db) -> User:
    return make_user(email="invitee@example.com")


@pytest.fixture
def scheduled(host, invitee) -> Meeting:
    return make_meeting(
        host=host, kind="scheduled", title="Planning", passcode="Pass42", invitees=["invitee@example.com"]
    )


def later(hours: float = 24) -> dt.datetime:
    return (timezone.now() + dt.timedelta(hours=hours)).replace(microsecond=0)


# ---- create -----------------------------------------------------------------------------------


def test_create_instant_meeting(api, host, settings):
    response = send(api, "post", API, {"kind": "instant"})
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get()
    assert response.json() == {
        "id": str(meeting.pk),
        "code": meeting.meeting_code,
        "join_url": f"{settings.SITE_URL}/m/{meeting.meeting_code}",
        "kind": "instant",
        "status": "live",
        "title": "Hema Host's meeting",
        "description": "",
        "host": {"id": str(host.pk), "name": "Hema Host"},
        "is_host": True,
        "starts_at": as_json(meeting.starts_at),
        "ends_at": None,
        "timezone": "UTC",
        "started_at": as_json(meeting.started_at),
        "ended_at": None,
        "has_passcode": False,
        "passcode": "",
        "waiting_room_enabled": True,
        "guests_allowed": True,
        "recording_allowed": False,
        "transcription_enabled": False,
        "max_participants": settings.MEETING_P2P_MAX_PARTICIPANTS,
        "is_locked": False,
        "media_mode": "p2p",
        "invitees": [],
        "recurrence": None,
        "recurrence_text": "",
        "created_at": as_json(meeting.created_at),
    }


def test_create_scheduled_meeting_with_invitees(api, host):
    known = make_user(email="Known.Person@example.com")
    starts = later()
    response = send(
        api,
        "post",
        API,
        {
            "kind": "scheduled",
            "title": "Planning",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=1)).isoformat(),
            "timezone": "Europe/Berlin",
            "passcode": "Pass42",
            "waiting_room_enabled": False,
            "invitees": [
                {"email": "known.person@example.com", "name": "Known"},
                {"email": "KNOWN.person@example.com"},
                {"email": "new@example.org"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["status"], body["title"], body["timezone"]) == (
        "scheduled",
        "scheduled",
        "Planning",
        "Europe/Berlin",
    )
    assert dt.datetime.fromisoformat(body["starts_at"]) == starts
    assert dt.datetime.fromisoformat(body["ends_at"]) == starts + dt.timedelta(hours=1)
    assert (body["has_passcode"], body["passcode"], body["waiting_room_enabled"]) == (True, "Pass42", False)
    assert body["started_at"] is None
    assert body["invitees"] == [
        {"email": "known.person@example.com", "name": "Known", "rsvp": "pending"},
        {"email": "new@example.org", "name": "", "rsvp": "pending"},
    ]
    assert dict(MeetingInvitee.objects.values_list("email", "user")) == {
        "known.person@example.com": known.pk,
        "new@example.org": None,
    }


def test_create_with_a_jwt(host):
    login = Client().post(
        "/_allauth/app/v1/auth/login",
        {"email": host.email, "password": "Correct-Horse-42"},
        content_type="application/json",
    )
    token = login.json()["meta"]["access_token"]
    response = send(Client(headers={"Authorization": f"Bearer {token}"}), "post", API, {"kind": "instant"})
    assert response.status_code == 201, response.content
    assert Meeting.objects.get().host == host


def _bad_inputs() -> list[tuple[str, dict[str, Any], int, str]]:
    starts = later()
    ok = {"starts_at": starts.isoformat(), "ends_at": (starts + dt.timedelta(hours=1)).isoformat()}
    return [
        ("kind", {"kind": "weekly"}, 400, "kind"),
        ("blank title", {"title": "   "}, 400, "title"),
        ("long title", {"title": "x" * 201}, 422, "title"),
        ("long description", {"description": "x" * 5001}, 422, "description"),
        ("timezone", {"timezone": "Mars/Olympus"}, 400, "timezone"),
        ("short passcode", {"passcode": "abc"}, 400, "passcode"),
        ("long passcode", {"passcode": "abcdef12345"}, 400, "passcode"),
        ("passcode symbols", {"passcode": "ab cd!"}, 400, "passcode"),
        ("too few participants", {"max_participants": 1}, 400, "max_participants"),
        ("too many participants", {"max_participants": 1001}, 400, "max_participants"),
        ("invitee email", {"invitees": [{"email": "a@example.com"}, {"email": "nope"}]}, 400, "invitees"),
        ("invitee shape", {"invitees": [{"name": "No email"}]}, 422, "email"),
        ("scheduled without times", {"kind": "scheduled"}, 400, "starts_at"),
        ("scheduled without end", {"kind": "scheduled", "starts_at": ok["starts_at"]}, 400, "ends_at"),
        (
            "no offset",
            {"kind": "scheduled", "starts_at": "2031-01-01T10:00:00", "ends_at": "2031-01-01T11:00:00"},
            400,
            "starts_at",
        ),
        (
            "end before start",
            {"kind": "scheduled", "starts_at": ok["ends_at"], "ends_at": ok["starts_at"]},
            400,
            "ends_at",
        ),
        (
            "end at start",
            {"kind": "scheduled", "starts_at": ok["starts_at"], "ends_at": ok["starts_at"]},
            400,
            "ends_at",
        ),
        (
            "longer than a day",
            {
                "kind": "scheduled",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + dt.timedelta(hours=24, minutes=1)).isoformat(),
            },
            400,
            "ends_at",
        ),
        (
            "not a date",
            {"kind": "scheduled", "starts_at": "tomorrow", "ends_at": ok["ends_at"]},
            422,
            "starts_at",
        ),
        (
            "the far future",
            {
                "kind": "scheduled",
                "starts_at": "9999-12-31T20:00:00-05:00",
                "ends_at": "9999-12-31T21:00:00-05:00",
            },
            400,
            "starts_at",
        ),
        ("NUL in the title", {"title": "Stand\x00up"}, 422, "title"),
        (
            "NUL in an invitee's name",
            {"invitees": [{"email": "a@example.com", "name": "A\x00"}]},
            422,
            "name",
        ),
    ]


@pytest.mark.parametrize(
    ("case", "body", "status", "field"), _bad_inputs(), ids=lambda v: v if isinstance(v, str) else None
)
def test_bad_input_names_the_field_and_writes_nothing(api, case, body, status, field):
    response = send(api, "post", API, body)
    error_body = error(response, status, "invalid_input" if status == 400 else "validation_error")
    assert field in field_of(error_body)
    assert Meeting.objects.count() == 0
    assert MeetingInvitee.objects.count() == 0


def test_signed_out_callers_cannot_use_the_meeting_endpoints(client, scheduled):
    code = scheduled.meeting_code
    before = db_state()
    for method, path in [
        ("post", API),
        ("get", API),
        ("get", f"{API}/{code}"),
        ("patch", f"{API}/{code}"),
        ("post", f"{API}/{code}/cancel"),
        ("post", f"{API}/{code}/end"),
    ]:
        error(
            send(client, method, path, {"title": "x"} if method != "get" else None), 401, "not_authenticated"
        )
    assert db_state() == before


# ---- list -------------------------------------------------------------------------------------


def _codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"items", "count"}
    return [item["code"] for item in body["items"]]


def test_list_upcoming_and_past(api, host):
    soon = make_meeting(host=host, kind="scheduled", starts_at=later(2), title="Soon")
    next_week = make_meeting(host=host, kind="scheduled", starts_at=later(24 * 7), title="Next week")
    live = make_meeting(host=host, title="Now")
    ended = make_meeting(host=host, title="Done")
    services.meeting_end(meeting_id=ended.pk)
    cancelled = make_meeting(host=host, kind="scheduled", title="Called off")
    services.meeting_cancel(user=host, code=cancelled.meeting_code)
    overdue = make_meeting(
        host=host, kind="scheduled", starts_at=later(-3), ends_at=later(-2), title="Overdue"
    )

    upcoming = send(api, "get", API)
    assert _codes(upcoming) == [live.meeting_code, soon.meeting_code, next_week.meeting_code]
    assert upcoming.json()["count"] == 3
    assert set(_codes(send(api, "get", API, {"scope": "past"}))) == {
        ended.meeting_code,
        cancelled.meeting_code,
        overdue.meeting_code,
    }
    assert _codes(send(api, "get", API, {"scope": "upcoming", "status": "live"})) == [live.meeting_code]
    assert _codes(send(api, "get", API, {"scope": "past", "status": "cancelled"})) == [cancelled.meeting_code]
    assert _codes(send(api, "get", API, {"q": "WEEK"})) == [next_week.meeting_code]
    assert _codes(send(api, "get", API, {"q": "nothing like it"})) == []
    error(send(api, "get", API, {"scope": "everything"}), 422, "validation_error")


def test_a_series_stays_upcoming_while_it_has_meetings_left(api, host):
    daily = Recurrence(frequency="daily", count=5)
    running = make_meeting(
        host=host, kind="scheduled", starts_at=later(-26), ends_at=later(-25), recurrence=daily, title="Daily"
    )
    finished = make_meeting(
        host=host,
        kind="scheduled",
        starts_at=later(-24 * 9),
        ends_at=later(-24 * 9 + 1),
        recurrence=daily,
        title="Last week's",
    )
    assert _codes(send(api, "get", API)) == [running.meeting_code]
    assert _codes(send(api, "get", API, {"scope": "past"})) == [finished.meeting_code]


def test_list_is_paginated(api, host):
    meetings = [make_meeting(host=host, kind="scheduled", starts_at=later(n + 1)) for n in range(5)]
    codes = [m.meeting_code for m in meetings]
    first = send(api, "get", API, {"limit": 2})
    assert (_codes(first), first.json()["count"]) == (codes[:2], 5)
    assert _codes(send(api, "get", API, {"limit": 2, "offset": 2})) == codes[2:4]
    assert _codes(send(api, "get", API, {"limit": 2, "offset": 4})) == codes[4:]


def test_list_shows_only_what_i_host_or_am_invited_to(host, stranger, invitee, scheduled):
    by_user_link = make_meeting(host=stranger, kind="scheduled", invitees=["invitee@example.com"])
    MeetingInvitee.objects.filter(meeting=by_user_link).update(
        email="old-address@example.com"
    )  # linked by user
    make_meeting(host=stranger, kind="scheduled", title="Not for them")
    assert _codes(send(signed_in(invitee), "get", API)) == sorted(
        [scheduled.meeting_code, by_user_link.meeting_code],
        key=lambda code: Meeting.objects.get(meeting_code=code).starts_at,
    )
    assert _codes(send(signed_in(make_user(email="nobody@example.com")), "get", API)) == []
    stranger_codes = _codes(send(signed_in(stranger), "get", API))
    assert scheduled.meeting_code not in stranger_codes
    assert len(stranger_codes) == 2
    items = send(signed_in(invitee), "get", API).json()["items"]
    mine = next(item for item in items if item["code"] == scheduled.meeting_code)
    assert (mine["is_host"], mine["has_passcode"], mine["passcode"]) == (False, True, None)


def test_list_query_count_does_not_grow_with_the_page(api, host, django_assert_max_num_queries):
    make_meeting(host=host, kind="scheduled", invitees=["a@example.com"])
    with CaptureQueriesContext(connection) as one:
        assert len(_codes(send(api, "get", API))) == 1
    for n in range(6):
        make_meeting(host=host, kind="scheduled", invitees=[f"x{n}@example.com", f"y{n}@example.com"])
    with django_assert_max_num_queries(len(one)):
        assert len(_codes(send(api, "get", API))) == 7


# ---- get, update, cancel, end: host only, and never across tenants --------------------------------


def test_get_for_the_host_the_invitee_and_a_cohost(api, host, invitee, scheduled):
    body = send(api, "get", f"{API}/{scheduled.meeting_code.upper()}").json()
    assert (body["code"], body["is_host"], body["passcode"]) == (scheduled.meeting_code, True, "Pass42")
    response = send(signed_in(invitee), "get", f"{API}/{scheduled.meeting_code}")
    assert response.status_code == 200
    assert (response.json()["is_host"], response.json()["passcode"]) == (False, None)
    cohost = make_user(email="co@example.com")
    make_participant(scheduled, name="Co", user=cohost, role=MeetingParticipant.Role.COHOST)
    assert send(signed_in(cohost), "get", f"{API}/{scheduled.meeting_code}").status_code == 200


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"title": "Mine now"}),
        ("post", "/cancel", None),
        ("post", "/end", None),
    ],
)
def test_another_user_gets_404_and_nothing_changes(stranger, scheduled, method, suffix, body):
    live = make_meeting(host=scheduled.host, title="Live one")
    for meeting in (scheduled, live):
        before = db_state()
        response = send(signed_in(stranger), method, f"{API}/{meeting.meeting_code}{suffix}", body)
        assert error(response, 404, "not_found")["message"] == "No such meeting."
        assert db_state() == before


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [("patch", "", {"title": "Mine now"}), ("post", "/cancel", None), ("post", "/end", None)],
)
def test_an_invitee_sees_the_meeting_but_cannot_change_it(invitee, scheduled, method, suffix, body):
    before = db_state()
    response = send(signed_in(invitee), method, f"{API}/{scheduled.meeting_code}{suffix}", body)
    error(response, 403, "permission_denied")
    assert db_state() == before


def test_unknown_and_malformed_codes_are_404(api):
    for code in ("abcd-efgh-jkmn", "not-a-code"):
        error(send(api, "get", f"{API}/{code}"), 404, "not_found")


def test_patch(api, scheduled):
    starts = later(48)
    response = send(
        api,
        "patch",
        f"{API}/{scheduled.meeting_code}",
        {
            "title": "Renamed",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(minutes=45)).isoformat(),
            "passcode": "",
            "guests_allowed": False,
            "invitees": [{"email": "other@example.com"}],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["has_passcode"], body["guests_allowed"]) == ("Renamed", False, False)
    assert body["invitees"] == [{"email": "other@example.com", "name": "", "rsvp": "pending"}]
    scheduled.refresh_from_db()
    assert (scheduled.starts_at, scheduled.ends_at) == (starts, starts + dt.timedelta(minutes=45))
    assert scheduled.passcode == ""
    assert MeetingEvent.objects.count() == 0  # not live: nothing to broadcast


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"title": ""}, 400, "title"),
        ({"passcode": "no"}, 400, "passcode"),
        ({"timezone": "Nowhere/Land"}, 400, "timezone"),
        ({"invitees": [{"email": "@@"}]}, 400, "invitees"),
        ({"max_participants": "many"}, 422, "max_participants"),
    ],
)
def test_patch_bad_input_names_the_field_and_writes_nothing(api, scheduled, body, status, field):
    before = db_state()
    response = send(api, "patch", f"{API}/{scheduled.meeting_code}", body)
    assert field in field_of(
        error(response, status, "invalid_input" if status == 400 else "validation_error")
    )
    assert db_state() == before


def test_patch_a_live_meeting_is_broadcast(api, host):
    live = make_meeting(host=host)
    response = send(api, "patch", f"{API}/{live.meeting_code}", {"title": "New name"})
    assert response.status_code == 200
    event = MeetingEvent.objects.get()
    assert (event.seq, event.type, event.payload) == (
        1,
        "meeting.updated",
        {
            "meeting": {
                "code": live.meeting_code,
                "title": "New name",
                "is_locked": False,
                "recording_allowed": False,
                "recording": {"active": False, "started_at": None},
            }
        },
    )
    before = db_state()
    error(
        send(api, "patch", f"{API}/{live.meeting_code}", {"starts_at": later().isoformat()}), 409, "conflict"
    )
    assert db_state() == before


def test_cancel(api, scheduled):
    response = send(api, "post", f"{API}/{scheduled.meeting_code}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    before = db_state()
    error(send(api, "post", f"{API}/{scheduled.meeting_code}/cancel"), 409, "conflict")
    error(send(api, "patch", f"{API}/{scheduled.meeting_code}", {"title": "x"}), 409, "conflict")
    error(send(api, "post", f"{API}/{scheduled.meeting_code}/end"), 409, "conflict")
    assert db_state() == before


def test_cancel_a_live_meeting_is_a_conflict(api, host):
    live = make_meeting(host=host)
    before = db_state()
    error(send(api, "post", f"{API}/{live.meeting_code}/cancel"), 409, "conflict")
    assert db_state() == before


def test_end_ends_it_for_everyone(api, host):
    live = make_meeting(host=host)
    in_room = [
        make_participant(live, name="Hema", user=host, role=MeetingParticipant.Role.HOST),
        make_participant(live, name="Gita"),
        make_participant(live, name="Kiran", status=Status.WAITING),
    ]
    response = send(api, "post", f"{API}/{live.meeting_code}/end")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ended" and body["ended_at"] is not None
    assert {p.status for p in MeetingParticipant.objects.filter(pk__in=[p.pk for p in in_room])} == {
        Status.LEFT
    }
    assert list(MeetingEvent.objects.values_list("seq", "type")) == [(1, "meeting.ended")]


# ---- join -------------------------------------------------------------------------------------


def join(client: Client, code: str, ip: str = "10.0.0.1", **body: Any) -> Any:
    return send(client, "post", f"{API}/{code}/join", body, REMOTE_ADDR=ip)


def test_the_host_joins_directly(api, host):
    live = make_meeting(host=host, title="Stand-up")
    response = join(api, live.meeting_code.upper().replace("-", ""))
    assert response.status_code == 200, response.content
    participant = MeetingParticipant.objects.get()
    body = response.json()
    assert body == {
        "status": "joined",
        "participant_id": str(participant.pk),
        "role": "host",
        "display_name": "Hema Host",
        "ticket": body["ticket"],
        "ws_path": f"/ws/meetings/{live.meeting_code}/",
        "media_mode": "p2p",
        "ice_servers": [],
        "ice_transport_policy": "all",
        "max_participants": 6,
        "meeting": {
            "code": live.meeting_code,
            "title": "Stand-up",
            "host_name": "Hema Host",
            "status": "live",
        },
    }
    assert ticket_redeem(ticket=body["ticket"]) == participant.pk
    assert GUEST_COOKIE not in response.cookies  # signed in: no guest cookie


def test_join_hands_out_ice_servers(api, host, settings):
    settings.ICE_STUN_URLS = ["stun:stun.example.org:3478"]
    settings.TURN_URLS = ["turn:turn.example.org:3478"]
    settings.TURN_SHARED_SECRET = "s3cret"
    live = make_meeting(host=host)
    servers = join(api, live.meeting_code).json()["ice_servers"]
    participant = MeetingParticipant.objects.get()
    assert servers[0] == {"urls": ["stun:stun.example.org:3478"], "username": None, "credential": None}
    assert servers[1]["urls"] == ["turn:turn.example.org:3478"]
    assert servers[1]["username"].endswith(f":{participant.pk}")
    assert servers[1]["credential"]


def test_a_member_joins_directly_an_outsider_and_a_guest_wait(host):
    live = make_meeting(host=host)
    member = make_user(email="member@example.com", display_name="Mia")
    add_member(live.account, member)
    outsider = make_user(email="outsider@example.com")
    assert join(signed_in(member), live.meeting_code).json()["status"] == "joined"
    assert join(signed_in(outsider), live.meeting_code).json()["status"] == "waiting"
    guest = join(Client(), live.meeting_code, display_name="Gita")
    assert (guest.json()["status"], guest.json()["role"], guest.json()["display_name"]) == (
        "waiting",
        "participant",
        "Gita",
    )


def test_with_the_waiting_room_off_outsiders_and_guests_join_directly(host, stranger):
    meeting = make_meeting(host=host, waiting_room_enabled=False)
    assert join(signed_in(stranger), meeting.meeting_code).json()["status"] == "joined"
    assert join(Client(), meeting.meeting_code, display_name="Gita").json()["status"] == "joined"


def test_a_guest_joins_without_a_csrf_token_but_a_session_needs_one(host, stranger):
    """A guest or an app has no session to borrow; a signed-in browser's cookie does."""
    meeting = make_meeting(host=host, waiting_room_enabled=False)
    guest = Client(enforce_csrf_checks=True)
    assert join(guest, meeting.meeting_code, display_name="Gita").status_code == 200
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(stranger)
    before = db_state()
    assert error(join(browser, meeting.meeting_code), 403, "permission_denied")
    assert db_state() == before


def test_a_name_with_nul_is_refused_and_nothing_is_written(host):
    meeting = make_meeting(host=host, waiting_room_enabled=False)
    before = db_state()
    response = join(Client(), meeting.meeting_code, display_name="Gi\x00ta")
    assert field_of(error(response, 422, "validation_error")) == ["display_name"]
    assert db_state() == before


@pytest.mark.parametrize("body", [{}, {"display_name": ""}, {"display_name": "   "}])
def test_a_guest_must_give_a_name(host, body):
    live = make_meeting(host=host)
    before = db_state()
    response = join(Client(), live.meeting_code, **body)
    assert error(response, 400, "invalid_input")["detail"] == [
        {"loc": ["display_name"], "msg": "Tell the others your name."}
    ]
    assert db_state() == before


def test_every_refusal_looks_the_same(host, stranger):
    guarded = make_meeting(host=host, passcode="Secret1", waiting_room_enabled=False)
    no_guests = make_meeting(host=host, guests_allowed=False)
    ended = make_meeting(host=host)
    services.meeting_end(meeting_id=ended.pk)
    cancelled = make_meeting(host=host, kind="scheduled")
    services.meeting_cancel(user=host, code=cancelled.meeting_code)
    before = db_state()
    attempts = [
        (Client(), "abcd-efgh-jkmn", {}),
        (Client(), "!!", {}),
        (Client(), guarded.meeting_code, {}),
        (Client(), guarded.meeting_code, {"passcode": "Secret2"}),
        (signed_in(stranger), guarded.meeting_code, {"passcode": "wrong"}),
        (Client(), no_guests.meeting_code, {}),
        (Client(), ended.meeting_code, {}),
        (signed_in(host), ended.meeting_code, {}),
        (Client(), cancelled.meeting_code, {}),
    ]
    for client, code, extra in attempts:
        response = join(client, code, display_name="Gita", **extra)
        assert response.status_code == 404
        assert response.json() == UNAVAILABLE
    assert db_state() == before
    # The right passcode works, and a signed-in user may join where guests may not.
    assert join(Client(), guarded.meeting_code, display_name="Gita", passcode="Secret1").status_code == 200
    assert join(signed_in(stranger), no_guests.meeting_code).json()["status"] == "waiting"


def test_a_locked_meeting_refuses_everyone_but_the_host(api, host, stranger):
    live = make_meeting(host=host, waiting_room_enabled=False)
    Meeting.objects.filter(pk=live.pk).update(is_locked=True)
    before = db_state()
    for client, body in ((signed_in(stranger), {}), (Client(), {"display_name": "Gita"})):
        response = join(client, live.meeting_code, **body)
        assert response.json() == {
            "code": "meeting_locked",
            "message": "The host has locked this meeting; no one else can join.",
            "detail": None,
        }
        assert response.status_code == 409
    assert db_state() == before
    assert join(api, live.meeting_code).json()["status"] == "joined"


def test_a_full_meeting_says_so_and_names_the_cap(api, host, settings):
    settings.MEETING_P2P_MAX_PARTICIPANTS = 2
    meeting = make_meeting(host=host, waiting_room_enabled=False)
    assert join(api, meeting.meeting_code).status_code == 200
    assert join(Client(), meeting.meeting_code, display_name="Gita").status_code == 200
    before = db_state()
    response = join(Client(), meeting.meeting_code, display_name="Ravi")
    assert response.status_code == 409
    assert response.json() == {
        "code": "meeting_full",
        "message": "This meeting is full: at most 2 people can be in it.",
        "detail": None,
    }
    assert db_state() == before


def test_joins_are_rate_limited_per_ip(host, settings):
    settings.MEETING_JOIN_RATE_LIMIT = 3
    live = make_meeting(host=host)
    for n in range(3):
        assert join(Client(), live.meeting_code, ip="203.0.113.7", display_name=f"G{n}").status_code == 200
    before = db_state()
    response = join(Client(), live.meeting_code, ip="203.0.113.7", display_name="G4")
    assert error(response, 429, "rate_limited")
    error(join(Client(), "abcd-efgh-jkmn", ip="203.0.113.7", display_name="G5"), 429, "rate_limited")
    assert db_state() == before
    assert join(Client(), live.meeting_code, ip="203.0.113.8", display_name="G6").status_code == 200


def test_a_second_join_replaces_the_first_session(api, host):
    live = make_meeting(host=host)
    first = join(api, live.meeting_code).json()
    second = join(api, live.meeting_code).json()
    assert first["participant_id"] != second["participant_id"]
    statuses = dict(MeetingParticipant.objects.values_list("pk", "status"))
    assert {str(k): v for k, v in statuses.items()} == {
        first["participant_id"]: "left",
        second["participant_id"]: "joined",
    }


def test_the_guest_cookie_marks_a_returning_guest(host):
    meeting = make_meeting(host=host, waiting_room_enabled=False)
    browser = Client()
    first = join(browser, meeting.meeting_code, display_name="Gita")
    assert GUEST_COOKIE in first.cookies
    guest = MeetingParticipant.objects.get(pk=first.json()["participant_id"])
    assert guest.guest_key
    # Same browser, same key: the session is replaced, not doubled.
    second = join(browser, meeting.meeting_code, display_name="Gita")
    assert GUEST_COOKIE not in second.cookies  # kept, not reissued
    assert MeetingParticipant.objects.get(pk=second.json()["participant_id"]).guest_key == guest.guest_key
    guest.refresh_from_db()
    assert guest.status == Status.LEFT


def test_a_removed_guest_comes_back_only_to_the_waiting_room(host):
    meeting = make_meeting(host=host, waiting_room_enabled=False)
    host_join = services.meeting_join(
        code=meeting.meeting_code, user=host, display_name="", passcode="", guest_key="", ip="10.0.0.1"
    )
    browser = Client()
    guest_id = join(browser, meeting.meeting_code, display_name="Gita").json()["participant_id"]
    room.participant_remove(participant_id=host_join.participant.pk, target_id=guest_id)
    back = join(browser, meeting.meeting_code, display_name="Gita, again")
    assert back.json()["status"] == "waiting"
    # A new browser is a new guest.
    assert join(Client(), meeting.meeting_code, display_name="Ravi").json()["status"] == "joined"


def test_join_is_open_to_jwt_and_signed_out_callers_alike(host):
    live = make_meeting(host=host)
    login = Client().post(
        "/_allauth/app/v1/auth/login",
        {"email": host.email, "password": "Correct-Horse-42"},
        content_type="application/json",
    )
    token = login.json()["meta"]["access_token"]
    response = join(Client(headers={"Authorization": f"Bearer {token}"}), live.meeting_code)
    assert (response.json()["status"], response.json()["role"]) == ("joined", "host")


def test_the_update_service_can_also_change_settings_mid_meeting(host):
    """A cap lowered mid-meeting applies to the next join (checked through the REST join)."""
    meeting = make_meeting(host=host, waiting_room_enabled=False)
    services.meeting_update(user=host, code=meeting.meeting_code, values=MeetingSettings(max_participants=2))
    assert join(Client(), meeting.meeting_code, display_name="A").status_code == 200
    assert join(Client(), meeting.meeting_code, display_name="B").status_code == 200
    assert join(Client(), meeting.meeting_code, display_name="C").json()["code"] == "meeting_full"


def test_join_hands_out_the_relay_policy_and_turn_credentials_that_expire(api, host, settings):
    """With ICE_TRANSPORT_POLICY=relay the browser is told to use TURN only; the TURN username
    is `<expiry>:<participant id>` with the expiry TURN_CREDENTIAL_TTL_SECONDS from now."""
    settings.ICE_TRANSPORT_POLICY = "relay"
    settings.TURN_URLS = ["turn:turn.example.org:3478?transport=udp"]
    settings.TURN_SHARED_SECRET = "s3cret"
    settings.TURN_CREDENTIAL_TTL_SECONDS = 600
    live = make_meeting(host=host)
    before = int(time.time())
    body = join(api, live.meeting_code).json()
    after = int(time.time())
    participant = MeetingParticipant.objects.get()
    assert body["ice_transport_policy"] == "relay"
    (turn,) = body["ice_servers"]
    expiry, user_ref = turn["username"].split(":", 1)
    assert user_ref == str(participant.pk)
    assert before + 600 <= int(expiry) <= after + 600
    expected = hmac.new(b"s3cret", turn["username"].encode(), hashlib.sha1).digest()
    assert turn["credential"] == base64.b64encode(expected).decode()
