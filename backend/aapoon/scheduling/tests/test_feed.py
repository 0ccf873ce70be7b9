"""The private calendar feed: made, shown once, regenerated, revoked; read without signing in."""

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from aapoon.accounts.tests.factories import make_user
from aapoon.meetings.models import Meeting
from aapoon.meetings.tests.factories import make_meeting
from aapoon.scheduling import services
from aapoon.scheduling.models import CalendarFeed
from aapoon.scheduling.selectors import feed_token_hash
from aapoon.scheduling.tests.factories import at, make_series

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invitations")]
NOW = at("UTC", 2026, 6, 1, 12)
FEED = "/api/v1/calendar/feed"


@pytest.fixture(autouse=True)
def _now(settings):
    settings.SITE_URL = "https://meet.example.com"
    with time_machine.travel(NOW, tick=False):
        yield


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_make_show_once_regenerate_and_revoke(user):
    api = signed_in(user)
    assert api.get(FEED).json() == {
        "active": False,
        "created_at": None,
        "webcal_url": None,
        "https_url": None,
    }
    made = api.post(FEED).json()
    token = token_of(made["https_url"])
    assert len(token) == 43  # 32 random bytes
    assert made == {
        "active": True,
        "created_at": "2026-06-01T12:00:00Z",
        "webcal_url": f"webcal://meet.example.com/api/v1/calendar/feed/{token}.ics",
        "https_url": f"https://meet.example.com/api/v1/calendar/feed/{token}.ics",
    }
    assert CalendarFeed.objects.get().token_hash == feed_token_hash(token) != token
    assert api.get(FEED).json() == {
        "active": True,
        "created_at": "2026-06-01T12:00:00Z",
        "webcal_url": None,
        "https_url": None,
    }
    assert Client().get(made["https_url"].removeprefix("https://meet.example.com")).status_code == 200

    again = api.post(FEED).json()
    assert token_of(again["https_url"]) != token
    assert Client().get(f"{FEED}/{token}.ics").status_code == 404
    assert Client().get(f"{FEED}/{token_of(again['https_url'])}.ics").status_code == 200

    assert api.delete(FEED).status_code == 204
    assert CalendarFeed.objects.count() == 0
    assert Client().get(f"{FEED}/{token_of(again['https_url'])}.ics").json()["code"] == "not_found"
    assert api.get(FEED).json()["active"] is False


def test_feed_endpoints_need_sign_in():
    for method in ("get", "post", "delete"):
        assert getattr(Client(), method)(FEED).status_code == 401


def test_feed_has_my_meetings_from_thirty_days_back(user):
    other = make_user(email="other@example.com")
    make_series(host=user, title="Weekly", starts_at=at("UTC", 2026, 1, 5, 9))
    make_meeting(
        host=user,
        kind="scheduled",
        title="Recent",
        starts_at=at("UTC", 2026, 5, 10, 9),
        ends_at=at("UTC", 2026, 5, 10, 10),
    )
    make_meeting(
        host=user,
        kind="scheduled",
        title="Old",
        starts_at=at("UTC", 2026, 4, 10, 9),
        ends_at=at("UTC", 2026, 4, 10, 10),
    )
    make_meeting(
        host=other,
        kind="scheduled",
        title="Invited",
        invitees=[user.email.upper(), "someone.else@example.com"],
        starts_at=at("UTC", 2026, 6, 10, 9),
        ends_at=at("UTC", 2026, 6, 10, 10),
    )
    make_meeting(
        host=other,
        kind="scheduled",
        title="Not mine",
        starts_at=at("UTC", 2026, 6, 10, 9),
        ends_at=at("UTC", 2026, 6, 10, 10),
    )
    cancelled = make_meeting(
        host=user,
        kind="scheduled",
        title="Cancelled",
        starts_at=at("UTC", 2026, 6, 9, 9),
        ends_at=at("UTC", 2026, 6, 9, 10),
    )
    Meeting.objects.filter(pk=cancelled.pk).update(status="cancelled")
    _, token = services.calendar_feed_create(user=user)
    response = Client().get(f"{FEED}/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Weekly", "Recent", "Invited"]
    # An invitee sees themselves among the attendees, not the others' addresses.
    assert str(calendar.walk("VEVENT")[2]["ATTENDEE"]) == f"mailto:{user.email}"


def test_feed_reads_are_rate_limited(user):
    _, token = services.calendar_feed_create(user=user)
    for _ in range(services.FEED_RATE_LIMIT):
        assert Client().get(f"{FEED}/{token}.ics").status_code == 200
    assert Client().get(f"{FEED}/{token}.ics").json()["code"] == "rate_limited"
