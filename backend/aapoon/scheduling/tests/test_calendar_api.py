"""/api/v1 calendar and occurrence endpoints, and recurrence on the meetings endpoints."""

import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from aapoon.accounts.tests.factories import make_user
from aapoon.meetings.models import Meeting
from aapoon.scheduling.models import OccurrenceOverride
from aapoon.scheduling.tests.factories import at, make_series

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invitations")]
NOW = at("UTC", 2026, 6, 1, 12)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, path: str, body: Any = None) -> Any:
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json")


def error(response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    return body


@pytest.fixture
def host(db):
    return make_user(email="host@example.com", full_name="Hema Host")


@pytest.fixture
def guest(db):
    return make_user(email="guest@example.com")


@pytest.fixture
def series(host):
    return make_series(
        host=host,
        title="Stand-up",
        timezone="Europe/London",
        starts_at=at("Europe/London", 2026, 6, 1, 9),
        weekdays=("MO", "WE"),
        count=6,
        invitees=["GUEST@example.com"],
    )


def test_create_and_read_a_series(host):
    body = {
        "kind": "scheduled",
        "title": "Stand-up",
        "starts_at": "2026-07-06T09:00:00+01:00",
        "ends_at": "2026-07-06T09:15:00+01:00",
        "timezone": "Europe/London",
        "recurrence": {"frequency": "weekly", "weekdays": ["WE", "MO"], "until": "2027-01-31"},
    }
    response = send(signed_in(host), "post", "/api/v1/meetings", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["recurrence"] == {
        "frequency": "weekly",
        "interval": 1,
        "weekdays": ["MO", "WE"],
        "until": "2027-01-31",
        "count": None,
    }
    assert out["recurrence_text"] == "Weekly on Monday and Wednesday, until 31 Jan 2027"
    assert Meeting.objects.get().recurrence_rule == "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270131T235959Z"


def test_patch_leaves_an_absent_recurrence_and_clears_a_null_one(host, series):
    api = signed_in(host)
    path = f"/api/v1/meetings/{series.meeting_code}"
    assert send(api, "patch", path, {"title": "Daily"}).json()["recurrence"]["count"] == 6
    changed = send(api, "patch", path, {"recurrence": {"frequency": "daily", "count": 2}}).json()
    assert (changed["recurrence"]["frequency"], changed["recurrence_text"]) == ("daily", "Daily, 2 times")
    cleared = send(api, "patch", path, {"recurrence": None}).json()
    assert (cleared["recurrence"], cleared["recurrence_text"]) == (None, "")


def test_bad_recurrence_is_refused_and_nothing_changes(host, series):
    api = signed_in(host)
    path = f"/api/v1/meetings/{series.meeting_code}"
    body = error(
        send(api, "patch", path, {"recurrence": {"frequency": "daily", "interval": 0}}), 400, "invalid_input"
    )
    assert body["detail"] == [{"loc": ["recurrence"], "msg": "Repeat every 1 to 99 days, weeks or months."}]
    error(send(api, "patch", path, {"recurrence": {"frequency": "yearly"}}), 422, "validation_error")
    assert Meeting.objects.get().recurrence_rule == "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6"


def test_calendar_lists_occurrences_for_host_and_invitee(host, guest, series):
    OccurrenceOverride.objects.create(
        meeting=series, original_start=at("Europe/London", 2026, 6, 3, 9), cancelled=True
    )
    query = {"start": "2026-06-01T00:00:00Z", "end": "2026-06-09T00:00:00Z"}
    mine = signed_in(host).get("/api/v1/calendar/occurrences", query)
    assert mine.status_code == 200, mine.content
    code = series.meeting_code
    assert mine.json() == [
        {
            "id": f"{code}:20260601T080000Z",
            "meeting_code": code,
            "title": "Stand-up",
            "starts_at": "2026-06-01T08:00:00Z",
            "ends_at": "2026-06-01T08:30:00Z",
            "original_start": "2026-06-01T08:00:00Z",
            "occurrence_key": "20260601T080000Z",
            "timezone": "Europe/London",
            "is_recurring": True,
            "is_host": True,
            "status": "scheduled",
            "my_rsvp": None,
            "join_path": f"/m/{code}",
        },
        {
            "id": f"{code}:20260608T080000Z",
            "meeting_code": code,
            "title": "Stand-up",
            "starts_at": "2026-06-08T08:00:00Z",
            "ends_at": "2026-06-08T08:30:00Z",
            "original_start": "2026-06-08T08:00:00Z",
            "occurrence_key": "20260608T080000Z",
            "timezone": "Europe/London",
            "is_recurring": True,
            "is_host": True,
            "status": "scheduled",
            "my_rsvp": None,
            "join_path": f"/m/{code}",
        },
    ]
    theirs = signed_in(guest).get("/api/v1/calendar/occurrences", query).json()
    assert [(o["occurrence_key"], o["is_host"], o["my_rsvp"]) for o in theirs] == [
        ("20260601T080000Z", False, "pending"),
        ("20260608T080000Z", False, "pending"),
    ]
    assert signed_in(make_user(email="x@example.com")).get("/api/v1/calendar/occurrences", query).json() == []


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"start": "2026-06-01T00:00:00", "end": "2026-06-02T00:00:00Z"}, 400, "invalid_input"),
        ({"start": "2026-06-02T00:00:00Z", "end": "2026-06-01T00:00:00Z"}, 400, "invalid_input"),
        ({"start": "2026-06-01T00:00:00Z", "end": "2026-09-10T00:00:00Z"}, 400, "invalid_input"),
        ({"start": "2126-06-01T00:00:00Z", "end": "2126-07-01T00:00:00Z"}, 400, "invalid_input"),
        ({"start": "9999-11-01T00:00:00Z", "end": "9999-12-01T00:00:00Z"}, 400, "invalid_input"),
        ({"start": "2036-05-20T00:00:00Z", "end": "2036-06-20T00:00:00Z"}, 400, "invalid_input"),
        ({"start": "2016-05-20T00:00:00Z", "end": "2016-06-20T00:00:00Z"}, 400, "invalid_input"),
        ({"start": "yesterday", "end": "2026-06-02T00:00:00Z"}, 422, "validation_error"),
        ({"end": "2026-06-02T00:00:00Z"}, 422, "validation_error"),
    ],
)
def test_calendar_range_errors(host, query, status, code):
    error(signed_in(host).get("/api/v1/calendar/occurrences", query), status, code)


def test_calendar_needs_sign_in():
    error(
        Client().get(
            "/api/v1/calendar/occurrences", {"start": "2026-06-01T00:00:00Z", "end": "2026-06-02T00:00:00Z"}
        ),
        401,
        "not_authenticated",
    )


def test_move_and_cancel_occurrences(host, series):
    api = signed_in(host)
    base = f"/api/v1/meetings/{series.meeting_code}/occurrences"
    moved = send(
        api,
        "patch",
        f"{base}/20260603T080000Z",
        {"scope": "this", "starts_at": "2026-06-03T15:00:00Z", "ends_at": "2026-06-03T16:00:00Z"},
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["code"] == series.meeting_code
    cancelled = send(api, "post", f"{base}/20260608T080000Z/cancel", {"scope": "this"})
    assert cancelled.status_code == 200, cancelled.content
    rest = send(
        api,
        "patch",
        f"{base}/20260610T080000Z",
        {"scope": "following", "starts_at": "2026-06-10T10:00:00Z", "ends_at": "2026-06-10T10:30:00Z"},
    )
    assert rest.status_code == 200, rest.content
    assert rest.json()["code"] != series.meeting_code
    assert rest.json()["recurrence"]["count"] == 3  # 10, 15 and 17 June
    overrides = OccurrenceOverride.objects.filter(meeting=series).order_by("original_start")
    assert [(o.original_start, o.cancelled) for o in overrides] == [
        (at("UTC", 2026, 6, 3, 8), False),
        (at("UTC", 2026, 6, 8, 8), True),
    ]
    error(
        send(
            api,
            "patch",
            f"{base}/20260603T090000Z",
            {"scope": "this", "starts_at": "2026-06-03T15:00:00Z", "ends_at": "2026-06-03T16:00:00Z"},
        ),
        409,
        "conflict",
    )
    error(send(api, "post", f"{base}/20260603T080000Z/cancel", {"scope": "all"}), 422, "validation_error")


def test_other_people_get_404_or_403_and_nothing_changes(host, guest, series):
    stranger = signed_in(make_user(email="stranger@example.com"))
    base = f"/api/v1/meetings/{series.meeting_code}/occurrences/20260603T080000Z"
    move = {"scope": "all", "starts_at": "2026-06-03T15:00:00Z", "ends_at": "2026-06-03T16:00:00Z"}
    before = list(Meeting.objects.values())
    error(send(stranger, "patch", base, move), 404, "not_found")
    error(send(stranger, "post", f"{base}/cancel", {"scope": "this"}), 404, "not_found")
    error(send(signed_in(guest), "patch", base, move), 403, "permission_denied")
    error(send(signed_in(guest), "post", f"{base}/cancel", {"scope": "following"}), 403, "permission_denied")
    assert list(Meeting.objects.values()) == before
    assert OccurrenceOverride.objects.count() == 0


def test_calendar_far_away_is_refused_with_a_reason(host, series):
    body = error(
        signed_in(host).get(
            "/api/v1/calendar/occurrences", {"start": "2126-06-01T00:00:00Z", "end": "2126-07-01T00:00:00Z"}
        ),
        400,
        "invalid_input",
    )
    assert body["detail"] == [{"loc": ["end"], "msg": "Ask for dates within ten years of today."}]
    # Ten years on is still answered (an endless series, expanded from the window, not from 2026).
    endless = make_series(host=host, starts_at=at("UTC", 2026, 6, 1, 9), frequency="daily")
    found = signed_in(host).get(
        "/api/v1/calendar/occurrences", {"start": "2036-05-01T00:00:00Z", "end": "2036-05-03T00:00:00Z"}
    )
    assert found.status_code == 200, found.content
    assert [(o["meeting_code"], o["occurrence_key"]) for o in found.json()] == [
        (endless.meeting_code, "20360501T090000Z"),
        (endless.meeting_code, "20360502T090000Z"),
    ]


@pytest.mark.parametrize("key", ["00010101T000000Z", "99991231T235959Z"])
def test_occurrence_keys_far_away_are_a_conflict(host, key):
    series = make_series(
        host=host, timezone="Asia/Tokyo", starts_at=at("Asia/Tokyo", 2026, 7, 1, 9), frequency="daily"
    )
    api, base = signed_in(host), f"/api/v1/meetings/{series.meeting_code}/occurrences"
    move = {"scope": "this", "starts_at": "2026-07-03T15:00:00Z", "ends_at": "2026-07-03T16:00:00Z"}
    for response in (
        send(api, "patch", f"{base}/{key}", move),
        send(api, "post", f"{base}/{key}/cancel", {"scope": "this"}),
    ):
        body = error(response, 409, "conflict")
        assert body["message"] == "That occurrence is more than ten years from today: it can't be changed."
    assert OccurrenceOverride.objects.count() == 0


def test_a_series_ending_in_year_9999_is_refused(host):
    body = {
        "kind": "scheduled",
        "title": "Forever",
        "starts_at": "2026-07-06T09:00:00+09:00",
        "ends_at": "2026-07-06T09:15:00+09:00",
        "timezone": "Asia/Tokyo",
        "recurrence": {"frequency": "daily", "until": "9999-12-31"},
    }
    refused = error(send(signed_in(host), "post", "/api/v1/meetings", body), 400, "invalid_input")
    assert refused["detail"] == [
        {"loc": ["recurrence"], "msg": "End the series within ten years of its first meeting."}
    ]
    assert Meeting.objects.count() == 0
