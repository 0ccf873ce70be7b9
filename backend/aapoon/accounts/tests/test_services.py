"""Accounts services called directly: validation, transactions, side effects after commit."""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError
from PIL import Image

from aapoon.accounts import selectors, services
from aapoon.accounts.models import Account, Address, BankAccount, Membership, User
from aapoon.accounts.tests.factories import make_user
from aapoon.audit.models import AuditLog
from aapoon.core.crypto import decrypt
from aapoon.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from aapoon.files.models import StoredFile


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, "PNG")
    return buffer.getvalue()


# --- phone and time zone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+91 98123 45678", "+919812345678"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+919812345678", "+919812345678"),
    ],
)
def test_normalize_phone(raw, expected):
    assert services.normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["9812345678", "", "+", "+91", "+91 12345", "phone", "+999 123456789"])
def test_normalize_phone_rejects(raw):
    with pytest.raises(InvalidInput):
        services.normalize_phone(raw)


def test_check_timezone():
    assert services.check_timezone("Asia/Kolkata") == "Asia/Kolkata"
    for bad in ("", "asia/kolkata", "IST+5:30", "../etc/passwd"):
        with pytest.raises(InvalidInput):
            services.check_timezone(bad)


# --- user ------------------------------------------------------------------------------------


def test_user_signup_complete_creates_owned_account_and_audits(db, django_capture_on_commit_callbacks):
    user = User.objects.create_user(email="new@example.com", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        account = services.user_signup_complete(user=user, source=User.SignupSource.GOOGLE)
    user.refresh_from_db()
    assert user.signup_source == "google"
    assert (account.type, account.owner_id) == ("professional", user.pk)
    assert list(Membership.objects.values_list("account_id", "user_id", "role")) == [
        (account.pk, user.pk, "owner")
    ]
    log = AuditLog.objects.get()
    assert (log.action, log.entity_type, log.entity_id, log.actor_id) == (
        "signed_up",
        "user",
        str(user.pk),
        user.pk,
    )


def test_user_update_without_changes_does_not_write(user, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert services.user_update(user=user) is user


def test_user_update_phone_conflict_restores_the_instance(user, other_user):
    User.objects.filter(pk=other_user.pk).update(phone="+919812345678")
    User.objects.filter(pk=user.pk).update(phone="+14155552671", phone_verified=True)
    user.refresh_from_db()
    with pytest.raises(Conflict):
        services.user_update(user=user, full_name="Changed", phone="+91 98123 45678")
    # The in-memory user is reloaded, so nothing half-applied can be saved later by accident.
    assert (user.full_name, user.phone, user.phone_verified) == ("", "+14155552671", True)
    user.refresh_from_db()
    assert (user.full_name, user.phone, user.phone_verified) == ("", "+14155552671", True)


def test_user_phone_set(user):
    services.user_phone_set(user=user, phone="+919812345678", verified=True)
    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == ("+919812345678", True)


# --- avatar ----------------------------------------------------------------------------------


def test_user_avatar_set_records_the_file(user):
    content = png()
    services.user_avatar_set(user=user, content=content, filename="me.png")
    stored = StoredFile.objects.get()
    assert (stored.owner_id, stored.kind, stored.mime_type, stored.size_bytes) == (
        user.pk,
        "avatar",
        "image/png",
        len(content),
    )
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert default_storage.open(stored.storage_key).read() == content


def test_a_failed_avatar_replacement_keeps_the_old_file(
    user, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.user_avatar_set(user=user, content=png("red"), filename="a.png")
    old = StoredFile.objects.get()

    def broken_delete(*args, **kwargs):
        raise DatabaseError("connection lost")

    # Fails at the last step, removing the old row, so everything before it rolls back.
    monkeypatch.setattr(StoredFile, "delete", broken_delete)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DatabaseError):
        services.user_avatar_set(user=user, content=png("blue"), filename="b.png")
    monkeypatch.undo()

    # The row and the bytes of the current picture are both still there and it is still served.
    assert list(StoredFile.objects.values_list("pk", flat=True)) == [old.pk]
    assert default_storage.exists(old.storage_key)
    assert User.objects.get(pk=user.pk).avatar_id == old.pk


def test_user_avatar_remove_deletes_bytes_only_after_commit(user, django_capture_on_commit_callbacks):
    services.user_avatar_set(user=user, content=png(), filename="a.png")
    key = StoredFile.objects.get().storage_key
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.user_avatar_remove(user=user)
    assert not StoredFile.objects.exists()
    assert default_storage.exists(key)  # not yet: the transaction might still roll back
    for callback in callbacks:
        callback()
    assert not default_storage.exists(key)


def test_user_avatar_remove_without_avatar_is_a_no_op(user, django_assert_num_queries):
    with django_assert_num_queries(0):
        services.user_avatar_remove(user=user)


# --- addresses -------------------------------------------------------------------------------

ADDRESS = {"name": "Home", "line1": "1 Main St", "city": "Pune", "postal_code": "411001", "country": "in"}


def test_address_create_ignores_unknown_keys(user):
    address = services.address_create(user=user, values={**ADDRESS, "user_id": "someone", "id": "x"})
    assert address.user_id == user.pk
    assert address.country == "IN"


def test_address_update_is_scoped_to_the_user(user, other_user):
    theirs = services.address_create(user=other_user, values=ADDRESS)
    with pytest.raises(NotFound):
        services.address_update(user=user, address_id=theirs.pk, values={"city": "X"})
    with pytest.raises(NotFound):
        services.address_delete(user=user, address_id=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.city == "Pune"


@pytest.mark.parametrize(
    "field", ["name", "line1", "line2", "city", "postal_code", "country", "phone", "state"]
)
def test_address_update_rejects_null_for_non_nullable_columns(user, field):
    address = services.address_create(user=user, values=ADDRESS)
    with pytest.raises(InvalidInput) as excinfo:
        services.address_update(user=user, address_id=address.pk, values={field: None})
    assert excinfo.value.detail == [{"loc": [field], "msg": "This field cannot be empty."}]


def test_address_update_may_clear_coordinates(user):
    address = services.address_create(user=user, values={**ADDRESS, "lat": "18.5", "lng": "73.8"})
    services.address_update(user=user, address_id=address.pk, values={"lat": None, "lng": None})
    address.refresh_from_db()
    assert (address.lat, address.lng) == (None, None)


# --- bank account ----------------------------------------------------------------------------


def test_bank_account_set_encrypts_and_keeps_last4(user):
    bank = services.bank_account_set(
        user=user, holder_name=" Asha ", account_number="0012-3456 7890", ifsc=" sbin0001234 "
    )
    assert (bank.holder_name, bank.account_number_last4, bank.ifsc) == ("Asha", "7890", "SBIN0001234")
    assert "001234567890" not in bank.account_number_encrypted
    assert decrypt(BankAccount.objects.get().account_number_encrypted) == "001234567890"
    assert "001234567890" not in str(bank)


def test_bank_account_set_validates_before_writing(user):
    for kwargs in (
        {"account_number": "12345", "ifsc": "SBIN0001234", "holder_name": "A"},
        {"account_number": "123456", "ifsc": "SBIN1001234", "holder_name": "A"},
        {"account_number": "123456", "ifsc": "SBIN0001234", "holder_name": " "},
    ):
        with pytest.raises(InvalidInput):
            services.bank_account_set(user=user, **kwargs)
    assert not BankAccount.objects.exists()


# --- accounts --------------------------------------------------------------------------------


def _account(user: User) -> Account:
    return Account.objects.get(owner=user)


def test_account_update_audits_only_after_commit(user, django_capture_on_commit_callbacks):
    account = _account(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.account_update(actor=user, account_id=account.pk, values={"location": "Pune"})
    assert not AuditLog.objects.filter(action="updated").exists()
    assert len(callbacks) == 1
    callbacks[0]()
    log = AuditLog.objects.get(action="updated")
    assert log.before["location"] == "" and log.after["location"] == "Pune"


def test_account_update_failure_sends_no_audit(user, other_user, django_capture_on_commit_callbacks):
    account = _account(user)
    theirs = services.address_create(user=other_user, values=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(NotFound):
        services.account_update(
            actor=user, account_id=account.pk, values={"location": "X", "address_id": theirs.pk}
        )
    assert callbacks == []
    account.refresh_from_db()
    assert (account.location, account.address_id) == ("", None)


def test_account_update_checks_role_before_validating(user, other_user):
    business = Account.objects.create(type="business", owner=other_user, business_name="Acme")
    Membership.objects.create(account=business, user=user, role=Membership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.account_update(actor=user, account_id=business.pk, values={"type": None})


def test_account_update_unknown_or_malformed_id(user):
    for account_id in ("nope", "01900000-0000-7000-8000-000000000000", None):
        with pytest.raises(NotFound):
            services.account_update(actor=user, account_id=account_id, values={})


def test_address_deleted_clears_it_from_the_account(user):
    account = _account(user)
    address = services.address_create(user=user, values=ADDRESS)
    services.account_update(actor=user, account_id=account.pk, values={"address_id": address.pk})
    services.address_delete(user=user, address_id=address.pk)
    account.refresh_from_db()
    assert account.address_id is None
    assert not Address.objects.exists()


def test_many_users_get_distinct_accounts(db):
    users = [make_user(email=f"u{i}@example.com") for i in range(3)]
    assert len({_account(u).pk for u in users}) == 3


def test_user_lookups_for_sign_in(user, other_user):
    User.objects.filter(pk=user.pk).update(phone="+919812345678")
    assert selectors.user_get_by_phone(phone="+919812345678") is None  # not verified yet
    User.objects.filter(pk=user.pk).update(phone_verified=True)
    assert selectors.user_get_by_phone(phone="+919812345678") == user
    assert selectors.user_get_by_phone(phone="+14155552671") is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert selectors.user_get_by_phone(phone="+919812345678") is None
    assert selectors.user_id_by_email(email="OWNER@example.com") == user.pk
    assert selectors.user_id_by_email(email="nobody@example.com") is None


def test_bank_account_changes_are_audited_without_the_number(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.bank_account_set(
            user=user, holder_name="Asha Rao", account_number="123456789012", ifsc="SBIN0001234"
        )

    row = AuditLog.objects.get(entity_type="bank_account")
    assert (row.action, row.actor_id) == ("created", user.pk)
    assert row.after == {"account_number_last4": "9012", "ifsc": "SBIN0001234"}
    assert "123456789012" not in str(row.before) + str(row.after)
