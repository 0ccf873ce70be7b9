"""An upper bound on HTTP request bodies, enforced before Django reads one.

Under ASGI Django reads the whole body (into a temporary file past a small size) before any view
runs, so a view's own size check comes after the disk has taken it all. Behind nginx,
`client_max_body_size` stops such a body first; this does the same for the embedded default (and
anything that reaches the app directly): a body declared (Content-Length) or streamed beyond the
limit is answered 413 and never reaches Django.
"""

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
# Django's handler spells its argument types its own way: any ASGI callable will do.
App = Callable[..., Awaitable[None]]

TOO_LARGE = json.dumps(
    {
        "code": "request_too_large",
        "message": "That is more than this server takes in one request.",
        "detail": None,
    }
).encode()


def _declared_length(scope: dict[str, Any]) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _refuse(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(TOO_LARGE)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": TOO_LARGE})


def body_limit(app: App, *, max_bytes: int) -> App:
    """`app` behind the limit (HTTP only; WebSockets pass as they are)."""

    async def limited(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > max_bytes:
            await _refuse(send)
            return
        received = 0
        too_large = False

        async def counted() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    # To Django, a client that went away: it drops the request, sending nothing.
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        await app(scope, counted, send)
        if too_large:
            await _refuse(send)

    return limited
