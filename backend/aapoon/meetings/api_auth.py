"""How the meetings API knows who calls when the caller may be a guest (no account)."""

import uuid

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyHeader, SessionAuth

from aapoon.meetings.participant_tokens import participant_token_read


class SessionIfSent(SessionAuth):
    """Session auth, with its CSRF check, only when a session cookie came with the request. A guest
    (or an app) without one has no session a forged request could borrow, and our cookies are
    SameSite=Lax, so a cross-site POST carries none of them."""

    def __call__(self, request: HttpRequest) -> object:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)


class ParticipantTokenAuth(APIKeyHeader):
    """`X-Participant-Token`: the session of the meeting the call comes from (its id)."""

    param_name = "X-Participant-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> uuid.UUID | None:
        return participant_token_read(token=key) if key else None


def signed_out(request: HttpRequest) -> bool:
    """Last in line: no token and not signed in (a guest); the view decides what that may do."""
    return True
