"""The live room through the real ASGI stack: join over REST, then one socket per participant."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from aapoon.accounts.tests.factories import make_user
from config.asgi import application

ORIGIN = (b"origin", b"http://localhost:8000")
pytestmark = pytest.mark.django_db(transaction=True)


def _rest_join(client: Client, code: str, **body) -> dict:
    response = client.post(f"/api/v1/meetings/{code}/join", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def _host_starts() -> tuple[Client, str]:
    host = make_user(email="host@example.com")
    client = Client()
    client.force_login(host)
    response = client.post("/api/v1/meetings", {"kind": "instant"}, content_type="application/json")
    assert response.status_code == 201, response.content
    return client, response.json()["code"]


async def _open(join: dict) -> tuple[WebsocketCommunicator, dict]:
    socket = WebsocketCommunicator(
        application, f"{join['ws_path']}?ticket={join['ticket']}", headers=[ORIGIN]
    )
    connected, _ = await socket.connect(timeout=3)
    assert connected
    welcome = await socket.receive_json_from(timeout=3)
    assert welcome["type"] == "welcome"
    return socket, welcome


async def _next(socket: WebsocketCommunicator, kind: str) -> dict:
    while True:
        message = json.loads(await socket.receive_from(timeout=3))
        if message["type"] == kind:
            return message


async def test_guest_waits_is_admitted_and_chats():
    host_client, code = await sync_to_async(_host_starts)()
    host_join = await sync_to_async(_rest_join)(host_client, code)
    host, host_welcome = await _open(host_join)
    assert host_welcome["status"] == "joined" and host_welcome["role"] == "host"

    guest_join = await sync_to_async(_rest_join)(Client(), code, display_name="Guest Gita")
    assert guest_join["status"] == "waiting"
    guest, guest_welcome = await _open(guest_join)
    assert guest_welcome["status"] == "waiting" and guest_welcome["roster"] == []

    lobby = await _next(host, "lobby")
    assert [p["display_name"] for p in lobby["waiting"]] == ["Guest Gita"]
    await host.send_json_to({"type": "admit", "participant_id": guest_join["participant_id"]})
    await _next(guest, "admitted")
    welcome = await _next(guest, "welcome")
    assert welcome["status"] == "joined"
    assert {p["display_name"] for p in welcome["roster"]} == {"Guest Gita", "host"}

    await guest.send_json_to({"type": "chat", "text": "hello <b>all</b>", "client_id": "c1"})
    seen_by_host = await _next(host, "chat.message")
    seen_by_guest = await _next(guest, "chat.message")
    assert seen_by_host == seen_by_guest
    assert seen_by_host["message"]["text"] == "hello <b>all</b>"
    assert seen_by_host["seq"] > welcome["seq"]

    await guest.send_json_to({"type": "resume", "since": welcome["seq"]})
    replay = await _next(guest, "replay")
    assert [e["type"] for e in replay["events"]] == ["chat.message"]

    await guest.send_json_to({"type": "mute", "participant_id": host_join["participant_id"]})
    error = await _next(guest, "error")
    assert error["code"] == "permission_denied"
    await host.disconnect()
    await guest.disconnect()
