import logging

from aapoon.core.logging import RedactTickets


def test_websocket_tickets_are_redacted_from_log_lines():
    record = logging.LogRecord(
        "uvicorn.error",
        logging.INFO,
        __file__,
        1,
        '%s - "WebSocket %s" [accepted]',
        ("127.0.0.1:5000", "/ws/meetings/abcd-efgh-jkmn/?ticket=Zx-9_secret&x=1"),
        None,
    )
    assert RedactTickets().filter(record)
    assert (
        record.getMessage()
        == '127.0.0.1:5000 - "WebSocket /ws/meetings/abcd-efgh-jkmn/?ticket=[redacted]&x=1" [accepted]'
    )
