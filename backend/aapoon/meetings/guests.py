"""A guest's browser keeps a random key in a signed cookie, so the meeting knows a returning
guest (a removed guest must not walk straight back in)."""

import secrets

from django.http import HttpRequest, HttpResponse

COOKIE = "aapoon_guest"
_SALT = "aapoon.meetings.guest"
_ONE_YEAR = 365 * 24 * 3600


def guest_key_read(request: HttpRequest) -> str:
    """The key in the request's guest cookie; "" when there is none (or it was tampered with)."""
    return str(request.get_signed_cookie(COOKIE, default="", salt=_SALT))


def guest_key_for(request: HttpRequest, response: HttpResponse) -> str:
    key = guest_key_read(request)
    if not key:
        key = secrets.token_urlsafe(24)
        response.set_signed_cookie(
            COOKIE,
            key,
            salt=_SALT,
            max_age=_ONE_YEAR,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return str(key)
