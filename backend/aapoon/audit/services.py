import re
from typing import Any
from uuid import UUID

from aapoon.audit.models import AuditLog

# Keys whose values never reach an audit row, whatever the caller passes. A key is sensitive when
# it is one of these or one of its underscore-separated words is (`new_password`, `access_token`,
# `phone_number`, `recovery_codes`), in any letter case and at any depth of nesting.
_REDACTED_KEYS = {
    "account_number",
    "account_number_encrypted",
}
_REDACTED_WORDS = {
    "password",
    "passcode",
    "token",
    "secret",
    "code",
    "codes",
    "otp",
    "email",
    "phone",
    "key",
}
REDACTED = "[redacted]"
_CAMEL_HUMP = re.compile(r"([a-z0-9])([A-Z])")


def _is_sensitive(key: object) -> bool:
    name = _CAMEL_HUMP.sub(r"\1_\2", str(key)).lower()  # refreshToken -> refresh_token
    words = re.split(r"[^a-z0-9]+", name)
    return (
        name in _REDACTED_KEYS or "_".join(words) in _REDACTED_KEYS or not _REDACTED_WORDS.isdisjoint(words)
    )


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: (REDACTED if _is_sensitive(key) else _scrub(item)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def _trim(values: dict[str, Any] | None) -> dict[str, Any]:
    scrubbed: dict[str, Any] = _scrub(values or {})
    return scrubbed


def audit_record(
    *,
    action: str,
    entity_type: str,
    entity_id: object = "",
    actor_id: UUID | None = None,
    actor_ip: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    return AuditLog.objects.create(
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id or ""),
        actor_id=actor_id,
        actor_ip=actor_ip,
        before=_trim(before),
        after=_trim(after),
    )
