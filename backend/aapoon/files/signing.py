"""Signed download links: a URL that serves one stored file until it expires, with no session.

The token is `<file id>.<expiry, unix seconds>.<HMAC>`; the HMAC (Django's Signer, keyed by
SECRET_KEY and a salt of its own) covers both, so neither can be changed.
"""

import datetime as dt
import time
import uuid
from dataclasses import dataclass

from django.core import signing

from aapoon.files.models import StoredFile

SALT = "aapoon.files.signed-download"
# Signer's default separator is ":", which would need escaping in a URL path.
SEPARATOR = "."


class LinkInvalid(Exception):
    """The token was not made by us, or was changed."""


class LinkExpired(Exception):
    """The token is genuine but past its expiry."""


@dataclass(frozen=True)
class SignedLink:
    token: str
    expires_at: dt.datetime


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=SEPARATOR)


def signed_link_make(*, stored_file: StoredFile, ttl_seconds: int, now: float | None = None) -> SignedLink:
    expires = int((time.time() if now is None else now) + ttl_seconds)
    token = _signer().sign(f"{stored_file.pk.hex}{SEPARATOR}{expires}")
    return SignedLink(token=token, expires_at=dt.datetime.fromtimestamp(expires, tz=dt.UTC))


def signed_link_file_id(*, token: str, now: float | None = None) -> uuid.UUID:
    """The id of the file a token opens; LinkInvalid or LinkExpired otherwise."""
    try:
        value = _signer().unsign(token)
        file_hex, expires = value.split(SEPARATOR)
        file_id, expires_at = uuid.UUID(hex=file_hex), int(expires)
    except (signing.BadSignature, ValueError) as exc:
        raise LinkInvalid() from exc
    if (time.time() if now is None else now) >= expires_at:
        raise LinkExpired()
    return file_id
