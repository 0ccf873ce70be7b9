"""Sign-up, verification, login/logout, password reset and change, change of email, login by code
(email and SMS): the real allauth headless endpoints, for both the app and the browser client."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from aapoon.accounts.models import Account, Membership, User
from aapoon.accounts.tests.factories import DEFAULT_PASSWORD, make_user
from aapoon.accounts.tests.test_auth_support import (
    AppClient,
    BrowserClient,
    code_from,
    codes_in,
    flow_ids,
    last_code,
    messages_to,
    pending_flow,
)
from aapoon.audit.models import AuditLog
from aapoon.notifications.models import DevMailboxMessage

pytestmark = pytest.mark.django_db

NEW_EMAIL = "asha@example.com"
NEW_PASSWORD = "Sunny-Meadow-71"
PHONE = "+919812345678"


def _login(app: AppClient, email: str, password: str = DEFAULT_PASSWORD):
    return app.post("/auth/login", {"email": email, "password": password})


# --- passwords ---------------------------------------------------------------------------------


def test_base_settings_hash_with_argon2_first():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    encoded = make_password("Sunny-Meadow-71", hasher=Argon2PasswordHasher())
    assert encoded.startswith("argon2$argon2id$")
    assert Argon2PasswordHasher().verify("Sunny-Meadow-71", encoded)


@pytest.mark.parametrize(
    ("password", "error_code"),
    [
        ("short1", "password_too_short"),
        ("password123", "password_too_common"),
        ("4815162342", "password_entirely_numeric"),
        ("asha@example.com", "password_too_similar"),
    ],
)
def test_signup_rejects_weak_password_and_writes_nothing(password, error_code):
    app = AppClient()

    response = app.post("/auth/signup", {"email": NEW_EMAIL, "password": password})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["param"] for e in errors} == {"password"}
    assert error_code in {e["code"] for e in errors}
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not Account.objects.exists()
    assert not DevMailboxMessage.objects.exists()


# --- sign-up and email verification by code -----------------------------------------------------


def test_signup_verify_by_code_then_user_has_own_professional_account(django_capture_on_commit_callbacks):
    app = AppClient()

    with django_capture_on_commit_callbacks(execute=True):
        response = app.post("/auth/signup", {"email": NEW_EMAIL.upper(), "password": NEW_PASSWORD})

    # Not signed in yet: the email must be verified first.
    assert response.status_code == 401
    body = response.json()
    assert body["meta"]["is_authenticated"] is False
    assert pending_flow(body) == "verify_email"
    assert "access_token" not in body["meta"]
    user = User.objects.get()
    assert user.email == "asha@example.com"  # allauth lower-cases
    assert user.signup_source == User.SignupSource.EMAIL
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified is False
    [message] = messages_to("asha@example.com")
    assert message.subject == "[aapoon meet] Please Confirm Your Email Address"
    code = code_from(message)
    assert AuditLog.objects.filter(action="signed_up", entity_id=str(user.pk), actor=user).count() == 1

    # A wrong code is refused and verifies nothing.
    wrong = app.post("/auth/email/verify", {"key": "BBBB-CCCC" if code != "BBBB-CCCC" else "DDDD-FFFF"})
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["code"] == "incorrect_code"
    assert EmailAddress.objects.get(user=user).verified is False

    response = app.post("/auth/email/verify", {"key": code})

    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["is_authenticated"] is True
    assert body["data"]["user"]["email"] == "asha@example.com"
    assert body["meta"]["access_token"] and body["meta"]["refresh_token"]
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("asha@example.com", True, True)
    membership = Membership.objects.select_related("account").get(user=user)
    assert membership.role == Membership.Role.OWNER
    assert membership.account.type == Account.Type.PROFESSIONAL
    assert membership.account.owner == user
    assert Account.objects.count() == 1

    me = app.me()
    assert me.status_code == 200
    assert me.json()["email_verified"] is True
    assert me.json()["signup_source"] == "email"


def test_signup_with_taken_email_writes_no_user_and_sends_no_code(user):
    app = AppClient()

    response = app.post("/auth/signup", {"email": "OWNER@example.com", "password": NEW_PASSWORD})

    # Same answer as a fresh sign-up (no account enumeration) ...
    assert response.status_code == 401
    assert pending_flow(response.json()) == "verify_email"
    # ... but nothing is written and the owner of the address is told, without a code.
    assert User.objects.count() == 1
    assert Account.objects.count() == 1
    [message] = messages_to("owner@example.com")
    assert "Account Already Exists" in message.subject
    assert codes_in(message) == []


def test_browser_signup_needs_csrf_and_uses_the_session_cookie():
    browser = BrowserClient()

    refused = browser.post("/auth/signup", {"email": NEW_EMAIL, "password": NEW_PASSWORD}, csrf=False)
    assert refused.status_code == 403
    assert not User.objects.exists()
    assert not DevMailboxMessage.objects.exists()

    response = browser.post("/auth/signup", {"email": NEW_EMAIL, "password": NEW_PASSWORD})
    assert response.status_code == 401
    assert pending_flow(response.json()) == "verify_email"
    assert "session_token" not in response.json()["meta"]  # the browser keeps the cookie instead

    response = browser.post("/auth/email/verify", {"key": last_code(NEW_EMAIL)})
    assert response.status_code == 200
    assert response.json()["meta"]["is_authenticated"] is True
    assert "access_token" not in response.json()["meta"]  # JWTs are for the app client only

    session = browser.get("/auth/session")
    assert session.status_code == 200
    assert session.json()["data"]["user"]["email"] == NEW_EMAIL
    me = browser.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["signup_source"] == "email"

    # Logout also needs the CSRF token.
    refused = browser.client.delete("/_allauth/browser/v1/auth/session")
    assert refused.status_code == 403
    assert browser.get("/auth/session").status_code == 200

    response = browser.delete("/auth/session")
    assert response.status_code == 401
    assert response.json()["meta"]["is_authenticated"] is False
    me = browser.get("/api/v1/me")
    assert me.status_code == 401
    assert me.json() == {"code": "not_authenticated", "message": "Sign in to continue.", "detail": None}


def test_browser_login_with_csrf(user):
    browser = BrowserClient()

    response = browser.post("/auth/login", {"email": "owner@example.com", "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    assert response.json()["data"]["user"]["id"] == str(user.pk)
    assert browser.get("/api/v1/me").json()["id"] == str(user.pk)


# --- login and logout (app client) --------------------------------------------------------------


def test_login_with_password(user):
    app = AppClient()

    response = _login(app, "Owner@Example.com")

    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["is_authenticated"] is True
    assert body["data"]["user"]["id"] == str(user.pk)
    assert body["data"]["methods"][0]["method"] == "password"
    assert set(body["meta"]) >= {"session_token", "access_token", "refresh_token"}
    assert app.me().json()["id"] == str(user.pk)
    user.refresh_from_db()
    assert user.last_login is not None


def test_login_with_wrong_password_is_refused(user):
    app = AppClient()

    response = _login(app, "owner@example.com", "Wrong-Horse-42")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "message": "The email address and/or password you specified are not correct.",
            "code": "email_password_mismatch",
            "param": "password",
        }
    ]
    assert app.session_token is None and app.access_token is None
    user.refresh_from_db()
    assert user.last_login is None


def test_login_with_unverified_email_requires_verification_first():
    make_user(email="late@example.com", verified=False)
    app = AppClient()

    response = _login(app, "late@example.com")

    assert response.status_code == 401
    assert pending_flow(response.json()) == "verify_email"
    assert app.access_token is None
    response = app.post("/auth/email/verify", {"key": last_code("late@example.com")})
    assert response.status_code == 200
    assert response.json()["meta"]["is_authenticated"] is True
    assert EmailAddress.objects.get(email="late@example.com").verified is True


def test_logout_ends_the_app_session(user):
    app = AppClient()
    _login(app, "owner@example.com")
    token = app.session_token
    assert app.get("/auth/session").status_code == 200

    response = app.delete("/auth/session")

    assert response.status_code == 401
    assert response.json()["meta"]["is_authenticated"] is False
    # The old session token is gone for good.
    stale = AppClient()
    stale.session_token = token
    assert stale.get("/auth/session").status_code == 410


# --- password reset by code ---------------------------------------------------------------------


def test_password_reset_by_code(user):
    app = AppClient()

    response = app.post("/auth/password/request", {"email": "owner@example.com"})

    assert response.status_code == 401
    assert pending_flow(response.json()) == "password_reset_by_code"
    code = last_code("owner@example.com")

    # A wrong code changes nothing.
    wrong = app.post("/auth/password/reset", {"key": "BBBB-CCCC", "password": NEW_PASSWORD})
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["code"] == "incorrect_code"
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)

    # The code can be checked first (the web app shows the password form only then) ...
    check = app.get("/auth/password/reset", headers={"X-Password-Reset-Key": code})
    assert check.status_code == 200
    assert check.json()["data"]["user"]["id"] == str(user.pk)

    # ... a weak new password is refused ...
    weak = app.post("/auth/password/reset", {"key": code, "password": "123"})
    assert weak.status_code == 400
    assert {e["param"] for e in weak.json()["errors"]} == {"password"}
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)

    # ... and a good one is set.
    response = app.post("/auth/password/reset", {"key": code, "password": NEW_PASSWORD})
    assert response.status_code == 401  # not signed in by a reset
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert _login(AppClient(), "owner@example.com", DEFAULT_PASSWORD).status_code == 400
    assert _login(AppClient(), "owner@example.com", NEW_PASSWORD).status_code == 200

    # The code was used up.
    again = app.post("/auth/password/reset", {"key": code, "password": "Another-Pass-93"})
    assert again.status_code == 409


def test_password_reset_for_unknown_email_sends_no_code():
    app = AppClient()

    response = app.post("/auth/password/request", {"email": "nobody@example.com"})

    # The same answer as for a known address, so accounts cannot be discovered this way.
    assert response.status_code == 401
    assert pending_flow(response.json()) == "password_reset_by_code"
    [message] = messages_to("nobody@example.com")
    assert "Unknown Account" in message.subject
    assert codes_in(message) == []
    assert not User.objects.exists()
    assert app.post("/auth/password/reset", {"key": "BBBB-CCCC", "password": NEW_PASSWORD}).status_code == 400
    assert not User.objects.exists()


# --- change password ----------------------------------------------------------------------------


def test_change_password(user):
    app = AppClient()
    _login(app, "owner@example.com")

    wrong = app.post(
        "/account/password/change", {"current_password": "Wrong-Horse-42", "new_password": NEW_PASSWORD}
    )
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["code"] == "enter_current_password"
    weak = app.post("/account/password/change", {"current_password": DEFAULT_PASSWORD, "new_password": "abc"})
    assert weak.status_code == 400
    assert {e["param"] for e in weak.json()["errors"]} == {"new_password"}
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)

    response = app.post(
        "/account/password/change", {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 200
    assert response.json()["meta"]["is_authenticated"] is True  # this session stays signed in
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert _login(AppClient(), "owner@example.com", NEW_PASSWORD).status_code == 200


def test_change_password_needs_a_session():
    response = AppClient().post(
        "/account/password/change", {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 401


# --- change email -------------------------------------------------------------------------------


def _confirm_password(app: AppClient) -> None:
    # Changing email or phone asks for the password again (ACCOUNT_REAUTHENTICATION_REQUIRED).
    assert app.post("/auth/reauthenticate", {"password": DEFAULT_PASSWORD}).status_code == 200


def test_change_email_asks_for_the_password_first(user):
    app = AppClient()
    _login(app, "owner@example.com")

    response = app.post("/account/email", {"email": "new-owner@example.com"})

    assert response.status_code == 401
    assert "reauthenticate" in flow_ids(response.json())
    assert messages_to("new-owner@example.com") == []
    assert not EmailAddress.objects.filter(email="new-owner@example.com").exists()


def test_change_email_becomes_primary_only_after_verification(user):
    app = AppClient()
    _login(app, "owner@example.com")
    _confirm_password(app)

    response = app.post("/account/email", {"email": "new-owner@example.com"})

    assert response.status_code == 200
    listed = {(a["email"], a["verified"], a["primary"]) for a in response.json()["data"]}
    assert listed == {("owner@example.com", True, True), ("new-owner@example.com", False, False)}
    user.refresh_from_db()
    assert user.email == "owner@example.com"
    code = last_code("new-owner@example.com")
    assert messages_to("owner@example.com") == []

    wrong = app.post("/auth/email/verify", {"key": "BBBB-CCCC" if code != "BBBB-CCCC" else "DDDD-FFFF"})
    assert wrong.status_code == 400
    user.refresh_from_db()
    assert user.email == "owner@example.com"

    response = app.post("/auth/email/verify", {"key": code})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "new-owner@example.com"
    addresses = {(a.email, a.verified, a.primary) for a in EmailAddress.objects.filter(user=user)}
    assert addresses == {("new-owner@example.com", True, True)}
    assert _login(AppClient(), "new-owner@example.com").status_code == 200
    assert _login(AppClient(), "owner@example.com").status_code == 400


def test_change_email_to_an_address_in_use_never_takes_it(user, other_user):
    app = AppClient()
    _login(app, "owner@example.com")
    _confirm_password(app)

    response = app.post("/account/email", {"email": "stranger@example.com"})

    # Enumeration prevention: the answer looks like success ...
    assert response.status_code == 200
    # ... but the address stays with its owner, and the code that was sent cannot move it.
    [message] = messages_to("stranger@example.com")
    verify = app.post("/auth/email/verify", {"key": code_from(message)})
    assert verify.status_code == 400
    assert verify.json()["errors"][0]["code"] == "email_taken"
    assert set(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == {
        "owner@example.com"
    }
    assert EmailAddress.objects.get(email="stranger@example.com").user == other_user
    user.refresh_from_db()
    assert user.email == "owner@example.com"


# --- login by code: email -----------------------------------------------------------------------


def test_login_by_email_code(user):
    app = AppClient()

    response = app.post("/auth/code/request", {"email": "owner@example.com"})

    assert response.status_code == 401
    assert pending_flow(response.json()) == "login_by_code"
    [message] = messages_to("owner@example.com")
    assert message.subject == "[aapoon meet] Sign-In Code"
    code = code_from(message)

    wrong = app.post("/auth/code/confirm", {"code": "BBBB-CCCC" if code != "BBBB-CCCC" else "DDDD-FFFF"})
    assert wrong.status_code == 400
    assert app.access_token is None

    response = app.post("/auth/code/confirm", {"code": code})

    assert response.status_code == 200
    body = response.json()
    assert body["data"]["user"]["id"] == str(user.pk)
    assert body["data"]["methods"][-1]["method"] == "code"
    assert app.me().json()["id"] == str(user.pk)


def test_login_code_for_unknown_email_logs_nobody_in():
    app = AppClient()

    response = app.post("/auth/code/request", {"email": "nobody@example.com"})

    assert response.status_code == 401
    assert pending_flow(response.json()) == "login_by_code"
    [message] = messages_to("nobody@example.com")
    assert "Unknown Account" in message.subject
    assert codes_in(message) == []
    response = app.post("/auth/code/confirm", {"code": "BBBB-CCCC"})
    assert response.status_code == 400
    assert app.access_token is None
    assert not User.objects.exists()


# --- login by code: phone (SMS) -----------------------------------------------------------------


def test_login_by_sms_code(user):
    user.phone, user.phone_verified = PHONE, True
    user.save(update_fields=["phone", "phone_verified"])
    app = AppClient()

    response = app.post("/auth/code/request", {"phone": PHONE})

    assert response.status_code == 401
    assert pending_flow(response.json()) == "login_by_code"
    [sms] = messages_to(PHONE, DevMailboxMessage.Channel.SMS)
    assert sms.subject == ""
    assert sms.body.startswith("Your aapoon meet code is ")
    assert not messages_to("owner@example.com")  # the code went by SMS only

    response = app.post("/auth/code/confirm", {"code": code_from(sms)})

    assert response.status_code == 200
    assert response.json()["data"]["user"]["id"] == str(user.pk)
    assert app.me().json()["phone"] == PHONE


def test_login_by_phone_and_password(user):
    user.phone, user.phone_verified = PHONE, True
    user.save(update_fields=["phone", "phone_verified"])

    response = AppClient().post("/auth/login", {"phone": PHONE, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    assert response.json()["data"]["user"]["id"] == str(user.pk)


def test_sms_code_for_unknown_phone_logs_nobody_in(user):
    app = AppClient()

    response = app.post("/auth/code/request", {"phone": PHONE})

    # Same answer as for a known number; the phone's owner learns no account uses it.
    assert response.status_code == 401
    assert pending_flow(response.json()) == "login_by_code"
    [sms] = messages_to(PHONE, DevMailboxMessage.Channel.SMS)
    assert sms.body == "Someone asked for an aapoon meet code, but no account uses this number."
    response = app.post("/auth/code/confirm", {"code": "BBBB-CCCC"})
    assert response.status_code == 400
    assert app.access_token is None
    assert User.objects.get() == user
    assert DevMailboxMessage.objects.filter(channel="email").count() == 0
