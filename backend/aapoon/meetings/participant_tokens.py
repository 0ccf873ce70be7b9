"""A session's token for its REST calls inside the meeting (sharing and opening files).

It is the participant id signed with a timestamp: it names one session and expires after
MEETING_PARTICIPANT_TOKEN_TTL_SECONDS. Guests have no account, so this, not a sign-in, is what
says who is calling; what the session may do is still checked against the database each time.
"""

import uuid

from django.conf import settings
from django.core import signing

_SALT = "aapoon.meetings.participant-token"


def participant_token_issue(*, participant_id: uuid.UUID) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(participant_id.hex)


def participant_token_read(*, token: str) -> uuid.UUID | None:
    """The session a token names; None if it was not made by us, was changed, or has expired."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=settings.MEETING_PARTICIPANT_TOKEN_TTL_SECONDS
        )
        return uuid.UUID(hex=value)
    except (signing.BadSignature, ValueError):
        return None
