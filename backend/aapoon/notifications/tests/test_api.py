"""The /api/v1/notifications endpoints: exact bodies, only one's own rows, and bad input refused."""

import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import timezone

from aapoon.accounts.tests.factories import make_user
from aapoon.notifications.models import EmailOptOut, Notification, NotificationPreference, PushSubscription
from aapoon.notifications.tests.factories import PAYLOAD, make_notification
from aapoon.notifications.tests.test_push import Browser
from aapoon.notifications.tokens import _SALT, email_unsubscribe_token, unsubscribe_token

pytestmark = pytest.mark.django_db
API = "/api/v1/notifications"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body: Any = None, method: str = "post") -> Any:
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json")


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    return body


def _time(value: Any) -> str:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _inapp(user, key: str, **fields: Any) -> Notification:
    return make_notification(user=user, channel="inapp", status="sent", dedupe_key=key, **fields)


def _out(n: Notification) -> dict[str, Any]:
    return {
        "id": str(n.pk),
        "event": "invitation",
        "title": PAYLOAD["subject"],
        "body": PAYLOAD["short"],
        "url": PAYLOAD["url"],
        "created_at": _time(n.created_at),
        "read_at": None,
    }


def test_list_newest_first_only_delivered_in_app_rows_of_mine(
    user, other_user, django_assert_max_num_queries
):
    older, newer = _inapp(user, "a"), _inapp(user, "b")
    make_notification(user=user, channel="inapp", dedupe_key="pending")  # not delivered yet
    make_notification(user=user, channel="email", status="sent", dedupe_key="a")
    _inapp(other_user, "a")
    client = _client(user)
    for key in "cdefgh":
        _inapp(user, key)
    with django_assert_max_num_queries(4):  # session, user, count, page: not one per row
        response = client.get(API, {"limit": 2, "offset": 6})
    assert response.status_code == 200
    assert response.json() == {"items": [_out(newer), _out(older)], "count": 8}


def test_unread_count_read_and_read_all(user, other_user):
    first, second = _inapp(user, "a"), _inapp(user, "b")
    theirs = _inapp(other_user, "a")
    client = _client(user)
    assert client.get(f"{API}/unread-count").json() == {"count": 2}
    response = post(client, f"{API}/{first.pk}/read")
    assert response.status_code == 200
    first.refresh_from_db()
    assert response.json()["read_at"] == _time(first.read_at)
    assert client.get(f"{API}/unread-count").json() == {"count": 1}
    assert post(client, f"{API}/read-all").json() == {"count": 1}
    assert client.get(f"{API}/unread-count").json() == {"count": 0}
    second.refresh_from_db()
    theirs.refresh_from_db()
    assert second.read_at is not None and theirs.read_at is None


def test_someone_elses_notification_is_not_found(user, other_user):
    theirs = _inapp(other_user, "a")
    client = _client(user)
    error(post(client, f"{API}/{theirs.pk}/read"), 404, "not_found")
    error(post(client, f"{API}/not-a-uuid/read"), 422, "validation_error")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_signed_out_is_refused():
    error(Client().get(API), 401, "not_authenticated")
    error(Client().get(f"{API}/preferences"), 401, "not_authenticated")


EVENTS = [
    ("invitation", "Meeting invitations", {"email": True, "sms": False, "push": False, "inapp": True}),
    (
        "meeting_updated",
        "Changes to meetings I'm invited to",
        {"email": True, "sms": False, "push": False, "inapp": True},
    ),
    ("meeting_cancelled", "Cancelled meetings", {"email": True, "sms": False, "push": False, "inapp": True}),
    (
        "meeting_reminder",
        "Reminders before a meeting starts",
        {"email": True, "sms": False, "push": True, "inapp": True},
    ),
    (
        "waiting_room",
        "Someone is waiting in my waiting room",
        {"email": False, "sms": False, "push": True, "inapp": True},
    ),
    (
        "rsvp_received",
        "Replies to my invitations",
        {"email": True, "sms": False, "push": False, "inapp": True},
    ),
]


def test_preferences_defaults_and_update(user):
    client = _client(user)
    defaults = {
        "reminder_minutes": 10,
        "events": [{"event": e, "label": label, "channels": ch} for e, label, ch in EVENTS],
    }
    assert client.get(f"{API}/preferences").json() == defaults
    change = {
        "reminder_minutes": 30,
        "events": [
            {
                "event": "meeting_reminder",
                "channels": {"email": False, "sms": False, "push": True, "inapp": True},
            }
        ],
    }
    response = post(client, f"{API}/preferences", change, method="put")
    assert response.status_code == 200
    expected = json.loads(json.dumps(defaults))
    expected["reminder_minutes"] = 30
    expected["events"][3]["channels"]["email"] = False
    assert response.json() == expected
    assert client.get(f"{API}/preferences").json() == expected
    # Only the reminder minutes: the channels stay as they are.
    assert (
        post(client, f"{API}/preferences", {"reminder_minutes": 0}, method="put").json()["events"]
        == expected["events"]
    )


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"reminder_minutes": 1441}, 422, "validation_error"),
        ({"reminder_minutes": -1}, 422, "validation_error"),
        (
            {
                "events": [
                    {
                        "event": "birthday",
                        "channels": {"email": True, "sms": False, "push": False, "inapp": True},
                    }
                ]
            },
            400,
            "invalid_input",
        ),
        ({"events": [{"event": "invitation", "channels": {"email": True}}]}, 422, "validation_error"),
        (
            {
                "events": [
                    {
                        "event": "invitation",
                        "channels": {"email": True, "sms": True, "push": False, "inapp": True},
                    }
                ]
            },
            400,
            "invalid_input",
        ),
        (
            {
                "reminder_minutes": 5,
                "events": [
                    {
                        "event": "invitation",
                        "channels": {"email": False, "sms": False, "push": False, "inapp": True},
                    }
                ]
                * 2,
            },
            400,
            "invalid_input",
        ),
    ],
)
def test_bad_preferences_change_nothing(user, body, status, code):
    error(post(_client(user), f"{API}/preferences", body, method="put"), status, code)
    assert not NotificationPreference.objects.exists()


def test_sms_needs_a_verified_phone():
    person = make_user(email="p@example.com", phone="+919812345678", phone_verified=True)
    body = {
        "events": [
            {
                "event": "meeting_reminder",
                "channels": {"email": True, "sms": True, "push": True, "inapp": True},
            }
        ]
    }
    response = post(_client(person), f"{API}/preferences", body, method="put")
    assert response.status_code == 200
    assert response.json()["events"][3]["channels"]["sms"] is True


def test_tampered_unsubscribe_link_changes_nothing(user):
    token = unsubscribe_token(user_id=user.pk, event="invitation")
    for bad in (token[:-2] + "xx", "nonsense", unsubscribe_token(user_id=user.pk, event="birthday")):
        for method in ("get", "post"):
            body = error(getattr(Client(), method)(f"{API}/unsubscribe/{bad}"), 400, "invalid_link")
            assert body["message"].startswith("This unsubscribe link is not valid.")
    assert not NotificationPreference.objects.exists()


def test_tampered_unsubscribe_link_for_an_address_changes_nothing():
    from django.core import signing

    token = email_unsubscribe_token(email="guest@example.com", event="invitation")
    assert "." not in token
    for bad in (
        token[:-2] + "xx",
        email_unsubscribe_token(email="guest@example.com", event="birthday"),
        signing.dumps({"h": "short", "e": "invitation"}, salt=_SALT),
        signing.dumps({"e": "invitation"}, salt=_SALT),
    ):
        for method in ("get", "post"):
            error(getattr(Client(), method)(f"{API}/unsubscribe/{bad}"), 400, "invalid_link")
    assert not EmailOptOut.objects.exists()


@pytest.fixture
def local_push(settings):
    settings.WEBPUSH_ALLOWED_HOSTS = ["push.example.com", ".push.services.mozilla.com"]


def test_push_key_and_subscriptions(user, other_user, local_push):
    client = _client(user)
    key = client.get(f"{API}/push/key").json()["public_key"]
    assert client.get(f"{API}/push/key").json() == {"public_key": key}
    browser = Browser()
    endpoint = "https://updates.push.services.mozilla.com/wpush/v2/abc"
    subscription = {"endpoint": endpoint, "keys": {"p256dh": browser.p256dh, "auth": browser.auth}}
    assert post(client, f"{API}/push/subscriptions", subscription).status_code == 204
    assert post(client, f"{API}/push/subscriptions", subscription).status_code == 204  # again: still one
    assert list(PushSubscription.objects.values_list("user_id", "endpoint")) == [(user.pk, endpoint)]
    # Someone else can't remove it; the owner can.
    assert (
        post(_client(other_user), f"{API}/push/subscriptions/delete", {"endpoint": endpoint}).status_code
        == 204
    )
    assert PushSubscription.objects.count() == 1
    assert post(client, f"{API}/push/subscriptions/delete", {"endpoint": endpoint}).status_code == 204
    assert PushSubscription.objects.count() == 0


@pytest.mark.parametrize(
    ("endpoint", "p256dh", "auth", "field"),
    [
        ("https://evil.example.com/push", None, None, "endpoint"),
        ("http://push.example.com/push", None, None, "endpoint"),
        ("https://127.0.0.1/push", None, None, "endpoint"),
        ("https://push.example.com/push", "bm90IGEga2V5", None, "p256dh"),
        ("https://push.example.com/push", None, "c2hvcnQ", "auth"),
    ],
)
def test_bad_subscriptions_are_refused(user, local_push, endpoint, p256dh, auth, field):
    browser = Browser()
    body = {"endpoint": endpoint, "keys": {"p256dh": p256dh or browser.p256dh, "auth": auth or browser.auth}}
    response = error(post(_client(user), f"{API}/push/subscriptions", body), 400, "invalid_input")
    assert [d["loc"][-1] for d in response["detail"]] == [field]
    assert not PushSubscription.objects.exists()


def test_read_twice_keeps_the_first_time(user):
    row = _inapp(user, "a", read_at=timezone.now() - timezone.timedelta(hours=1))
    response = post(_client(user), f"{API}/{row.pk}/read")
    assert response.json()["read_at"] == _time(row.read_at)
