"""The live room as a browser reaches it through the real ASGI stack: a meeting started and
joined over REST, then one socket per participant."""

import json
from typing import Any

from channels.testing import WebsocketCommunicator
from django.test import Client

from aapoon.accounts.tests.factories import make_user
from config.asgi import application

ORIGIN = (b"origin", b"http://localhost:8000")
TIMEOUT = 5


def host_starts() -> tuple[Client, str]:
    """A signed-in host starts an instant meeting: their client and the meeting's code."""
    client = Client()
    client.force_login(make_user(email="host@example.com"))
    response = client.post("/api/v1/meetings", {"kind": "instant"}, content_type="application/json")
    assert response.status_code == 201, response.content
    return client, response.json()["code"]


def rest_join(client: Client, code: str, **body: str) -> dict[str, Any]:
    response = client.post(f"/api/v1/meetings/{code}/join", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return dict(response.json())


async def open_socket(join: dict[str, Any]) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    """The joined session's socket, and the welcome it got."""
    socket = WebsocketCommunicator(
        application, f"{join['ws_path']}?ticket={join['ticket']}", headers=[ORIGIN]
    )
    connected, _ = await socket.connect(timeout=TIMEOUT)
    assert connected
    welcome: dict[str, Any] = await socket.receive_json_from(timeout=TIMEOUT)
    assert welcome["type"] == "welcome"
    return socket, welcome


async def next_of(socket: WebsocketCommunicator, kind: str) -> dict[str, Any]:
    """The next message of that type (those before it are passed over)."""
    while True:
        message: dict[str, Any] = json.loads(await socket.receive_from(timeout=TIMEOUT))
        if message["type"] == kind:
            return message
