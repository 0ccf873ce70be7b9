"""Log hygiene: one-time tickets in WebSocket URLs never reach the logs."""

import logging
import re

_TICKET = re.compile(r"(ticket=)[^&\s\"]+")


def redact(text: str) -> str:
    return _TICKET.sub(r"\1[redacted]", text)


class RedactTickets(logging.Filter):
    """uvicorn logs each WebSocket's path with its query string ("…?ticket=…" [accepted])."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True
