"""Unsubscribe links: a signed (user, event) pair, or for someone without an account a signed
(address, event) pair. They do not expire: an old email's link should still work, and all it can
do is turn one kind of email off.

Tokens are `signing.dumps` output (urlsafe base64 and ":"), never compressed: a compressed one
starts with "." and the web app's /unsubscribe/<token> route takes no dots. The address-kind
token carries the SHA-256 of the address, not the address, so it is not readable from a URL.
"""

import hashlib
import uuid
from dataclasses import dataclass

from django.core import signing

from aapoon.core.errors import InvalidInput
from aapoon.notifications.models import Event

_SALT = "aapoon.notifications.unsubscribe"


class InvalidUnsubscribeLink(InvalidInput):
    code = "invalid_link"
    message = "This unsubscribe link is not valid. Change your email settings in your account instead."


@dataclass(frozen=True)
class UnsubscribeLink:
    """What a link turns off: `event` email for a user, or for an address (by its digest)."""

    event: str
    user_id: uuid.UUID | None = None
    email_hash: str = ""


def email_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def unsubscribe_token(*, user_id: uuid.UUID, event: str) -> str:
    return signing.dumps({"u": str(user_id), "e": event}, salt=_SALT)


def email_unsubscribe_token(*, email: str, event: str) -> str:
    return signing.dumps({"h": email_digest(email), "e": event}, salt=_SALT)


def unsubscribe_link_read(token: str) -> UnsubscribeLink:
    try:
        data = signing.loads(token, salt=_SALT)
        event = data["e"]
        if "u" in data:
            link = UnsubscribeLink(event=event, user_id=uuid.UUID(data["u"]))
        else:
            digest = data["h"]
            if not (isinstance(digest, str) and len(digest) == 64):
                raise ValueError(digest)
            link = UnsubscribeLink(event=event, email_hash=digest)
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidUnsubscribeLink() from exc
    if event not in Event.values:
        raise InvalidUnsubscribeLink()
    return link
