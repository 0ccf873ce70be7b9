"""audit_record: append-only rows that never hold secrets or personal data."""

import json

import pytest

from aapoon.audit.models import AuditLog
from aapoon.audit.services import REDACTED, audit_record


def test_records_who_did_what(user):
    log = audit_record(
        action="updated",
        entity_type="account",
        entity_id=user.pk,
        actor_id=user.pk,
        actor_ip="203.0.113.9",
        before={"location": ""},
        after={"location": "Pune"},
    )
    log = AuditLog.objects.get(pk=log.pk)
    assert (log.action, log.entity_type, log.entity_id, log.actor_id, log.actor_ip) == (
        "updated",
        "account",
        str(user.pk),
        user.pk,
        "203.0.113.9",
    )
    assert (log.before, log.after) == ({"location": ""}, {"location": "Pune"})
    assert log.created_at is not None


def test_defaults(db):
    log = audit_record(action="login_failed", entity_type="user")
    assert (log.entity_id, log.actor_id, log.actor_ip, log.before, log.after) == ("", None, None, {}, {})


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "new_password",
        "Password",
        "token",
        "access_token",
        "refreshToken",
        "accountNumber",
        "secret",
        "client_secret",
        "code",
        "recovery_codes",
        "otp",
        "email",
        "EMAIL",
        "phone",
        "phone_number",
        "account_number",
        "account_number_encrypted",
        "passcode",
        "api-key",
    ],
)
def test_sensitive_keys_are_redacted(db, key):
    log = audit_record(action="updated", entity_type="user", before={key: "s3cr3t-value"}, after={key: "x"})
    log.refresh_from_db()
    assert log.before == {key: REDACTED}
    assert log.after == {key: REDACTED}
    assert "s3cr3t-value" not in json.dumps([log.before, log.after])


def test_nested_values_are_redacted_too(db):
    after = {
        "profile": {"email": "a@example.com", "display_name": "Asha"},
        "contacts": [{"phone": "+919812345678", "label": "home"}],
        "kept": ["plain", 1, None],
    }
    log = audit_record(action="updated", entity_type="user", after=after)
    log.refresh_from_db()
    assert log.after == {
        "profile": {"email": REDACTED, "display_name": "Asha"},
        "contacts": [{"phone": REDACTED, "label": "home"}],
        "kept": ["plain", 1, None],
    }
    # The caller's dict is not modified.
    assert after["profile"]["email"] == "a@example.com"


def test_ordinary_keys_are_kept(db):
    values = {
        "type": "business",
        "business_name": "Acme",
        "company_size": "11-50",
        "account_number_last4": "9012",
    }
    log = audit_record(action="updated", entity_type="account", before=values, after=values)
    assert log.before == values
