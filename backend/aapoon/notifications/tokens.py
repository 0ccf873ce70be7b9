"""Unsubscribe links: a signed (user, event) pair. They do not expire: an old email's link
should still work, and all it can do is turn one kind of email off."""

import uuid

from django.core import signing

from aapoon.core.errors import InvalidInput
from aapoon.notifications.models import Event

_SALT = "aapoon.notifications.unsubscribe"


class InvalidUnsubscribeLink(InvalidInput):
    code = "invalid_link"
    message = "This unsubscribe link is not valid. Change your email settings in your account instead."


def unsubscribe_token(*, user_id: uuid.UUID, event: str) -> str:
    return signing.dumps({"u": str(user_id), "e": event}, salt=_SALT)


def unsubscribe_token_read(token: str) -> tuple[uuid.UUID, str]:
    try:
        data = signing.loads(token, salt=_SALT)
        user_id, event = uuid.UUID(data["u"]), data["e"]
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidUnsubscribeLink() from exc
    if event not in Event.values:
        raise InvalidUnsubscribeLink()
    return user_id, event
