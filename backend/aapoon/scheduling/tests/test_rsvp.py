"""RSVP links: answered without signing in, signed and expiring; the host hears of each change."""

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.test import Client

from aapoon.accounts.models import User
from aapoon.accounts.tests.factories import make_user
from aapoon.core.errors import InvalidInput
from aapoon.meetings import services as meeting_services
from aapoon.meetings.models import Meeting, MeetingInvitee
from aapoon.meetings.services import Invitee, MeetingSettings
from aapoon.meetings.tests.factories import make_meeting
from aapoon.notifications.models import Notification
from aapoon.scheduling import rsvp
from aapoon.scheduling.rsvp import rsvp_expiry, rsvp_record, rsvp_token
from aapoon.scheduling.tests.factories import at, make_series

pytestmark = pytest.mark.django_db
NOW = at("UTC", 2026, 3, 10, 12)
START = at("Europe/London", 2026, 3, 16, 9)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def host(db) -> User:
    return make_user(email="host@example.com", full_name="Hema Host")


@pytest.fixture
def meeting(host) -> Meeting:
    return make_meeting(
        host=host,
        kind="scheduled",
        title="Design review",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=1),
        timezone="Europe/London",
        invitees=[Invitee(email="guest@example.net", name="Gita Guest"), Invitee(email="other@example.net")],
    )


@pytest.fixture
def invitee(meeting) -> MeetingInvitee:
    return meeting.invitees.get(email="guest@example.net")


def token_for(invitee: MeetingInvitee) -> str:
    return rsvp_token(invitee=invitee, expires_at=rsvp_expiry(meeting=invitee.meeting, now=NOW))


def send(method: str, token: str, body: Any = None, *, query: str = "") -> Any:
    client = Client()
    path = f"/api/v1/rsvp/{token}{query}"
    if method == "get":
        return client.get(path)
    return client.post(path, data=json.dumps(body), content_type="application/json")


def error(response: Any, status: int, code: str, message: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert response.json()["message"] == message


def host_notifications() -> list[tuple[str, str, str]]:
    return sorted(
        Notification.objects.filter(event="rsvp_received").values_list(
            "user__email", "channel", "payload__short"
        )
    )


def state(invitee: MeetingInvitee) -> tuple[str, dt.datetime | None]:
    invitee.refresh_from_db()
    return invitee.rsvp, invitee.rsvp_at


def shown(answer: str, current: str) -> dict[str, Any]:
    return {
        "meeting_title": "Design review",
        "host_name": "Hema Host",
        "starts_at": "2026-03-16T09:00:00Z",
        "ends_at": "2026-03-16T10:00:00Z",
        "timezone": "Europe/London",
        "recurrence_text": "",
        "answer": answer,
        "current": current,
    }


def test_the_page_shows_the_meeting_and_the_answer_from_the_link(invitee):
    response = send("get", token_for(invitee), query="?answer=accepted")
    assert response.status_code == 200
    assert response.json() == shown("accepted", "pending")


def test_an_answer_is_recorded_the_host_is_told_and_sees_it(invitee, host, meeting):
    response = send("post", token_for(invitee), {"answer": "accepted"})
    assert response.status_code == 200
    assert response.json() == shown("accepted", "accepted")
    assert state(invitee) == ("accepted", NOW)
    said = "Gita Guest answered Yes to Design review"
    assert host_notifications() == [("host@example.com", "email", said), ("host@example.com", "inapp", said)]
    host_view = Client()
    host_view.force_login(host)
    invitees = host_view.get(f"/api/v1/meetings/{meeting.meeting_code}").json()["invitees"]
    assert [(i["email"], i["rsvp"]) for i in invitees] == [
        ("guest@example.net", "accepted"),
        ("other@example.net", "pending"),
    ]


def test_the_same_answer_again_changes_nothing_and_a_new_one_tells_the_host_again(invitee, _frozen):
    token = token_for(invitee)
    send("post", token, {"answer": "accepted"})
    _frozen.shift(dt.timedelta(minutes=5))
    assert send("post", token, {"answer": "accepted"}).status_code == 200
    assert state(invitee) == ("accepted", NOW)
    assert len(host_notifications()) == 2
    assert send("post", token, {"answer": "declined"}).json()["current"] == "declined"
    assert state(invitee) == ("declined", NOW + dt.timedelta(minutes=5))
    assert [short for _, channel, short in host_notifications() if channel == "email"] == [
        "Gita Guest answered No to Design review",
        "Gita Guest answered Yes to Design review",
    ]


def test_a_series_shows_its_next_occurrence_and_its_rule(host):
    series = make_series(
        host=host,
        title="Design review",
        starts_at=at("Europe/London", 2026, 3, 2, 9),
        duration=dt.timedelta(hours=1),
        timezone="Europe/London",
        weekdays=("MO",),
        count=5,
        invitees=["guest@example.net"],
    )
    response = send("get", token_for(series.invitees.get()))
    assert response.json() == {**shown("", "pending"), "recurrence_text": "Weekly on Monday, 5 times"}


def test_links_expire_a_week_after_the_last_occurrence_and_never_live_past_400_days(host, meeting, _frozen):
    assert rsvp_expiry(meeting=meeting, now=NOW) == START + dt.timedelta(hours=1, days=7)
    endless = make_series(host=host, starts_at=START, timezone="Europe/London", weekdays=("MO",))
    assert rsvp_expiry(meeting=endless, now=NOW) == NOW + dt.timedelta(days=400)
    five = make_series(host=host, starts_at=START, timezone="Europe/London", weekdays=("MO",), count=5)
    last = at("Europe/London", 2026, 4, 13, 9, 30)
    assert rsvp_expiry(meeting=five, now=NOW) == last + dt.timedelta(days=7)


def test_an_expired_link_is_refused_and_nothing_changes(invitee, _frozen):
    token = token_for(invitee)
    _frozen.move_to(START + dt.timedelta(hours=1, days=7, seconds=1))
    error(send("post", token, {"answer": "accepted"}), 400, "invalid_input", "This link has expired.")
    error(send("get", token), 400, "invalid_input", "This link has expired.")
    assert state(invitee) == ("pending", None)
    assert host_notifications() == []


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # the signature
        lambda token: signing.dumps(signing.loads(token, salt=rsvp.SALT) | {"e": 4102444800}, salt="other"),
        lambda token: "not-a-token",
    ],
    ids=["signature", "other-salt", "garbage"],
)
def test_a_tampered_link_is_refused_and_nothing_changes(invitee, tamper):
    token = tamper(token_for(invitee))
    error(send("post", token, {"answer": "accepted"}), 400, "invalid_input", "This link is not valid.")
    error(send("get", token), 400, "invalid_input", "This link is not valid.")
    assert state(invitee) == ("pending", None)
    assert host_notifications() == []


def test_a_link_opens_only_its_own_invitation(invitee, meeting):
    """The token is the only credential: one invitee's link never answers for another."""
    send("post", token_for(invitee), {"answer": "declined"})
    other = meeting.invitees.get(email="other@example.net")
    assert state(other) == ("pending", None)
    assert state(invitee)[0] == "declined"


def test_an_unknown_answer_is_refused(invitee):
    response = send("post", token_for(invitee), {"answer": "maybe"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    with pytest.raises(InvalidInput, match=r"^Answer accepted, tentative or declined\.$"):
        rsvp_record(token=token_for(invitee), answer="maybe", ip="127.0.0.1")
    assert state(invitee) == ("pending", None)
    assert host_notifications() == []


def test_a_cancelled_meeting_takes_no_answers(invitee, host, meeting):
    token = token_for(invitee)
    meeting_services.meeting_cancel(user=host, code=meeting.meeting_code)
    error(send("post", token, {"answer": "accepted"}), 409, "conflict", "This meeting was cancelled.")
    error(send("get", token), 409, "conflict", "This meeting was cancelled.")
    assert state(invitee) == ("pending", None)
    assert host_notifications() == []


def test_a_removed_invitee_link_stops_working(invitee, host, meeting):
    token = token_for(invitee)
    meeting_services.meeting_update(
        user=host,
        code=meeting.meeting_code,
        values=MeetingSettings(invitees=[Invitee(email="other@example.net")]),
    )
    message = "You are no longer invited to this meeting."
    error(send("post", token, {"answer": "accepted"}), 404, "not_found", message)
    assert host_notifications() == []


def test_answers_are_rate_limited_per_address(invitee, monkeypatch):
    monkeypatch.setattr(rsvp, "RATE_LIMIT", 2)
    token = token_for(invitee)
    assert send("get", token).status_code == 200
    assert send("post", token, {"answer": "tentative"}).status_code == 200
    error(
        send("post", token, {"answer": "declined"}),
        429,
        "rate_limited",
        "Too many attempts; wait a minute and try again.",
    )
    assert state(invitee) == ("tentative", NOW)
