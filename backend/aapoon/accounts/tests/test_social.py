"""Google and Facebook sign-in, offline: the real allauth code paths run, and every HTTP call to the
providers is answered by `responses` with recorded payloads (tests/recorded/)."""

import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import responses
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from responses import matchers

from aapoon.accounts.models import Account, Membership, User
from aapoon.accounts.tests.factories import make_user
from aapoon.accounts.tests.test_auth_support import (
    AppClient,
    BrowserClient,
    codes_in,
    last_code,
    pending_flow,
)
from aapoon.notifications.models import DevMailboxMessage

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "recorded"
GOOGLE_CLIENT_ID = "407408718192-aapoontest.apps.googleusercontent.com"
GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
FACEBOOK_APP_ID = "1234567890123456"
FACEBOOK_SECRET = "fb-test-app-secret"
GRAPH = "https://graph.facebook.com/v19.0"
FACEBOOK_USER_TOKEN = "EAAB-recorded-user-access-token"


def recorded(name: str) -> dict:
    return json.loads((RECORDED / name).read_text())


@pytest.fixture(autouse=True)
def _providers(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {
            "APPS": [{"client_id": GOOGLE_CLIENT_ID, "secret": "google-test-secret"}],
            "SCOPE": ["profile", "email"],
            "OAUTH_PKCE_ENABLED": True,
        },
        "facebook": {
            "APPS": [{"client_id": FACEBOOK_APP_ID, "secret": FACEBOOK_SECRET}],
            "SCOPE": ["email", "public_profile"],
            "FIELDS": ["id", "email", "name", "first_name", "last_name"],
            "VERSION": "v19.0",
        },
    }


@pytest.fixture
def mocked():
    # Anything not registered (any other call to the internet) fails the test.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


# --- Google -------------------------------------------------------------------------------------


class GoogleSigner:
    """Plays Google's part: an RSA key, its certificate at the certs URL, id_tokens signed with it."""

    def __init__(self) -> None:
        self.kid = uuid.uuid4().hex
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "accounts.google.com")])
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=14))
            .sign(self.key, hashes.SHA256())
        )
        self.cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()

    def certs(self) -> dict[str, str]:
        # Google's v1 format, as recorded: {kid: PEM certificate}; ours replaces the recorded ones.
        shape = recorded("google_certs.json")
        assert all(value.startswith("-----BEGIN CERTIFICATE-----") for value in shape.values())
        return {self.kid: self.cert_pem}

    def id_token(self, key=None, **overrides: object) -> str:
        claims = recorded("google_id_token_claims.json")
        now = int(time.time())
        claims.update(iat=now, nbf=now - 300, exp=now + 3600, jti=uuid.uuid4().hex)
        claims.update(overrides)
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})


@pytest.fixture(scope="module")
def google() -> GoogleSigner:
    return GoogleSigner()


@pytest.fixture
def google_certs(mocked, google):
    return mocked.get(GOOGLE_CERTS_URL, json=google.certs())


def _google_token_login(app: AppClient, id_token: str):
    return app.post(
        "/auth/provider/token",
        {
            "provider": "google",
            "process": "login",
            "token": {"client_id": GOOGLE_CLIENT_ID, "id_token": id_token},
        },
    )


def test_google_id_token_signs_up_a_new_user(google, google_certs):
    app = AppClient()

    response = _google_token_login(app, google.id_token())

    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["is_authenticated"] is True
    assert body["data"]["methods"][0]["method"] == "socialaccount"
    assert body["data"]["methods"][0]["provider"] == "google"
    assert google_certs.call_count == 1  # the signature was checked against Google's keys
    user = User.objects.get()
    assert user.email == "asha.verma@gmail.com"
    assert user.full_name == "Asha Verma"
    assert user.signup_source == User.SignupSource.GOOGLE
    assert not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("asha.verma@gmail.com", True, True)
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("google", "109876543210987654321")
    membership = Membership.objects.select_related("account").get(user=user)
    assert membership.role == Membership.Role.OWNER
    assert membership.account.type == Account.Type.PROFESSIONAL
    assert app.me().json()["signup_source"] == "google"
    assert app.me().json()["full_name"] == "Asha Verma"
    assert not DevMailboxMessage.objects.exists()  # Google verified the email: no code needed


def test_google_second_sign_in_reuses_the_user(google, google_certs):
    first = _google_token_login(AppClient(), google.id_token())
    assert first.status_code == 200

    app = AppClient()
    response = _google_token_login(app, google.id_token(name="Asha V.", given_name="Asha", family_name="V."))

    assert response.status_code == 200
    assert response.json()["data"]["user"]["id"] == first.json()["data"]["user"]["id"]
    assert User.objects.count() == 1
    assert SocialAccount.objects.count() == 1
    assert Account.objects.count() == 1
    assert Membership.objects.count() == 1


def test_google_id_token_cannot_be_replayed(google, google_certs):
    token = google.id_token()
    assert _google_token_login(AppClient(), token).status_code == 200

    response = _google_token_login(AppClient(), token)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_token"


@pytest.mark.parametrize(
    "forgery",
    ["other_key", "other_audience", "other_issuer", "expired", "alg_none"],
)
def test_forged_google_id_tokens_are_refused(google, google_certs, forgery):
    if forgery == "other_key":
        token = google.id_token(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    elif forgery == "other_audience":
        token = google.id_token(aud="someone-else.apps.googleusercontent.com")
    elif forgery == "other_issuer":
        token = google.id_token(iss="https://evil.example.com")
    elif forgery == "expired":
        token = google.id_token(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    else:
        claims = recorded("google_id_token_claims.json")
        claims.update(exp=int(time.time()) + 3600, jti=uuid.uuid4().hex)
        token = jwt.encode(claims, None, algorithm="none", headers={"kid": google.kid})
    app = AppClient()

    response = _google_token_login(app, token)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_token"
    assert app.access_token is None
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert not Account.objects.exists()


def test_google_token_for_an_unknown_client_id_is_refused(google, google_certs):
    response = AppClient().post(
        "/auth/provider/token",
        {
            "provider": "google",
            "process": "login",
            "token": {"client_id": "other", "id_token": google.id_token()},
        },
    )
    assert response.status_code == 400
    assert not User.objects.exists()
    assert google_certs.call_count == 0


def test_google_sign_in_with_the_email_of_an_existing_user_signs_that_user_in(user, google, google_certs):
    response = _google_token_login(AppClient(), google.id_token(email="owner@example.com"))

    assert response.status_code == 200
    assert response.json()["data"]["user"]["id"] == str(user.pk)
    assert User.objects.count() == 1
    assert SocialAccount.objects.get().user == user  # connected automatically
    user.refresh_from_db()
    assert user.signup_source == User.SignupSource.EMAIL
    assert user.has_usable_password()  # the address was verified: nothing to fear
    assert Account.objects.count() == 1


def test_google_sign_in_takes_over_an_unverified_squatter_account_safely(google, google_certs):
    """Someone signed up with the victim's address but never verified it; when the victim signs in
    with Google the squatter's password is wiped."""
    squatter = make_user(email="owner@example.com", verified=False)

    app = AppClient()

    response = _google_token_login(app, google.id_token(email="owner@example.com"))

    squatter.refresh_from_db()
    assert not squatter.has_usable_password()
    assert SocialAccount.objects.get().user == squatter
    # The local address is still unverified, so its owner confirms it by code before getting in.
    assert response.status_code == 401
    assert pending_flow(response.json()) == "verify_email"
    assert app.post("/auth/email/verify", {"key": last_code("owner@example.com")}).status_code == 200
    assert app.me().json()["id"] == str(squatter.pk)


def test_google_browser_redirect_flow(google, mocked):
    token_response = recorded("google_token_response.json")
    token_response["id_token"] = google.id_token()
    token_call = mocked.post(GOOGLE_TOKEN_URL, json=token_response)
    browser = BrowserClient()

    # The web app posts a plain form (a top-level navigation), with the CSRF token.
    refused = browser.client.post(
        "/_allauth/browser/v1/auth/provider/redirect",
        {"provider": "google", "process": "login", "callback_url": "/account/provider/callback"},
    )
    assert refused.status_code == 403
    response = browser.client.post(
        "/_allauth/browser/v1/auth/provider/redirect",
        {
            "provider": "google",
            "process": "login",
            "callback_url": "/account/provider/callback",
            "csrfmiddlewaretoken": browser.csrf(),
        },
    )

    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert (
        f"{location.scheme}://{location.netloc}{location.path}"
        == "https://accounts.google.com/o/oauth2/v2/auth"
    )
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["client_id"] == GOOGLE_CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/accounts/google/login/callback/"
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert set(query["scope"].split()) == {"profile", "email"}
    state = query["state"]

    # A callback with a forged state is refused before any call to Google.
    forged = browser.client.get(
        "/accounts/google/login/callback/", {"code": "4/0AeaYSHrecorded", "state": "forged"}
    )
    assert forged.status_code == 302
    assert "error" in forged["Location"]
    assert token_call.call_count == 0
    assert not User.objects.exists()

    callback = browser.client.get(
        "/accounts/google/login/callback/", {"code": "4/0AeaYSHrecorded", "state": state}
    )

    assert callback.status_code == 302
    assert callback["Location"] == "/account/provider/callback"
    assert token_call.call_count == 1
    sent = parse_qs(token_call.calls[0].request.body)
    assert sent["code"] == ["4/0AeaYSHrecorded"]
    assert sent["client_id"] == [GOOGLE_CLIENT_ID]
    assert sent["grant_type"] == ["authorization_code"]
    assert sent["code_verifier"][0]  # PKCE
    session = browser.get("/auth/session")
    assert session.status_code == 200
    user = User.objects.get()
    assert session.json()["data"]["user"]["id"] == str(user.pk)
    assert (user.signup_source, user.full_name) == ("google", "Asha Verma")
    assert Membership.objects.get(user=user).role == Membership.Role.OWNER


# --- Facebook -----------------------------------------------------------------------------------


def _appsecret_proof(token: str) -> str:
    return hmac.new(FACEBOOK_SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def graph(mocked):
    """The Graph API calls allauth makes for a user access token, answered from recordings."""
    app_token = recorded("facebook_app_token.json")
    calls = {
        "app_token": mocked.get(
            f"{GRAPH}/oauth/access_token",
            json=app_token,
            match=[
                matchers.query_param_matcher(
                    {
                        "client_id": FACEBOOK_APP_ID,
                        "client_secret": FACEBOOK_SECRET,
                        "grant_type": "client_credentials",
                    }
                )
            ],
        ),
        "debug_token": mocked.get(
            f"{GRAPH}/debug_token",
            json=recorded("facebook_debug_token.json"),
            match=[
                matchers.query_param_matcher(
                    {"input_token": FACEBOOK_USER_TOKEN, "access_token": app_token["access_token"]}
                )
            ],
        ),
        "me": mocked.get(
            f"{GRAPH}/me",
            json=recorded("facebook_me.json"),
            match=[
                matchers.query_param_matcher(
                    {
                        "fields": "id,email,name,first_name,last_name",
                        "access_token": FACEBOOK_USER_TOKEN,
                        "appsecret_proof": _appsecret_proof(FACEBOOK_USER_TOKEN),
                    }
                )
            ],
        ),
    }
    return calls


def _facebook_token_login(app: AppClient, access_token: str = FACEBOOK_USER_TOKEN):
    return app.post(
        "/auth/provider/token",
        {
            "provider": "facebook",
            "process": "login",
            "token": {"client_id": FACEBOOK_APP_ID, "access_token": access_token},
        },
    )


def test_facebook_access_token_signs_up_a_new_user(graph):
    app = AppClient()

    response = _facebook_token_login(app)

    assert graph["debug_token"].call_count == 1
    assert graph["me"].call_count == 1
    user = User.objects.get()
    assert user.email == "ravi.kumar@example.com"
    assert user.full_name == "Ravi Kumar"
    assert user.signup_source == User.SignupSource.FACEBOOK
    assert SocialAccount.objects.get(user=user).uid == "10229876543210987"
    membership = Membership.objects.select_related("account").get(user=user)
    assert (membership.role, membership.account.type) == (Membership.Role.OWNER, Account.Type.PROFESSIONAL)
    # Facebook does not vouch for the email address, so it is verified by code before sign-in.
    assert response.status_code == 401
    assert pending_flow(response.json()) == "verify_email"
    assert app.access_token is None
    response = app.post("/auth/email/verify", {"key": last_code("ravi.kumar@example.com")})
    assert response.status_code == 200
    assert app.me().json()["signup_source"] == "facebook"
    assert app.me().json()["email_verified"] is True


def test_facebook_second_sign_in_reuses_the_user(graph):
    app = AppClient()
    _facebook_token_login(app)
    app.post("/auth/email/verify", {"key": last_code("ravi.kumar@example.com")})
    user = User.objects.get()

    again = AppClient()
    response = _facebook_token_login(again)

    assert response.status_code == 200
    assert response.json()["data"]["user"]["id"] == str(user.pk)
    assert again.me().json()["id"] == str(user.pk)
    assert User.objects.count() == 1
    assert SocialAccount.objects.count() == 1
    assert Account.objects.count() == 1
    assert graph["app_token"].call_count == 1  # the app token is cached between sign-ins


@pytest.mark.parametrize("problem", ["invalid", "other_app"])
def test_facebook_token_that_fails_inspection_is_refused(mocked, problem):
    debug = recorded("facebook_debug_token.json")
    if problem == "invalid":
        debug["data"]["is_valid"] = False
    else:
        debug["data"]["app_id"] = "9999999999999999"
    mocked.get(f"{GRAPH}/oauth/access_token", json=recorded("facebook_app_token.json"))
    mocked.get(f"{GRAPH}/debug_token", json=debug)
    me = mocked.get(f"{GRAPH}/me", json=recorded("facebook_me.json"))
    app = AppClient()

    response = _facebook_token_login(app)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_token"
    assert me.call_count == 0
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert not DevMailboxMessage.objects.exists()


def test_facebook_outage_is_a_clean_error(mocked):
    mocked.get(f"{GRAPH}/oauth/access_token", json={"error": {"message": "Service unavailable"}}, status=503)

    response = _facebook_token_login(AppClient())

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_token"
    assert not User.objects.exists()


def test_facebook_with_the_email_of_an_existing_user_does_not_sign_them_in(user, graph):
    """Facebook's email is unverified, so it never opens an existing account by itself."""
    me = recorded("facebook_me.json")
    me["email"] = "owner@example.com"
    graph["me"].body = json.dumps(me)  # type: ignore[attr-defined]
    app = AppClient()

    response = _facebook_token_login(app)

    # The same answer as a new sign-up (no enumeration); the address's owner is told instead.
    assert response.status_code == 401
    assert pending_flow(response.json()) == "verify_email"
    assert app.access_token is None
    assert User.objects.count() == 1
    assert not SocialAccount.objects.exists()
    [message] = DevMailboxMessage.objects.all()
    assert (message.to, message.subject) == ("owner@example.com", "[aapoon meet] Account Already Exists")
    assert codes_in(message) == []


def test_facebook_account_without_email_signs_up_through_the_provider_signup_form(graph):
    """People who registered with Facebook by phone have no email there: allauth asks for one."""
    me = recorded("facebook_me.json")
    del me["email"]
    graph["me"].body = json.dumps(me)  # type: ignore[attr-defined]
    app = AppClient()

    response = _facebook_token_login(app)

    assert response.status_code == 401
    assert pending_flow(response.json()) == "provider_signup"
    assert not User.objects.exists()

    response = app.post("/auth/provider/signup", {"email": "ravi@example.com"})

    assert response.status_code == 401
    assert pending_flow(response.json()) == "verify_email"
    user = User.objects.get()
    assert (user.email, user.full_name, user.signup_source) == ("ravi@example.com", "Ravi Kumar", "facebook")
    # Exactly one professional account, owned by the new user.
    assert Account.objects.count() == 1
    assert Membership.objects.get(user=user).role == Membership.Role.OWNER
    assert app.post("/auth/email/verify", {"key": last_code("ravi@example.com")}).status_code == 200
    assert app.me().json()["signup_source"] == "facebook"
