"""JWTs for the app client: issued after full authentication, checked by /api/v1 on every request
(signature, algorithm, expiry, the session behind them), refreshed with rotation."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import jwt
import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.test import Client
from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.accounts.tests.factories import DEFAULT_PASSWORD
from aapoon.accounts.tests.test_auth_support import ME, AppClient

pytestmark = pytest.mark.django_db

NOT_AUTHENTICATED = {"code": "not_authenticated", "message": "Sign in to continue.", "detail": None}


@pytest.fixture
def app(user):
    app = AppClient()
    response = app.post("/auth/login", {"email": "owner@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    return app


def _me(token: str, scheme: str = "Bearer"):
    return Client().get(ME, headers={"Authorization": f"{scheme} {token}"})


def _assert_refused(token: str) -> None:
    response = _me(token)
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _parts(token: str) -> tuple[dict, dict, str]:
    header, payload, signature = token.split(".")
    return json.loads(_unb64(header)), json.loads(_unb64(payload)), signature


def _real_key():
    return serialization.load_pem_private_key(settings.HEADLESS_JWT_PRIVATE_KEY.encode(), password=None)


def test_full_authentication_issues_a_token_pair_that_opens_the_api(app, user):
    header, payload, _ = _parts(app.access_token)
    assert header["alg"] == "RS256"
    assert header["kid"]
    assert payload["sub"] == str(user.pk)
    assert payload["token_use"] == "access"
    assert payload["exp"] - payload["iat"] == settings.HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN == 300
    assert _parts(app.refresh_token)[1]["token_use"] == "refresh"

    response = _me(app.access_token)

    assert response.status_code == 200
    assert response.json()["id"] == str(user.pk)
    assert response.json()["email"] == "owner@example.com"


def test_no_token_or_a_pending_login_gives_no_token(user):
    response = Client().get(ME)
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED

    # Half-way through a login (code requested, not confirmed) there is no JWT yet.
    app = AppClient()
    response = app.post("/auth/code/request", {"email": "owner@example.com"})
    assert response.status_code == 401
    assert "access_token" not in response.json()["meta"]
    assert app.access_token is None


def test_the_session_token_alone_is_not_an_api_credential(app):
    response = Client().get(ME, headers={"X-Session-Token": app.session_token})
    assert response.status_code == 401
    _assert_refused(app.session_token)


def test_expired_access_token_is_refused_and_refresh_gives_a_working_one(app, user):
    with time_machine.travel(timezone.now() + timedelta(seconds=301), tick=False):
        _assert_refused(app.access_token)

        response = app.post("/tokens/refresh", {"refresh_token": app.refresh_token})

        assert response.status_code == 200
        fresh = response.json()["data"]["access_token"]
        assert _me(fresh).json()["id"] == str(user.pk)


def test_expired_refresh_token_is_refused(app):
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        response = AppClient().post("/tokens/refresh", {"refresh_token": app.refresh_token})
    assert response.status_code == 400
    assert "data" not in response.json()


def test_token_signed_by_another_key_is_refused(app):
    header, payload, _ = _parts(app.access_token)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    forged = jwt.encode(payload, stranger, algorithm="RS256", headers={"kid": header["kid"]})

    _assert_refused(forged)


def test_unsigned_alg_none_token_is_refused(app):
    _, payload, _ = _parts(app.access_token)

    forged = (
        f"{_b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(payload).encode())}."
    )

    _assert_refused(forged)
    _assert_refused(forged.rstrip(".") + ".c2lnbmF0dXJl")


def test_hs256_token_keyed_with_the_public_key_is_refused(app):
    """The classic algorithm-confusion attack: HMAC with the (public) RSA verification key."""
    _, payload, _ = _parts(app.access_token)
    public_pem = (
        _real_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(payload).encode())
    signature = _b64(hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest())

    _assert_refused(f"{header}.{body}.{signature}")


def test_tampered_payload_is_refused(app, other_user):
    header, payload, signature = app.access_token.split(".")
    claims = json.loads(_unb64(payload))
    claims["sub"] = str(other_user.pk)

    _assert_refused(f"{header}.{_b64(json.dumps(claims).encode())}.{signature}")


def test_a_validly_signed_token_for_another_user_of_the_session_is_refused(app, other_user):
    """Even with the real key, the sub must match the user signed in to the session (stateful)."""
    header, claims, _ = _parts(app.access_token)
    claims["sub"] = str(other_user.pk)

    forged = jwt.encode(claims, _real_key(), algorithm="RS256", headers={"kid": header["kid"]})

    _assert_refused(forged)


def test_refresh_token_is_not_an_access_token(app):
    _assert_refused(app.refresh_token)


def test_wrong_scheme_is_refused(app):
    response = _me(app.access_token, scheme="Token")
    assert response.status_code == 401


def test_logout_revokes_the_access_and_refresh_tokens(app):
    access, refresh = app.access_token, app.refresh_token
    assert _me(access).status_code == 200

    response = app.delete("/auth/session")

    assert response.status_code == 401
    _assert_refused(access)
    assert AppClient().post("/tokens/refresh", {"refresh_token": refresh}).status_code == 400


def test_logout_with_only_the_access_token(app):
    """An app that kept only the JWT can still sign out: the token names its session."""
    access = app.access_token
    anonymous = AppClient()

    response = anonymous.delete("/auth/session", headers={"Authorization": f"Bearer {access}"})

    assert response.status_code == 401
    _assert_refused(access)


def test_refresh_rotates_the_refresh_token(app, user):
    old_access, old_refresh = app.access_token, app.refresh_token

    response = AppClient().post("/tokens/refresh", {"refresh_token": old_refresh})

    assert response.status_code == 200
    data = response.json()["data"]
    new_access, new_refresh = data["access_token"], data["refresh_token"]
    assert new_access != old_access and new_refresh != old_refresh
    assert _me(new_access).json()["id"] == str(user.pk)
    assert _me(old_access).status_code == 200  # the old access token lives until it expires

    # The old refresh token was used up ...
    reused = AppClient().post("/tokens/refresh", {"refresh_token": old_refresh})
    assert reused.status_code == 400
    assert "data" not in reused.json()
    # ... the new one works, once.
    assert AppClient().post("/tokens/refresh", {"refresh_token": new_refresh}).status_code == 200
    assert AppClient().post("/tokens/refresh", {"refresh_token": new_refresh}).status_code == 400


def test_an_access_token_cannot_refresh(app):
    response = AppClient().post("/tokens/refresh", {"refresh_token": app.access_token})
    assert response.status_code == 400


def test_a_suspended_user_can_neither_use_old_tokens_nor_sign_in_again(app, user):
    assert _me(app.access_token).status_code == 200

    user.status = User.Status.SUSPENDED
    user.save(update_fields=["status"])

    _assert_refused(app.access_token)
    again = AppClient().post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert again.status_code != 200
    assert "access_token" not in again.json().get("meta", {})
