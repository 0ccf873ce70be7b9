"""Throttling of logins and of everything that sends a code, and the audit trail of failed logins."""

from datetime import UTC, datetime

import pytest
import time_machine

from aapoon.accounts.tests.factories import DEFAULT_PASSWORD, make_user
from aapoon.accounts.tests.test_auth_support import AppClient, last_code, messages_to, pending_flow
from aapoon.audit.models import AuditLog
from aapoon.notifications.models import DevMailboxMessage

pytestmark = pytest.mark.django_db

PHONE = "+919812345678"
OTHER_PHONE = "+919876543210"
T0 = datetime(2031, 3, 4, 10, 0, 0, tzinfo=UTC)


def _login(email: str, password: str, **headers: str):
    return AppClient().post("/auth/login", {"email": email, "password": password}, headers=headers or None)


def test_failed_logins_are_audited_without_credentials(user):
    response = _login("owner@example.com", "Wrong-Horse-42")
    assert response.status_code == 400
    response = _login("nobody@example.com", "Guess-Guess-1")
    assert response.status_code == 400

    rows = list(AuditLog.objects.filter(action="login_failed").order_by("id"))
    assert [(r.entity_type, r.entity_id, r.actor_id, r.actor_ip) for r in rows] == [
        ("user", str(user.pk), None, "127.0.0.1"),
        ("user", "", None, "127.0.0.1"),
    ]
    for row in rows:
        assert row.before == {} and row.after == {}
        stored = f"{row.entity_id}{row.before}{row.after}"
        assert "owner@example.com" not in stored and "Wrong-Horse-42" not in stored
    # A successful login leaves no login_failed row.
    assert _login("owner@example.com", DEFAULT_PASSWORD).status_code == 200
    assert AuditLog.objects.filter(action="login_failed").count() == 2


def test_repeated_failed_logins_lock_the_account_for_a_while(user):
    for _ in range(5):
        response = _login("owner@example.com", "Wrong-Horse-42")
        assert response.json()["errors"][0]["code"] == "email_password_mismatch"

    # Even the right password is refused now, and the refusal says why.
    response = _login("owner@example.com", DEFAULT_PASSWORD)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_many_login_attempts"
    assert AuditLog.objects.filter(action="login_failed").count() == 5
    # Other accounts are not affected.
    make_user(email="colleague@example.com")
    assert _login("colleague@example.com", DEFAULT_PASSWORD).status_code == 200


def test_one_address_hammering_logins_is_throttled_with_429(user):
    statuses = [_login(f"guess{i}@example.com", "Guess-Guess-1").status_code for i in range(30)]
    assert statuses[:10] == [400] * 10

    response = _login("owner@example.com", DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert response.json()["status"] == 429
    # Failures over the per-IP budget are refused before a password is checked: 10 audited.
    assert AuditLog.objects.filter(action="login_failed").count() == 10


def test_behind_a_proxy_the_client_address_is_used(settings, user):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    for _ in range(10):
        _login("nobody@example.com", "Guess-Guess-1", **{"X-Forwarded-For": "203.0.113.9"})

    assert set(AuditLog.objects.values_list("actor_ip", flat=True)) == {"203.0.113.9"}
    # The noisy client is throttled; another client behind the same proxy is not.
    blocked = _login("owner@example.com", DEFAULT_PASSWORD, **{"X-Forwarded-For": "203.0.113.9"})
    assert blocked.json()["errors"][0]["code"] == "too_many_login_attempts"
    allowed = _login("owner@example.com", DEFAULT_PASSWORD, **{"X-Forwarded-For": "198.51.100.7"})
    assert allowed.status_code == 200


def test_failed_phone_logins_lock_only_that_number(user):
    user.phone, user.phone_verified = PHONE, True
    user.save(update_fields=["phone", "phone_verified"])
    other = make_user(email="colleague@example.com", phone=OTHER_PHONE, phone_verified=True)

    for _ in range(5):
        response = AppClient().post("/auth/login", {"phone": PHONE, "password": "Wrong-Horse-42"})
        assert response.json()["errors"][0]["code"] == "phone_password_mismatch"

    locked = AppClient().post("/auth/login", {"phone": PHONE, "password": DEFAULT_PASSWORD})
    assert locked.json()["errors"][0]["code"] == "too_many_login_attempts"
    response = AppClient().post("/auth/login", {"phone": OTHER_PHONE, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert response.json()["data"]["user"]["id"] == str(other.pk)


def test_login_code_requests_are_rate_limited(user):
    for _ in range(3):
        response = AppClient().post("/auth/code/request", {"email": "owner@example.com"})
        assert response.status_code == 401

    # Per address: the fourth request within a minute sends nothing.
    response = AppClient().post("/auth/code/request", {"email": "owner@example.com"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_many_login_attempts"
    assert len(messages_to("owner@example.com")) == 3

    # Per client address: twenty requests a minute, whatever the addresses.
    # (allauth reports both limits as a form error, 400 too_many_login_attempts, not as 429.)
    responses = [
        AppClient().post("/auth/code/request", {"email": f"someone{i}@example.com"}) for i in range(17)
    ]
    assert [r.status_code for r in responses] == [401] * 16 + [400]
    assert responses[-1].json()["errors"][0]["code"] == "too_many_login_attempts"
    assert not messages_to("someone16@example.com")


def test_sms_code_requests_are_rate_limited_per_number(user):
    user.phone, user.phone_verified = PHONE, True
    user.save(update_fields=["phone", "phone_verified"])
    for _ in range(3):
        assert AppClient().post("/auth/code/request", {"phone": PHONE}).status_code == 401

    response = AppClient().post("/auth/code/request", {"phone": PHONE})

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_many_login_attempts"
    assert len(messages_to(PHONE, DevMailboxMessage.Channel.SMS)) == 3


def test_password_reset_requests_are_rate_limited_per_address(user):
    for _ in range(5):
        assert AppClient().post("/auth/password/request", {"email": "owner@example.com"}).status_code == 401

    response = AppClient().post("/auth/password/request", {"email": "owner@example.com"})

    assert response.status_code == 429
    assert len(messages_to("owner@example.com")) == 5


def test_signup_verification_code_can_be_resent_slowly_and_twice():
    app = AppClient()
    with time_machine.travel(T0, tick=False) as clock:
        app.post("/auth/signup", {"email": "asha@example.com", "password": "Sunny-Meadow-71"})
        first_code = last_code("asha@example.com")

        # Not right away ...
        assert app.post("/auth/email/verify/resend").status_code == 429
        assert len(messages_to("asha@example.com")) == 1

        # ... but after ten seconds, and at most twice.
        clock.shift(11)
        assert app.post("/auth/email/verify/resend").status_code == 200
        clock.shift(11)
        assert app.post("/auth/email/verify/resend").status_code == 200
        clock.shift(11)
        assert app.post("/auth/email/verify/resend").status_code == 409
        assert len(messages_to("asha@example.com")) == 3

        # Only the newest code verifies.
        assert app.post("/auth/email/verify", {"key": first_code}).status_code == 400
        assert app.post("/auth/email/verify", {"key": last_code("asha@example.com")}).status_code == 200


def test_login_code_can_be_resent(user):
    app = AppClient()
    app.post("/auth/code/request", {"email": "owner@example.com"})

    response = app.post("/auth/code/resend")

    assert response.status_code == 200
    assert len(messages_to("owner@example.com")) == 2
    assert app.post("/auth/code/confirm", {"code": last_code("owner@example.com")}).status_code == 200


def test_guessing_a_login_code_ends_the_attempt(user):
    app = AppClient()
    app.post("/auth/code/request", {"email": "owner@example.com"})
    code = last_code("owner@example.com")
    wrong = "BBBB-CCCC" if code != "BBBB-CCCC" else "DDDD-FFFF"

    for _ in range(3):
        assert app.post("/auth/code/confirm", {"code": wrong}).status_code == 400

    # After three wrong guesses even the right code is useless: the attempt is over.
    response = app.post("/auth/code/confirm", {"code": code})
    assert response.status_code == 409
    assert app.access_token is None
    assert pending_flow(app.get("/auth/session").json()) is None
