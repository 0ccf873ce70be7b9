"""GET/PUT /api/v1/meetings/{code}/breakouts: the host prepares breakout rooms ahead, by email."""

import pytest
from django.test import Client

from aapoon.accounts.models import User
from aapoon.accounts.tests.factories import make_user
from aapoon.meetings.models import BreakoutParticipant, BreakoutRoom, Meeting
from aapoon.meetings.tests.factories import db_state, make_meeting
from aapoon.meetings.tests.test_api import error, send, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(db) -> User:
    return make_user(email="host@example.com")


@pytest.fixture
def scheduled(host) -> Meeting:
    return make_meeting(host=host, kind="scheduled", title="Class", invitees=["ann@example.com"])


def path(meeting: Meeting) -> str:
    return f"/api/v1/meetings/{meeting.meeting_code}/breakouts"


PLAN = {
    "allow_choosing": True,
    "duration_minutes": 10,
    "countdown_seconds": 15,
    "rooms": [{"name": "Red", "emails": ["Ann@example.com", "bo@example.com"]}, {"name": "Blue"}],
}


def test_the_host_prepares_then_changes_the_rooms(host, scheduled):
    api = signed_in(host)
    assert send(api, "get", path(scheduled)).json() == {
        "status": "closed",
        "allow_choosing": False,
        "duration_minutes": None,
        "countdown_seconds": 60,
        "rooms": [],
    }
    response = send(api, "put", path(scheduled), PLAN)
    assert response.status_code == 200, response.content
    red, blue = BreakoutRoom.objects.order_by("position")
    expected = {
        "status": "closed",
        "allow_choosing": True,
        "duration_minutes": 10,
        "countdown_seconds": 15,
        "rooms": [
            {"id": str(red.pk), "name": "Red", "emails": ["ann@example.com", "bo@example.com"]},
            {"id": str(blue.pk), "name": "Blue", "emails": []},
        ],
    }
    assert response.json() == expected
    assert send(api, "get", path(scheduled)).json() == expected

    # Blue renamed and given Ann; Red taken away; the timer off.
    change = {"rooms": [{"id": str(blue.pk), "name": "Green", "emails": ["ann@example.com"]}]}
    body = send(api, "put", path(scheduled), change).json()
    assert body["rooms"] == [{"id": str(blue.pk), "name": "Green", "emails": ["ann@example.com"]}]
    assert (body["allow_choosing"], body["duration_minutes"], body["countdown_seconds"]) == (False, None, 60)
    assert list(BreakoutParticipant.objects.values_list("email", flat=True)) == ["ann@example.com"]


@pytest.mark.parametrize(
    "plan",
    [
        {"rooms": []},
        {"rooms": [{"name": "A"}, {"name": "a"}]},
        {"rooms": [{"name": "A", "emails": ["nobody"]}]},
        {"rooms": [{"name": "A", "emails": ["x@example.com"]}, {"name": "B", "emails": ["x@example.com"]}]},
        {"rooms": [{"name": "A"}], "duration_minutes": 0},
        {"rooms": [{"name": "A"}], "countdown_seconds": 500},
        {"rooms": [{"name": "A\x00"}]},
        {"rooms": [{"name": "A", "emails": ["a\x00@example.com"]}]},
        {"rooms": "A"},
    ],
)
def test_bad_plans_are_refused_and_change_nothing(host, scheduled, plan):
    api = signed_in(host)
    send(api, "put", path(scheduled), PLAN)
    before = db_state()
    response = send(api, "put", path(scheduled), plan)
    assert response.status_code in (400, 422), response.content
    assert db_state() == before


def test_only_the_host_sees_or_changes_the_plan(host, scheduled):
    send(signed_in(host), "put", path(scheduled), PLAN)
    before = db_state()
    invited = signed_in(make_user(email="ann@example.com"))  # sees the meeting, isn't its host
    error(send(invited, "get", path(scheduled)), 403, "permission_denied")
    error(send(invited, "put", path(scheduled), PLAN), 403, "permission_denied")
    stranger = signed_in(make_user(email="someone@elsewhere.example"))  # another tenant: no such meeting
    error(send(stranger, "get", path(scheduled)), 404, "not_found")
    error(send(stranger, "put", path(scheduled), PLAN), 404, "not_found")
    error(send(Client(), "get", path(scheduled)), 401, "not_authenticated")
    assert db_state() == before


def test_rooms_of_another_meeting_cannot_be_named(host, scheduled):
    other = make_meeting(host=make_user(email="otto@example.com"), kind="scheduled", title="Other")
    send(signed_in(other.host), "put", path(other), {"rooms": [{"name": "Theirs"}]})
    theirs = BreakoutRoom.objects.get(meeting=other)
    before = db_state()
    response = send(
        signed_in(host), "put", path(scheduled), {"rooms": [{"id": str(theirs.pk), "name": "Mine"}]}
    )
    error(response, 404, "not_found")
    assert db_state() == before


def test_an_ended_meeting_keeps_its_rooms(host):
    meeting = make_meeting(host=host, title="Done")
    meeting.status = Meeting.Status.ENDED
    meeting.save()
    error(send(signed_in(host), "put", path(meeting), PLAN), 409, "conflict")
