"""ICE servers handed to a participant: STUN as configured, TURN with time-limited credentials.

TURN uses the coturn REST shared-secret scheme (`use-auth-secret`): the username is
`<expiry unix time>:<participant id>` and the password is base64(HMAC-SHA1(secret, username)),
so coturn checks it without any call to us and it stops working at the expiry.
"""

import base64
import hashlib
import hmac
import time
from typing import TypedDict

from django.conf import settings


class IceServer(TypedDict):
    urls: list[str]
    username: str | None
    credential: str | None


def turn_credentials(
    *, secret: str, user_ref: str, ttl_seconds: int, now: float | None = None
) -> tuple[str, str]:
    expiry = int((time.time() if now is None else now) + ttl_seconds)
    username = f"{expiry}:{user_ref}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def ice_servers_for(*, user_ref: str) -> list[IceServer]:
    servers: list[IceServer] = []
    if settings.ICE_STUN_URLS:
        servers.append({"urls": list(settings.ICE_STUN_URLS), "username": None, "credential": None})
    if settings.TURN_URLS and settings.TURN_SHARED_SECRET:
        username, credential = turn_credentials(
            secret=settings.TURN_SHARED_SECRET,
            user_ref=user_ref,
            ttl_seconds=settings.TURN_CREDENTIAL_TTL_SECONDS,
        )
        servers.append({"urls": list(settings.TURN_URLS), "username": username, "credential": credential})
    return servers
