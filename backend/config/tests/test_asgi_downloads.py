"""Signed downloads through the real ASGI application (config.asgi): the body is sent as it is read,
never read whole into memory first (files/api.py)."""

import asyncio
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.files.storage import default_storage

from aapoon.files import api
from aapoon.files.models import StoredFile
from aapoon.files.services import stored_file_create
from aapoon.files.signing import signed_link_make
from config.asgi import application

# The real handler closes the connection a request starts with (as in production): no test transaction.
pytestmark = pytest.mark.django_db(transaction=True)
CONTENT = bytes(range(256)) * 40  # 10 KiB


class CountedReads:
    """A stored file that notes each read in the shared log."""

    def __init__(self, inner: Any, log: list[str]) -> None:
        self.inner, self.log = inner, log

    def seek(self, offset: int) -> int:
        return int(self.inner.seek(offset))

    def read(self, size: int) -> bytes:
        self.log.append("read")
        return bytes(self.inner.read(size))

    def close(self) -> None:
        self.inner.close()

    def __enter__(self) -> "CountedReads":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def serve(path: str, log: list[str]) -> tuple[int, bytes]:
    """One GET through the ASGI app; each body message sent is noted in the log."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asked = False
    status, body = 0, b""

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, body
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message.get("body"):
            log.append("send")
            body += message["body"]

    await application(scope, receive, send)
    return status, body


def test_the_body_is_sent_while_the_file_is_still_being_read(monkeypatch):
    stored = stored_file_create(
        owner_id=None,
        kind=StoredFile.Kind.RECORDING,
        content=CONTENT,
        mime_type="video/mp4",
        extension=".mp4",
    )
    token = signed_link_make(stored_file=stored, ttl_seconds=60).token
    log: list[str] = []
    real_open = default_storage.open
    monkeypatch.setattr(default_storage, "open", lambda *args: CountedReads(real_open(*args), log))
    monkeypatch.setattr(api, "CHUNK_BYTES", 1024)

    status, body = async_to_sync(serve)(f"/api/v1/files/signed/{token}", log)

    assert (status, body) == (200, CONTENT)
    assert log.count("read") == len(CONTENT) // 1024
    last_read = len(log) - 1 - log[::-1].index("read")
    assert log.index("send") < last_read  # not the whole file read into memory first
