"""One-time tickets that let a participant open the meeting WebSocket.

A ticket, not a long-lived token, goes in the socket URL: it names one participant session,
works once, and expires. The cache holds only its hash.
"""

import hashlib
import secrets
import uuid

from django.core.cache import cache

_PREFIX = "meeting-ticket:"


def _key(ticket: str) -> str:
    return _PREFIX + hashlib.sha256(ticket.encode()).hexdigest()


def ticket_issue(*, participant_id: uuid.UUID, ttl_seconds: int) -> str:
    ticket = secrets.token_urlsafe(32)
    cache.set(_key(ticket), str(participant_id), ttl_seconds)
    return ticket


def ticket_redeem(*, ticket: str) -> uuid.UUID | None:
    """The participant the ticket was issued for; None if unknown, expired or already used."""
    key = _key(ticket)
    participant_id = cache.get(key)
    # Only the caller whose delete removed the key may use it: two racing redeems get one winner.
    if participant_id is None or not cache.delete(key):
        return None
    return uuid.UUID(participant_id)
