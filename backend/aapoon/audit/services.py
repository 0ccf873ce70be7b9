from typing import Any

from aapoon.audit.models import AuditLog

# Keys whose values never reach an audit row, whatever the caller passes.
_REDACTED_KEYS = {
    "password",
    "token",
    "secret",
    "account_number",
    "account_number_encrypted",
    "code",
    "email",
    "phone",
}


def _trim(values: dict[str, Any] | None) -> dict[str, Any]:
    return {
        key: ("[redacted]" if key in _REDACTED_KEYS else value)
        for key, value in (values or {}).items()
    }


def audit_record(
    *,
    action: str,
    entity_type: str,
    entity_id: object = "",
    actor_id: object = None,
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
