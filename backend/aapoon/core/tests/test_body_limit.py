"""Request bodies past REQUEST_BODY_MAX_BYTES are refused before Django reads them: declared too
large, or streamed (chunked) past the limit."""

from typing import Any

from aapoon.core.body_limit import body_limit


class Inner:
    """An ASGI app that reads the whole body, as Django does, and answers 200."""

    def __init__(self) -> None:
        self.read = 0
        self.called = False

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.called = True
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # Django drops the request: nothing is sent
            self.read += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def run(app: Any, *, headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> list[dict[str, Any]]:
    pending = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "http", "method": "POST", "path": "/", "headers": headers}, receive, send)
    return sent


def status_of(sent: list[dict[str, Any]]) -> int:
    return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))


async def test_a_body_within_the_limit_passes_through():
    inner = Inner()
    sent = await run(
        body_limit(inner, max_bytes=10), headers=[(b"content-length", b"10")], chunks=[b"x" * 10]
    )
    assert (status_of(sent), inner.read) == (200, 10)


async def test_a_declared_length_past_the_limit_is_refused_unread():
    inner = Inner()
    sent = await run(
        body_limit(inner, max_bytes=10), headers=[(b"content-length", b"11")], chunks=[b"x" * 11]
    )
    assert status_of(sent) == 413
    assert b"request_too_large" in sent[-1]["body"]
    assert not inner.called


async def test_a_streamed_body_is_cut_off_once_past_the_limit():
    inner = Inner()
    sent = await run(body_limit(inner, max_bytes=10), headers=[], chunks=[b"x" * 6, b"x" * 6, b"x" * 6])
    assert status_of(sent) == 413
    assert inner.read == 6  # the chunk past the limit never reached it
