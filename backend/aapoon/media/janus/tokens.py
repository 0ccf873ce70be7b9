"""Janus signed tokens (`token_auth_secret`): no Janus session opens without one."""

import base64
import hashlib
import hmac
import time
from collections.abc import Sequence

# The realm Janus core checks tokens against (janus_auth_check_signature in auth.c).
TOKEN_REALM = "janus"  # noqa: S105 (a realm name, not a secret)


def janus_token(*, secret: str, plugins: Sequence[str], ttl_seconds: int, now: float | None = None) -> str:
    """`<expiry>,janus,<plugin>...:<base64 HMAC-SHA1 of the part before the colon>`."""
    if not secret:
        raise ValueError("a Janus token needs a non-empty secret")
    if ttl_seconds <= 0:
        raise ValueError("a Janus token needs a positive lifetime")
    for plugin in plugins:
        # Janus splits the data on "," and the token on ":", so these would forge other fields.
        if not plugin or "," in plugin or ":" in plugin:
            raise ValueError(f"invalid plugin name for a Janus token: {plugin!r}")
    expiry = int(time.time() if now is None else now) + ttl_seconds
    data = ",".join([str(expiry), TOKEN_REALM, *plugins])
    digest = hmac.new(secret.encode(), data.encode(), hashlib.sha1).digest()
    return f"{data}:{base64.b64encode(digest).decode()}"
