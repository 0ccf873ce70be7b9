"""The live room through the real ASGI stack: join over REST, then one socket per participant."""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from aapoon.realtime.tests.asgi_room import host_starts, next_of, open_socket, rest_join

pytestmark = pytest.mark.django_db(transaction=True)


async def test_guest_waits_is_admitted_and_chats():
    host_client, code = await sync_to_async(host_starts)()
    host_join = await sync_to_async(rest_join)(host_client, code)
    host, host_welcome = await open_socket(host_join)
    assert host_welcome["status"] == "joined" and host_welcome["role"] == "host"

    guest_join = await sync_to_async(rest_join)(Client(), code, display_name="Guest Gita")
    assert guest_join["status"] == "waiting"
    guest, guest_welcome = await open_socket(guest_join)
    assert guest_welcome["status"] == "waiting" and guest_welcome["roster"] == []

    lobby = await next_of(host, "lobby")
    assert [p["display_name"] for p in lobby["waiting"]] == ["Guest Gita"]
    await host.send_json_to({"type": "admit", "participant_id": guest_join["participant_id"]})
    await next_of(guest, "admitted")
    welcome = await next_of(guest, "welcome")
    assert welcome["status"] == "joined"
    assert {p["display_name"] for p in welcome["roster"]} == {"Guest Gita", "host"}

    await guest.send_json_to({"type": "chat", "text": "hello <b>all</b>", "client_id": "c1"})
    seen_by_host = await next_of(host, "chat.message")
    seen_by_guest = await next_of(guest, "chat.message")
    assert seen_by_host == seen_by_guest
    assert seen_by_host["message"]["text"] == "hello <b>all</b>"
    assert seen_by_host["seq"] > welcome["seq"]

    await guest.send_json_to({"type": "resume", "since": welcome["seq"]})
    replay = await next_of(guest, "replay")
    assert [e["type"] for e in replay["events"]] == ["chat.message"]

    await guest.send_json_to({"type": "mute", "participant_id": host_join["participant_id"]})
    error = await next_of(guest, "error")
    assert error["code"] == "permission_denied"
    await host.disconnect()
    await guest.disconnect()
