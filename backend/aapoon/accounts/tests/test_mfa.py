"""Two-factor authentication: TOTP activation, the 2FA login stage, replay protection, recovery codes.

Time is frozen in the middle of a 30-second TOTP window so codes are deterministic."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from aapoon.accounts.tests.factories import DEFAULT_PASSWORD
from aapoon.accounts.tests.test_auth_support import AppClient, BrowserClient, last_code, pending_flow

pytestmark = pytest.mark.django_db

# 10 seconds into a TOTP window.
T0 = datetime(2031, 3, 4, 10, 0, 10, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def _password_login(app: AppClient):
    return app.post("/auth/login", {"email": "owner@example.com", "password": DEFAULT_PASSWORD})


def _activate_totp(user) -> tuple[pyotp.TOTP, str]:
    """Sign in, read the secret, activate; returns the TOTP and the code used to activate."""
    app = AppClient()
    assert _password_login(app).status_code == 200
    assert app.post("/auth/reauthenticate", {"password": DEFAULT_PASSWORD}).status_code == 200
    response = app.get("/account/authenticators/totp")
    assert response.status_code == 404  # not active yet: the answer carries a fresh secret
    secret = response.json()["meta"]["secret"]
    totp = pyotp.TOTP(secret)
    code = totp.now()
    response = app.post("/account/authenticators/totp", {"code": code})
    assert response.status_code == 200
    return totp, code


def _recovery_codes(user) -> list[str]:
    return RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes")).get_unused_codes()


def test_totp_activation_needs_a_fresh_password_and_a_valid_code(user, clock):
    app = AppClient()
    _password_login(app)

    response = app.get("/account/authenticators/totp")

    assert response.status_code == 404
    meta = response.json()["meta"]
    secret = meta["secret"]
    assert meta["totp_url"] == f"otpauth://totp/owner%40example.com?secret={secret}&issuer=aapoon%20meet"

    # Turning 2FA on is a sensitive change: the password is asked again first ...
    response = app.post("/account/authenticators/totp", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 401
    assert "reauthenticate" in {f["id"] for f in response.json()["data"]["flows"]}
    assert not Authenticator.objects.exists()
    wrong = app.post("/auth/reauthenticate", {"password": "Wrong-Horse-42"})
    assert wrong.status_code == 400
    assert app.post("/auth/reauthenticate", {"password": DEFAULT_PASSWORD}).status_code == 200

    # ... then only a correct code activates it.
    wrong = app.post("/account/authenticators/totp", {"code": "000000"})
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["code"] == "incorrect_code"
    assert not Authenticator.objects.exists()

    response = app.post("/account/authenticators/totp", {"code": pyotp.TOTP(secret).now()})

    assert response.status_code == 200
    assert response.json()["data"]["type"] == "totp"
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    assert app.me().json()["two_fa_enabled"] is True
    codes = app.get("/account/authenticators/recovery-codes")
    assert codes.status_code == 200
    assert codes.json()["data"]["total_code_count"] == len(codes.json()["data"]["unused_codes"]) == 10
    listed = app.get("/account/authenticators").json()["data"]
    assert {a["type"] for a in listed} == {"totp", "recovery_codes"}


def test_reauthentication_goes_stale(user, clock):
    app = AppClient()
    _password_login(app)
    app.post("/auth/reauthenticate", {"password": DEFAULT_PASSWORD})
    secret = app.get("/account/authenticators/totp").json()["meta"]["secret"]

    clock.shift(timedelta(minutes=10))
    response = app.post("/account/authenticators/totp", {"code": pyotp.TOTP(secret).now()})

    assert response.status_code == 401
    assert "reauthenticate" in {f["id"] for f in response.json()["data"]["flows"]}
    assert not Authenticator.objects.exists()


def test_login_requires_the_second_factor(user, clock):
    totp, _ = _activate_totp(user)
    clock.shift(timedelta(seconds=30))
    app = AppClient()

    response = _password_login(app)

    assert response.status_code == 401
    body = response.json()
    assert pending_flow(body) == "mfa_authenticate"
    assert body["meta"]["is_authenticated"] is False
    assert app.access_token is None
    assert app.me("not-a-token").status_code == 401

    wrong = app.post("/auth/2fa/authenticate", {"code": "123456" if totp.now() != "123456" else "654321"})
    assert wrong.status_code == 400
    assert app.access_token is None

    response = app.post("/auth/2fa/authenticate", {"code": totp.now()})

    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["is_authenticated"] is True
    assert {m["method"] for m in body["data"]["methods"]} == {"password", "mfa"}
    assert app.me().json()["id"] == str(user.pk)


def test_a_totp_code_works_only_once(user, clock):
    totp, _ = _activate_totp(user)
    clock.shift(timedelta(seconds=30))
    code = totp.now()
    first = AppClient()
    _password_login(first)
    assert first.post("/auth/2fa/authenticate", {"code": code}).status_code == 200

    # Someone who saw that code (same window, still "valid" by the clock) is refused ...
    second = AppClient()
    _password_login(second)
    response = second.post("/auth/2fa/authenticate", {"code": code})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "incorrect_code"
    assert second.access_token is None

    # ... and gets in only with the next code.
    clock.shift(timedelta(seconds=30))
    response = second.post("/auth/2fa/authenticate", {"code": totp.now()})
    assert response.status_code == 200
    assert second.access_token is not None


def test_recovery_codes_work_once_each(user, clock):
    _activate_totp(user)
    first_code, second_code = _recovery_codes(user)[:2]

    app = AppClient()
    _password_login(app)
    response = app.post("/auth/2fa/authenticate", {"code": first_code})
    assert response.status_code == 200
    assert len(_recovery_codes(user)) == 9

    again = AppClient()
    _password_login(again)
    response = again.post("/auth/2fa/authenticate", {"code": first_code})
    assert response.status_code == 400
    assert again.access_token is None
    response = again.post("/auth/2fa/authenticate", {"code": second_code})
    assert response.status_code == 200
    assert len(_recovery_codes(user)) == 8


def test_login_by_code_still_asks_for_the_second_factor(user, clock):
    totp, _ = _activate_totp(user)
    clock.shift(timedelta(seconds=30))
    app = AppClient()

    app.post("/auth/code/request", {"email": "owner@example.com"})
    response = app.post("/auth/code/confirm", {"code": last_code("owner@example.com")})

    assert response.status_code == 401
    assert pending_flow(response.json()) == "mfa_authenticate"
    assert app.access_token is None
    assert app.post("/auth/2fa/authenticate", {"code": totp.now()}).status_code == 200


def test_browser_login_with_totp(user, clock):
    totp, _ = _activate_totp(user)
    clock.shift(timedelta(seconds=30))
    browser = BrowserClient()

    response = browser.post("/auth/login", {"email": "owner@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 401
    assert pending_flow(response.json()) == "mfa_authenticate"
    assert browser.get("/api/v1/me").status_code == 401

    # Without the CSRF token the second step is refused too.
    assert browser.post("/auth/2fa/authenticate", {"code": totp.now()}, csrf=False).status_code == 403
    response = browser.post("/auth/2fa/authenticate", {"code": totp.now()})
    assert response.status_code == 200
    assert browser.get("/api/v1/me").json()["two_fa_enabled"] is True


def test_deactivating_totp_removes_the_stage(user, clock):
    _activate_totp(user)
    app = AppClient()
    _password_login(app)
    app.post("/auth/2fa/authenticate", {"code": _recovery_codes(user)[0]})
    app.post("/auth/reauthenticate", {"password": DEFAULT_PASSWORD})

    response = app.delete("/account/authenticators/totp")

    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user, type="totp").exists()
    assert _password_login(AppClient()).status_code == 200
