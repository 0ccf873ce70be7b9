"""The /api/v1 accounts endpoints: exact outcomes, tenant scoping, and no writes on bad input.

Most tests sign in with the session (``client.force_login``); the ``jwt_client`` ones go through
allauth's app login and send the access token in the Authorization header, so both auth modes
are proven on this router.
"""

import hashlib
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from aapoon.accounts.models import Account, Address, BankAccount, Membership, User
from aapoon.accounts.tests.factories import DEFAULT_PASSWORD, make_user
from aapoon.audit.models import AuditLog
from aapoon.core.crypto import decrypt
from aapoon.files.models import StoredFile

API = "/api/v1"
ME = f"{API}/me"
AVATAR = f"{ME}/avatar"
ADDRESSES = f"{ME}/addresses"
BANK = f"{ME}/bank-account"
ACCOUNTS = f"{API}/accounts"
MISSING_ID = "01900000-0000-7000-8000-000000000000"

ACCOUNT_NUMBER = "123456789012"
VALID_ADDRESS: dict[str, Any] = {
    "name": "Asha Rao",
    "phone": "+91 98123 45678",
    "line1": "12 MG Road",
    "line2": "Floor 3",
    "locality": "Indiranagar",
    "city": "Bengaluru",
    "state": "Karnataka",
    "postal_code": "560038",
    "country": "in",
    "lat": "12.971599",
    "lng": "77.594566",
}


# --- helpers ---------------------------------------------------------------------------------


def send(client: Client, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
    """JSON request; `body` that is a str goes out as-is (for malformed JSON)."""
    method = method.lower()
    if method in {"get", "delete"} and body is not None:
        body = None  # these carry no body
    data = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
    if data is None:
        return getattr(client, method)(path, **kwargs)
    return getattr(client, method)(path, data=data, content_type="application/json", **kwargs)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "detail"}, body
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


def image_bytes(fmt: str, size: tuple[int, int] = (48, 32)) -> bytes:
    buffer = io.BytesIO()
    # Noise, so JPEG/WebP are large enough that cutting them in half really truncates the data.
    Image.effect_noise(size, 60).convert("RGB").save(buffer, fmt)
    return buffer.getvalue()


def upload(client: Client, content: bytes, name: str = "me.png", **kwargs: Any) -> Any:
    return client.post(AVATAR, {"file": SimpleUploadedFile(name, content)}, **kwargs)


def db_state() -> dict[str, Any]:
    """Row counts plus every mutable column of the tables these endpoints write."""
    return {
        "users": list(
            User.objects.order_by("pk").values_list(
                "pk",
                "full_name",
                "display_name",
                "phone",
                "phone_verified",
                "timezone",
                "avatar_id",
                "updated_at",
            )
        ),
        "addresses": list(Address.objects.order_by("pk").values()),
        "banks": list(BankAccount.objects.order_by("pk").values()),
        "accounts": list(Account.objects.order_by("pk").values()),
        "memberships": list(
            Membership.objects.order_by("pk").values_list("pk", "account_id", "user_id", "role")
        ),
        "files": list(StoredFile.objects.order_by("pk").values_list("pk", "storage_key", "sha256")),
        "audit": AuditLog.objects.count(),
    }


@pytest.fixture
def api(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def jwt_login(email: str, password: str = DEFAULT_PASSWORD) -> str:
    response = Client().post(
        "/_allauth/app/v1/auth/login",
        {"email": email, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["access_token"]
    assert token.count(".") == 2  # a JWT, not an opaque session token
    return token


@pytest.fixture
def jwt_client(user: User) -> Client:
    """No cookies at all: only the Authorization header authenticates."""
    return Client(headers={"Authorization": f"Bearer {jwt_login(user.email)}"})


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def media_files() -> Iterator[Any]:
    """Names of the avatar files present in storage (this test's own MEDIA_ROOT), as a callable."""

    def listing() -> set[str]:
        if not default_storage.exists("avatar"):
            return set()
        return {f"avatar/{name}" for name in default_storage.listdir("avatar")[1]}

    yield listing


def own_account(user: User) -> Account:
    return Account.objects.get(owner=user, type=Account.Type.PROFESSIONAL)


def business_with(owner: User, **roles: User) -> Account:
    """A business owned by `owner`; `roles` maps a role name to one more member."""
    account = Account.objects.create(type=Account.Type.BUSINESS, owner=owner, business_name="Acme")
    Membership.objects.create(account=account, user=owner, role=Membership.Role.OWNER)
    for role, member in roles.items():
        Membership.objects.create(account=account, user=member, role=role)
    return account


def make_address(user: User, **fields: Any) -> Address:
    values = {"name": "Home", "line1": "1 Main St", "city": "Pune", "postal_code": "411001", "country": "IN"}
    return Address.objects.create(user=user, **{**values, **fields})


# --- authentication --------------------------------------------------------------------------

EVERY_ENDPOINT = [
    ("get", ME),
    ("patch", ME),
    ("post", AVATAR),
    ("get", AVATAR),
    ("delete", AVATAR),
    ("get", ADDRESSES),
    ("post", ADDRESSES),
    ("get", f"{ADDRESSES}/{MISSING_ID}"),
    ("patch", f"{ADDRESSES}/{MISSING_ID}"),
    ("delete", f"{ADDRESSES}/{MISSING_ID}"),
    ("get", BANK),
    ("put", BANK),
    ("get", ACCOUNTS),
    ("patch", f"{ACCOUNTS}/{MISSING_ID}"),
]


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
def test_every_endpoint_needs_sign_in(client, user, method, path):
    before = db_state()
    response = send(client, method, path, {"full_name": "Intruder"})
    assert_error(response, 401, "not_authenticated")
    assert db_state() == before


@pytest.mark.parametrize("token", ["garbage", "a.b.c", ""])
def test_a_bad_bearer_token_is_401_not_500(client, user, token):
    response = client.get(ME, headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401, "not_authenticated")


def test_a_revoked_jwt_no_longer_authenticates(user):
    token = jwt_login(user.email)
    app = Client(headers={"Authorization": f"Bearer {token}"})
    assert app.get(ME).status_code == 200
    # Stateful validation: ending the allauth session revokes its access tokens.
    Session.objects.all().delete()
    UserSession.objects.all().delete()
    assert_error(app.get(ME), 401, "not_authenticated")


# --- /me -------------------------------------------------------------------------------------


def test_me_get_with_session(api, user):
    response = api.get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "id": str(user.pk),
        "email": "owner@example.com",
        "email_verified": True,
        "full_name": "",
        "display_name": "",
        "phone": None,
        "phone_verified": False,
        "timezone": "UTC",
        "status": "active",
        "signup_source": "email",
        "two_fa_enabled": False,
        "has_avatar": False,
        "is_staff": False,
    }


def test_me_get_and_patch_with_jwt(jwt_client, user):
    assert "sessionid" not in jwt_client.cookies
    response = jwt_client.get(ME)
    assert response.status_code == 200
    assert response.json()["id"] == str(user.pk)
    response = send(jwt_client, "patch", ME, {"display_name": "Asha"})
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.display_name == "Asha"


def test_me_patch_names_and_timezone(api, user):
    response = send(
        api, "patch", ME, {"full_name": "  Asha Rao  ", "display_name": " Asha ", "timezone": "Asia/Kolkata"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["full_name"], body["display_name"], body["timezone"]) == ("Asha Rao", "Asha", "Asia/Kolkata")
    user.refresh_from_db()
    assert (user.full_name, user.display_name, user.timezone) == ("Asha Rao", "Asha", "Asia/Kolkata")


def test_me_patch_only_touches_the_fields_sent(api, user):
    User.objects.filter(pk=user.pk).update(full_name="Asha Rao", timezone="Europe/Paris")
    response = send(api, "patch", ME, {"display_name": "A"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.full_name, user.display_name, user.timezone) == ("Asha Rao", "A", "Europe/Paris")


@pytest.mark.parametrize(
    "raw",
    ["+91 98123 45678", "+91-98123-45678", "+919812345678", "+91 (981) 234-5678"],
)
def test_me_phone_is_normalised_to_e164_and_needs_verification_again(api, user, raw):
    User.objects.filter(pk=user.pk).update(phone="+14155550100", phone_verified=True)
    response = send(api, "patch", ME, {"phone": raw})
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "+919812345678"
    assert response.json()["phone_verified"] is False
    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == ("+919812345678", False)


def test_me_same_phone_again_keeps_it_verified(api, user):
    User.objects.filter(pk=user.pk).update(phone="+919812345678", phone_verified=True)
    response = send(api, "patch", ME, {"phone": "+91 98123 45678"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == ("+919812345678", True)


def test_me_empty_phone_removes_it(api, user):
    User.objects.filter(pk=user.pk).update(phone="+919812345678", phone_verified=True)
    response = send(api, "patch", ME, {"phone": ""})
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == (None, False)


def test_me_phone_taken_by_another_user_is_409_and_nothing_changes(api, user, other_user):
    User.objects.filter(pk=other_user.pk).update(phone="+919812345678")
    before = db_state()
    response = send(api, "patch", ME, {"full_name": "Asha", "phone": "+91 98123 45678"})
    assert_error(response, 409, "conflict")
    assert db_state() == before
    # The failed request did not poison the session user: a later valid change works.
    assert send(api, "patch", ME, {"full_name": "Asha"}).status_code == 200


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"phone": "9812345678"}, 400, "invalid_input"),  # no country code
        ({"phone": "+91 12"}, 400, "invalid_input"),  # not a valid number
        ({"phone": "call me"}, 400, "invalid_input"),
        ({"timezone": "Mars/Olympus_Mons"}, 400, "invalid_input"),
        ({"timezone": ""}, 400, "invalid_input"),
        ({"full_name": "Asha", "timezone": "Nowhere"}, 400, "invalid_input"),  # all or nothing
        ({"full_name": "x" * 151}, 422, "validation_error"),
        ({"display_name": "x" * 81}, 422, "validation_error"),
        ({"phone": "+" + "1" * 32}, 422, "validation_error"),
        ({"timezone": "x" * 65}, 422, "validation_error"),
        ({"full_name": 123}, 422, "validation_error"),
        ({"display_name": ["a"]}, 422, "validation_error"),
        ({"timezone": {"name": "UTC"}}, 422, "validation_error"),
        ({"full_name": "As\x00ha"}, 422, "validation_error"),  # PostgreSQL can't store NUL
        ("{not json", 400, None),
        ('{"full_name": "Asha"', 400, None),
    ],
)
def test_me_patch_bad_input_writes_nothing(api, user, payload, status, code):
    before = db_state()
    response = send(api, "patch", ME, payload)
    body = assert_error(response, status, code)
    if status == 422:
        assert body["detail"] and all({"loc", "msg"} <= set(item) for item in body["detail"])
    assert db_state() == before


# --- avatar ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "mime"),
    [("PNG", "me.png", "image/png"), ("JPEG", "me.jpg", "image/jpeg"), ("WEBP", "me.webp", "image/webp")],
)
def test_avatar_upload_stores_the_file_and_serves_it_to_its_owner(api, user, media_files, fmt, name, mime):
    content = image_bytes(fmt)
    response = upload(api, content, name)
    assert response.status_code == 200, response.content
    assert response.json()["has_avatar"] is True

    stored = StoredFile.objects.get()
    user.refresh_from_db()
    assert user.avatar_id == stored.pk
    assert stored.owner_id == user.pk
    assert stored.kind == StoredFile.Kind.AVATAR
    assert stored.mime_type == mime
    assert stored.size_bytes == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.original_name == name
    assert stored.storage_key.startswith("avatar/")
    assert stored.storage_key.endswith({"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}[fmt])
    assert name not in stored.storage_key  # the key is unguessable, not the user's file name
    with default_storage.open(stored.storage_key) as fh:
        assert fh.read() == content
    assert media_files() == {stored.storage_key}

    served = api.get(AVATAR)
    assert served.status_code == 200
    assert served["Content-Type"] == mime
    assert served["Cache-Control"] == "private, max-age=300"
    assert b"".join(served.streaming_content) == content


def test_avatar_upload_with_jwt(jwt_client, user):
    response = jwt_client.post(AVATAR, {"file": SimpleUploadedFile("me.png", image_bytes("PNG"))})
    assert response.status_code == 200, response.content
    assert StoredFile.objects.get().owner_id == user.pk


def _truncated(fmt: str) -> bytes:
    content = image_bytes(fmt, size=(128, 128))
    return content[: len(content) // 2]


NOT_ACCEPTABLE_IMAGES = {
    "text-renamed-png": (lambda: b"hello, I am a text file pretending to be a picture\n" * 3, "notes.png"),
    "empty": (lambda: b"", "empty.png"),
    "png-signature-only": (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "header-only.png"),
    "truncated-png": (lambda: _truncated("PNG"), "cut.png"),
    "truncated-jpeg": (lambda: _truncated("JPEG"), "cut.jpg"),
    "truncated-webp": (lambda: _truncated("WEBP"), "cut.webp"),
    "gif": (lambda: image_bytes("GIF"), "anim.gif"),
    "bmp": (lambda: image_bytes("BMP"), "old.bmp"),
    "svg": (lambda: b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.png"),
}


@pytest.mark.parametrize("case", NOT_ACCEPTABLE_IMAGES)
def test_avatar_upload_rejects_what_is_not_an_acceptable_image(api, user, media_files, case):
    make_content, name = NOT_ACCEPTABLE_IMAGES[case]
    before = db_state()
    response = upload(api, make_content(), name)
    assert_error(response, 400, "invalid_input")
    assert db_state() == before
    assert media_files() == set()


def test_avatar_upload_rejects_an_oversized_file(api, user, media_files, settings):
    content = image_bytes("PNG", size=(64, 64))
    settings.AVATAR_MAX_BYTES = len(content) - 1
    before = db_state()
    body = assert_error(upload(api, content), 400, "invalid_input")
    assert body["detail"] == {"max_bytes": len(content) - 1}
    assert db_state() == before
    assert media_files() == set()
    settings.AVATAR_MAX_BYTES = len(content)
    assert upload(api, content).status_code == 200


def test_avatar_upload_rejects_huge_dimensions_in_a_small_file(api, user, media_files):
    buffer = io.BytesIO()
    Image.new("1", (6000, 6000)).save(buffer, "PNG")  # 36 Mpx of one colour compresses to a few KB
    before = db_state()
    assert_error(upload(api, buffer.getvalue()), 400, "invalid_input")
    assert db_state() == before
    assert media_files() == set()


def test_avatar_upload_without_the_file_field_is_422(api, user):
    before = db_state()
    response = api.post(AVATAR, {"picture": SimpleUploadedFile("me.png", image_bytes("PNG"))})
    assert_error(response, 422, "validation_error")
    assert db_state() == before


def test_avatar_replace_deletes_the_old_file(api, user, media_files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(api, image_bytes("PNG")).status_code == 200
    first = StoredFile.objects.get()
    new_content = image_bytes("JPEG")
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(api, new_content, "new.jpg").status_code == 200
    second = StoredFile.objects.get()
    assert second.pk != first.pk
    assert not default_storage.exists(first.storage_key)
    assert media_files() == {second.storage_key}
    user.refresh_from_db()
    assert user.avatar_id == second.pk
    assert b"".join(api.get(AVATAR).streaming_content) == new_content


def test_a_rejected_upload_keeps_the_current_avatar(api, user, media_files):
    content = image_bytes("PNG")
    assert upload(api, content).status_code == 200
    before = db_state()
    files = media_files()
    assert_error(upload(api, b"not an image", "x.png"), 400, "invalid_input")
    assert db_state() == before
    assert media_files() == files
    assert b"".join(api.get(AVATAR).streaming_content) == content


def test_avatar_get_without_one_is_404(api):
    assert_error(api.get(AVATAR), 404, "not_found")


def test_avatar_delete_removes_row_and_file(api, user, media_files, django_capture_on_commit_callbacks):
    assert upload(api, image_bytes("PNG")).status_code == 200
    key = StoredFile.objects.get().storage_key
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(AVATAR)
    assert response.status_code == 204
    assert response.content == b""
    assert StoredFile.objects.count() == 0
    assert not default_storage.exists(key)
    assert media_files() == set()
    user.refresh_from_db()
    assert user.avatar_id is None
    assert api.get(ME).json()["has_avatar"] is False
    assert_error(api.get(AVATAR), 404, "not_found")
    # Deleting again is harmless.
    assert api.delete(AVATAR).status_code == 204


def test_another_users_avatar_is_not_reachable(client, user, other_user):
    client.force_login(user)
    content = image_bytes("PNG")
    assert upload(client, content).status_code == 200
    key = StoredFile.objects.get().storage_key

    stranger = Client()
    stranger.force_login(other_user)
    # /me/avatar is always the caller's own picture ...
    assert_error(stranger.get(AVATAR), 404, "not_found")
    # ... deleting "my" avatar does not touch someone else's ...
    assert stranger.delete(AVATAR).status_code == 204
    assert StoredFile.objects.filter(owner=user).count() == 1
    # ... and the storage key is not served as a public media URL, signed in or not.
    for anyone in (stranger, Client(), client):
        response = anyone.get(f"/media/{key}")
        assert response.status_code == 404
        assert content not in response.content


# --- addresses -------------------------------------------------------------------------------


def test_address_create_cleans_and_returns_it(api, user):
    response = send(api, "post", ADDRESSES, VALID_ADDRESS)
    assert response.status_code == 201, response.content
    body = response.json()
    address = Address.objects.get()
    assert body == {
        **VALID_ADDRESS,
        "id": str(address.pk),
        "phone": "+919812345678",
        "country": "IN",
    }
    assert address.user_id == user.pk
    assert (address.phone, address.country) == ("+919812345678", "IN")
    assert (address.lat, address.lng) == (Decimal("12.971599"), Decimal("77.594566"))


def test_address_create_with_only_required_fields(api, user):
    payload = {"name": "Home", "line1": "1 Main St", "city": "Pune", "postal_code": "411001", "country": "IN"}
    response = send(api, "post", ADDRESSES, payload)
    assert response.status_code == 201
    address = Address.objects.get()
    assert (address.phone, address.line2, address.lat, address.lng) == ("", "", None, None)


def test_address_list_get_patch_delete(api, user):
    first = make_address(user, name="Home")
    second = make_address(user, name="Office")

    listed = api.get(ADDRESSES)
    assert listed.status_code == 200
    assert listed.json()["count"] == 2
    assert [a["id"] for a in listed.json()["items"]] == [str(first.pk), str(second.pk)]

    got = api.get(f"{ADDRESSES}/{second.pk}")
    assert got.status_code == 200
    assert got.json()["name"] == "Office"

    patched = send(api, "patch", f"{ADDRESSES}/{second.pk}", {"city": "Mumbai", "country": "in", "lat": None})
    assert patched.status_code == 200, patched.content
    second.refresh_from_db()
    assert (second.city, second.country, second.name, second.lat) == ("Mumbai", "IN", "Office", None)

    assert api.delete(f"{ADDRESSES}/{first.pk}").status_code == 204
    assert list(Address.objects.values_list("pk", flat=True)) == [second.pk]
    assert_error(api.get(f"{ADDRESSES}/{first.pk}"), 404, "not_found")


def test_addresses_with_jwt(jwt_client, user):
    response = send(jwt_client, "post", ADDRESSES, VALID_ADDRESS)
    assert response.status_code == 201
    address_id = response.json()["id"]
    assert [a["id"] for a in jwt_client.get(ADDRESSES).json()["items"]] == [address_id]
    assert send(jwt_client, "patch", f"{ADDRESSES}/{address_id}", {"city": "Mysuru"}).status_code == 200
    assert jwt_client.delete(f"{ADDRESSES}/{address_id}").status_code == 204
    assert not Address.objects.exists()


def test_address_list_shows_only_the_callers_addresses(api, user, other_user):
    mine = make_address(user)
    make_address(other_user)
    assert api.get(ADDRESSES).json() == {"count": 1, "items": [api.get(f"{ADDRESSES}/{mine.pk}").json()]}


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_users_address_is_404_and_unchanged(api, user, other_user, method):
    theirs = make_address(other_user, city="Chennai")
    before = db_state()
    response = send(api, method, f"{ADDRESSES}/{theirs.pk}", {"city": "Hacked"})
    assert_error(response, 404, "not_found")
    assert db_state() == before


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", "01900000-0000-7000-8000-00000000000Z", MISSING_ID])
def test_address_with_bad_or_unknown_id_is_404(api, user, method, bad_id):
    make_address(user)
    before = db_state()
    response = send(api, method, f"{ADDRESSES}/{bad_id}", {"city": "X"})
    assert_error(response, 404, "not_found")
    assert db_state() == before


ADDRESS_BAD_INPUT = [
    ({"country": "IND"}, 422),
    ({"country": "1A"}, 400),
    ({"country": "I"}, 422),
    ({"lat": "91"}, 400),
    ({"lat": "-90.5"}, 400),
    ({"lng": "180.000001"}, 400),
    ({"lat": "12.1234567"}, 422),  # more decimals than the column holds
    ({"lat": "abc"}, 422),
    ({"phone": "12345"}, 400),
    ({"phone": "+91 12"}, 400),
    ({"name": ""}, 422),
    ({"name": "x" * 151}, 422),
    ({"line1": "x" * 201}, 422),
    ({"postal_code": "x" * 21}, 422),
    ({"city": 42}, 422),
    ({"line2": ["a"]}, 422),
    ({"line1": "12\x00 Road"}, 422),
]


@pytest.mark.parametrize(("change", "status"), ADDRESS_BAD_INPUT)
def test_address_create_bad_input_writes_nothing(api, user, change, status):
    before = db_state()
    response = send(api, "post", ADDRESSES, {**VALID_ADDRESS, **change})
    assert_error(response, status)
    assert db_state() == before


@pytest.mark.parametrize("missing", ["name", "line1", "city", "postal_code", "country"])
def test_address_create_without_a_required_field_is_422(api, user, missing):
    payload = {k: v for k, v in VALID_ADDRESS.items() if k != missing}
    assert_error(send(api, "post", ADDRESSES, payload), 422, "validation_error")
    assert not Address.objects.exists()


@pytest.mark.parametrize(
    ("change", "status"),
    [
        *ADDRESS_BAD_INPUT,
        ({"name": None}, 400),
        ({"line2": None}, 400),
        ({"country": None}, 400),
        ({"phone": None}, 400),
        ("{oops", 400),
    ],
)
def test_address_patch_bad_input_changes_nothing(api, user, change, status):
    address = make_address(user)
    before = db_state()
    response = send(api, "patch", f"{ADDRESSES}/{address.pk}", change)
    assert_error(response, status)
    assert db_state() == before


@pytest.mark.parametrize("body", ["{oops", "[]", '"text"'])
def test_address_create_non_object_body_writes_nothing(api, user, body):
    before = db_state()
    response = send(api, "post", ADDRESSES, body)
    assert 400 <= response.status_code < 500
    assert_error(response, response.status_code)
    assert db_state() == before


# --- bank account ----------------------------------------------------------------------------


def _assert_number_absent(content: bytes | str) -> None:
    text = content.decode() if isinstance(content, bytes) else content
    assert ACCOUNT_NUMBER not in text
    assert ACCOUNT_NUMBER[:-4] not in text


def test_bank_account_put_shows_only_the_last_four(api, user):
    response = send(
        api,
        "put",
        BANK,
        {"holder_name": " Asha Rao ", "account_number": "1234 5678-9012", "ifsc": "sbin0001234"},
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "holder_name": "Asha Rao",
        "account_number_last4": "9012",
        "ifsc": "SBIN0001234",
    }
    _assert_number_absent(response.content)

    bank = BankAccount.objects.get()
    assert bank.user_id == user.pk
    assert bank.account_number_last4 == "9012"
    # The column holds ciphertext that decrypts to the number, never the number itself.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT account_number_encrypted FROM {BankAccount._meta.db_table} WHERE id = %s",  # noqa: S608
            [bank.pk.hex if connection.vendor == "sqlite" else bank.pk],
        )
        (raw,) = cursor.fetchone()
    assert raw == bank.account_number_encrypted
    _assert_number_absent(raw)
    assert decrypt(raw) == ACCOUNT_NUMBER


def test_bank_account_get_and_every_other_output_hide_the_number(api, user):
    assert (
        send(
            api, "put", BANK, {"holder_name": "Asha", "account_number": ACCOUNT_NUMBER, "ifsc": "SBIN0001234"}
        ).status_code
        == 200
    )
    got = api.get(BANK)
    assert got.status_code == 200
    assert got.json() == {"holder_name": "Asha", "account_number_last4": "9012", "ifsc": "SBIN0001234"}
    for path in (ME, BANK, ACCOUNTS, ADDRESSES):
        _assert_number_absent(api.get(path).content)
    for row in AuditLog.objects.all():
        _assert_number_absent(json.dumps([row.before, row.after]))


def test_bank_account_put_again_replaces_it(api, user):
    payload = {"holder_name": "Asha", "account_number": ACCOUNT_NUMBER, "ifsc": "SBIN0001234"}
    assert send(api, "put", BANK, payload).status_code == 200
    response = send(api, "put", BANK, {**payload, "account_number": "99887766", "ifsc": "HDFC0000123"})
    assert response.json() == {"holder_name": "Asha", "account_number_last4": "7766", "ifsc": "HDFC0000123"}
    bank = BankAccount.objects.get()
    assert decrypt(bank.account_number_encrypted) == "99887766"


def test_bank_account_with_jwt(jwt_client, user):
    payload = {"holder_name": "Asha", "account_number": ACCOUNT_NUMBER, "ifsc": "SBIN0001234"}
    assert send(jwt_client, "put", BANK, payload).status_code == 200
    assert jwt_client.get(BANK).json()["account_number_last4"] == "9012"


def test_bank_account_get_before_any_is_404(api):
    assert_error(api.get(BANK), 404, "not_found")


def test_bank_account_is_per_user(api, user, other_user):
    BankAccount.objects.create(
        user=other_user,
        holder_name="Them",
        account_number_encrypted="x",
        account_number_last4="4321",
        ifsc="X",
    )
    assert_error(api.get(BANK), 404, "not_found")


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"ifsc": "SBIN1001234"}, 400),  # fifth character must be 0
        ({"ifsc": "1234SBIN567"}, 400),
        ({"ifsc": "SBIN000123"}, 422),  # too short
        ({"ifsc": "SBIN00012345"}, 422),  # too long
        ({"account_number": "12ab5678"}, 400),
        ({"account_number": "12345"}, 422),
        ({"account_number": "1234567890123456789"}, 400),  # 19 digits
        ({"account_number": "1" * 25}, 422),
        ({"account_number": "------"}, 400),
        ({"account_number": 123456789012}, 422),
        ({"holder_name": "   "}, 400),
        ({"holder_name": ""}, 422),
        ({"holder_name": "x" * 151}, 422),
        ({"ifsc": None}, 422),
    ],
)
def test_bank_account_bad_input_writes_nothing(api, user, change, status):
    existing = {"holder_name": "Asha", "account_number": "99887766", "ifsc": "HDFC0000123"}
    assert send(api, "put", BANK, existing).status_code == 200
    before = db_state()
    response = send(api, "put", BANK, {**existing, "account_number": ACCOUNT_NUMBER, **change})
    body = assert_error(response, status)
    _assert_number_absent(response.content)  # the error does not echo the number back
    assert ACCOUNT_NUMBER not in json.dumps(body)
    assert db_state() == before


@pytest.mark.parametrize("body", ["{oops", "[]", "", "null"])
def test_bank_account_unparseable_body_writes_nothing(api, user, body):
    before = db_state()
    response = send(api, "put", BANK, body)
    assert_error(response, response.status_code)
    assert 400 <= response.status_code < 500
    assert db_state() == before


# --- accounts (tenants) ----------------------------------------------------------------------


def test_accounts_list_shows_each_membership_with_its_role(api, user, other_user):
    business = business_with(other_user, admin=user)
    response = api.get(ACCOUNTS)
    assert response.status_code == 200
    mine = own_account(user)
    assert response.json()["count"] == 2
    assert response.json()["items"] == [
        {
            "id": str(mine.pk),
            "type": "professional",
            "role": "owner",
            "is_owner": True,
            "business_name": "",
            "website": "",
            "location": "",
            "company_size": "",
            "address_id": None,
        },
        {
            "id": str(business.pk),
            "type": "business",
            "role": "admin",
            "is_owner": False,
            "business_name": "Acme",
            "website": "",
            "location": "",
            "company_size": "",
            "address_id": None,
        },
    ]
    # The stranger's own professional account is not listed.
    assert str(own_account(other_user).pk) not in response.content.decode()


def test_accounts_list_with_jwt(jwt_client, user):
    response = jwt_client.get(ACCOUNTS)
    assert response.status_code == 200
    assert [a["id"] for a in response.json()["items"]] == [str(own_account(user).pk)]


def test_account_patch_by_owner_turns_it_into_a_business_and_audits(
    api, user, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=user.pk).update(phone="+919812345678", full_name="Asha Rao")
    account = own_account(user)
    address = make_address(user)
    payload = {
        "type": "business",
        "business_name": "Rao Consulting",
        "website": "https://rao.example",
        "location": "Bengaluru",
        "company_size": "11-50",
        "address_id": str(address.pk),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = send(api, "patch", f"{ACCOUNTS}/{account.pk}", payload)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": str(account.pk),
        "type": "business",
        "role": "owner",
        "is_owner": True,
        "business_name": "Rao Consulting",
        "website": "https://rao.example",
        "location": "Bengaluru",
        "company_size": "11-50",
        "address_id": str(address.pk),
    }
    account.refresh_from_db()
    assert (account.type, account.business_name, account.address_id) == (
        "business",
        "Rao Consulting",
        address.pk,
    )

    log = AuditLog.objects.get(action="updated")
    assert (log.entity_type, log.entity_id, log.actor_id) == ("account", str(account.pk), user.pk)
    assert log.before == {
        "type": "professional",
        "business_name": "",
        "website": "",
        "location": "",
        "company_size": "",
        "address_id": None,
    }
    assert log.after == {
        "type": "business",
        "business_name": "Rao Consulting",
        "website": "https://rao.example",
        "location": "Bengaluru",
        "company_size": "11-50",
        "address_id": str(address.pk),
    }
    dumped = json.dumps([log.before, log.after, log.entity_id])
    for pii in ("owner@example.com", "+919812345678", "Asha Rao", "1 Main St", "411001"):
        assert pii not in dumped


@pytest.mark.parametrize("payload", [{}, {"location": ""}, {"type": "professional", "address_id": None}])
def test_account_patch_without_a_change_writes_nothing(
    api, user, payload, django_capture_on_commit_callbacks
):
    account = own_account(user)
    before = db_state()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(api, "patch", f"{ACCOUNTS}/{account.pk}", payload)
    assert response.status_code == 200
    assert response.json()["id"] == str(account.pk)
    assert db_state() == before  # includes updated_at and the audit row count


def test_account_patch_by_admin(client, user, other_user, django_capture_on_commit_callbacks):
    business = business_with(other_user, admin=user)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "patch", f"{ACCOUNTS}/{business.pk}", {"location": "Pune"})
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "admin"
    business.refresh_from_db()
    assert business.location == "Pune"
    assert AuditLog.objects.filter(action="updated", entity_id=str(business.pk), actor=user).count() == 1


def test_account_patch_with_jwt(jwt_client, user):
    account = own_account(user)
    response = send(jwt_client, "patch", f"{ACCOUNTS}/{account.pk}", {"location": "Delhi"})
    assert response.status_code == 200, response.content
    account.refresh_from_db()
    assert account.location == "Delhi"


def test_account_patch_by_member_is_403_and_unchanged(client, user, other_user):
    business = business_with(other_user, member=user)
    client.force_login(user)
    before = db_state()
    response = send(client, "patch", f"{ACCOUNTS}/{business.pk}", {"business_name": "Mine now"})
    assert_error(response, 403, "permission_denied")
    assert db_state() == before


def test_account_patch_of_another_tenant_is_404_and_unchanged(api, user, other_user):
    theirs = own_account(other_user)
    business = business_with(other_user)
    for target in (theirs, business):
        before = db_state()
        response = send(
            api, "patch", f"{ACCOUNTS}/{target.pk}", {"type": "business", "business_name": "Pwned"}
        )
        assert_error(response, 404, "not_found")
        assert db_state() == before


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "42", MISSING_ID])
def test_account_patch_bad_or_unknown_id_is_404(api, user, bad_id):
    before = db_state()
    assert_error(send(api, "patch", f"{ACCOUNTS}/{bad_id}", {"location": "X"}), 404, "not_found")
    assert db_state() == before


def test_switching_to_business_needs_a_business_name(api, user):
    account = own_account(user)
    before = db_state()
    for payload in ({"type": "business"}, {"type": "business", "business_name": "   "}):
        assert_error(send(api, "patch", f"{ACCOUNTS}/{account.pk}", payload), 400, "invalid_input")
        assert db_state() == before


def test_account_address_must_be_the_callers_own(api, user, other_user):
    account = own_account(user)
    theirs = make_address(other_user)
    before = db_state()
    for address_id in (str(theirs.pk), MISSING_ID):
        response = send(api, "patch", f"{ACCOUNTS}/{account.pk}", {"location": "X", "address_id": address_id})
        assert_error(response, 404, "not_found")
        assert db_state() == before


def test_account_address_can_be_cleared(api, user):
    account = own_account(user)
    address = make_address(user)
    Account.objects.filter(pk=account.pk).update(address=address)
    response = send(api, "patch", f"{ACCOUNTS}/{account.pk}", {"address_id": None})
    assert response.status_code == 200
    assert response.json()["address_id"] is None
    account.refresh_from_db()
    assert account.address_id is None


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"type": "enterprise"}, 422),
        ({"type": "BUSINESS"}, 422),
        ({"company_size": "huge"}, 422),
        ({"website": "ftp://files.example"}, 422),
        ({"website": "javascript:alert(1)"}, 422),
        ({"business_name": "x" * 201}, 422),
        ({"location": "x" * 201}, 422),
        ({"address_id": "not-a-uuid"}, 422),
        ({"business_name": 7}, 422),
        ({"type": None}, 400),
        ({"business_name": None}, 400),
        ({"website": None}, 400),
        ({"company_size": None}, 400),
        ("{oops", 400),
    ],
)
def test_account_patch_bad_input_changes_nothing(api, user, payload, status):
    account = own_account(user)
    before = db_state()
    assert_error(send(api, "patch", f"{ACCOUNTS}/{account.pk}", payload), status)
    assert db_state() == before


# --- query-count guards ----------------------------------------------------------------------


def _count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_accounts_list_is_not_n_plus_one(api, user, django_assert_max_num_queries):
    baseline = _count_queries(api, ACCOUNTS)
    for index in range(6):
        owner = make_user(email=f"boss{index}@example.com")
        business_with(owner, admin=user)
    assert len(api.get(ACCOUNTS).json()["items"]) == 7
    assert _count_queries(api, ACCOUNTS) == baseline
    with django_assert_max_num_queries(baseline):
        api.get(ACCOUNTS)


def test_addresses_list_is_not_n_plus_one(api, user, django_assert_max_num_queries):
    make_address(user)
    baseline = _count_queries(api, ADDRESSES)
    for _ in range(8):
        make_address(user)
    assert len(api.get(ADDRESSES).json()["items"]) == 9
    assert _count_queries(api, ADDRESSES) == baseline
    with django_assert_max_num_queries(baseline):
        api.get(ADDRESSES)


def test_domain_errors_name_the_field_at_fault(api, user):
    response = send(api, "patch", ME, {"phone": "12345"})

    body = assert_error(response, 400, "invalid_input")
    assert body["detail"] == [{"loc": ["phone"], "msg": body["message"]}]


def test_validator_messages_read_as_written(api, user):
    account = own_account(user)

    response = send(api, "patch", f"{ACCOUNTS}/{account.pk}", {"website": "ftp://files.example"})

    body = assert_error(response, 422, "validation_error")
    assert body["detail"] == [
        {
            "loc": ["body", "payload", "website"],
            "msg": "Enter a web address starting with http:// or https://",
        }
    ]


def test_lists_are_paginated(api, user):
    for index in range(5):
        make_address(user, name=f"Place {index}")

    page = api.get(ADDRESSES, {"limit": 2, "offset": 2}).json()

    assert page["count"] == 5
    assert [a["name"] for a in page["items"]] == ["Place 2", "Place 3"]
    assert_error(api.get(ADDRESSES, {"limit": 0}), 422, "validation_error")
