"""Adding and verifying a phone number through allauth (the number later used for SMS sign-in)."""

import pytest

from aapoon.accounts.models import User
from aapoon.accounts.tests.factories import DEFAULT_PASSWORD, make_user
from aapoon.accounts.tests.test_auth_support import AppClient, last_code, messages_to
from aapoon.notifications.models import DevMailboxMessage

pytestmark = pytest.mark.django_db

PHONE = "+919812345678"


def _signed_in(email: str = "owner@example.com") -> AppClient:
    app = AppClient()
    assert app.post("/auth/login", {"email": email, "password": DEFAULT_PASSWORD}).status_code == 200
    # Changing the phone asks for the password again (ACCOUNT_REAUTHENTICATION_REQUIRED).
    assert app.post("/auth/reauthenticate", {"password": DEFAULT_PASSWORD}).status_code == 200
    return app


def test_add_and_verify_a_phone_number(user):
    app = _signed_in()

    response = app.post("/account/phone", {"phone": PHONE})

    assert response.status_code == 202
    assert response.json()["data"] == [{"phone": PHONE, "verified": False}]
    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == (None, False)  # not until the code comes back
    [sms] = messages_to(PHONE, DevMailboxMessage.Channel.SMS)

    wrong = app.post("/auth/phone/verify", {"code": "BBBB-CCCC"})
    assert wrong.status_code == 400
    response = app.post("/auth/phone/verify", {"code": last_code(PHONE, DevMailboxMessage.Channel.SMS)})

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == (PHONE, True)
    assert app.get("/account/phone").json()["data"] == [{"phone": PHONE, "verified": True}]
    assert sms.body.startswith("Your aapoon meet code is ")


def test_a_number_in_use_by_someone_else_is_never_taken(user):
    make_user(email="colleague@example.com", phone=PHONE, phone_verified=True)
    app = _signed_in()

    response = app.post("/account/phone", {"phone": PHONE})

    # The same answer as for a free number (no enumeration) ...
    assert response.status_code == 202
    # ... and the code that reaches the number's owner cannot attach it to this account.
    response = app.post("/auth/phone/verify", {"code": last_code(PHONE, DevMailboxMessage.Channel.SMS)})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "phone_taken"
    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == (None, False)


def test_an_unverified_number_signs_nobody_in(user):
    make_user(email="typo@example.com", phone=PHONE, phone_verified=False)
    app = AppClient()

    app.post("/auth/code/request", {"phone": PHONE})

    # The number's real owner is told no account uses it, and gets no code for the typo account.
    [sms] = messages_to(PHONE, DevMailboxMessage.Channel.SMS)
    assert "no account uses this number" in sms.body
    assert app.access_token is None


def test_verifying_a_number_wins_over_an_unverified_claim(user):
    claimant = make_user(email="typo@example.com", phone=PHONE, phone_verified=False)
    app = _signed_in()

    app.post("/account/phone", {"phone": PHONE})
    response = app.post("/auth/phone/verify", {"code": last_code(PHONE, DevMailboxMessage.Channel.SMS)})

    assert response.status_code == 200
    user.refresh_from_db()
    claimant.refresh_from_db()
    assert (user.phone, user.phone_verified) == (PHONE, True)
    assert claimant.phone is None


def test_a_number_saved_unverified_through_the_api_can_be_verified(user):
    User.objects.filter(pk=user.pk).update(phone=PHONE, phone_verified=False)
    app = _signed_in()

    assert app.get("/account/phone").json()["data"] == []  # allauth sees only verified numbers
    assert app.post("/account/phone", {"phone": PHONE}).status_code == 202
    response = app.post("/auth/phone/verify", {"code": last_code(PHONE, DevMailboxMessage.Channel.SMS)})

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == (PHONE, True)
