"""What Janus answers when it refuses: our exceptions, and the error codes the app acts on.

Codes come from Janus 1.1.2: the core's `apierror.h` and the VideoRoom plugin's
`JANUS_VIDEOROOM_ERROR_*` (janus_videoroom.c).
"""

# Janus core: the session or handle is gone (attach again), and an error without a code.
SESSION_NOT_FOUND = 458
HANDLE_NOT_FOUND = 459
UNKNOWN_ERROR = 490

# VideoRoom plugin.
NO_SUCH_ROOM = 426
ROOM_EXISTS = 427
NO_SUCH_FEED = 428
UNAUTHORIZED = 433
ID_EXISTS = 436


class JanusError(Exception):
    """Janus or the VideoRoom plugin answered with an error."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"Janus error {code}: {reason}")
        self.code = code
        self.reason = reason


class JanusUnreachable(JanusError):
    """The node did not answer: connection refused, timeout, or not a Janus HTTP API."""

    def __init__(self, reason: str) -> None:
        super().__init__(0, reason)
