"""/ws/me/: the signed-in user's own live channel, through the real ASGI stack.

Runs with the in-process channel layer and with Redis (RedisPubSubChannelLayer, the production
choice). The session cookie authenticates, exactly as in the browser.
"""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client

from aapoon.accounts.models import User
from aapoon.accounts.tests.factories import make_user
from aapoon.realtime.consumers import user_group
from config.asgi import application

PATH = "/ws/me/"
ORIGIN = (b"origin", b"http://localhost:8000")

pytestmark = pytest.mark.django_db(transaction=True)


def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def _connect(headers: list[tuple[bytes, bytes]]) -> tuple[WebsocketCommunicator, bool, object]:
    communicator = WebsocketCommunicator(application, PATH, headers=headers)
    connected, detail = await communicator.connect(timeout=3)
    return communicator, connected, detail


async def _refused_with(headers: list[tuple[bytes, bytes]]) -> object:
    """The close code of a socket the server accepts and then closes (never a refused handshake,
    which servers answer with HTTP 403 and browsers report as 1006)."""
    communicator, connected, _ = await _connect(headers)
    assert connected is True
    closed = await communicator.receive_output(timeout=3)
    assert closed["type"] == "websocket.close"
    await communicator.wait()
    return closed.get("code")


async def _signed_in(user) -> WebsocketCommunicator:
    cookie = await sync_to_async(_session_cookie)(user)
    communicator, connected, _ = await _connect([ORIGIN, (b"cookie", cookie)])
    assert connected
    return communicator


async def test_anonymous_is_closed_with_4401(channel_layer):
    assert await _refused_with([ORIGIN]) == 4401


async def test_a_bogus_session_cookie_is_closed_with_4401(channel_layer):
    assert await _refused_with([ORIGIN, (b"cookie", b"sessionid=not-a-real-session")]) == 4401


async def test_a_foreign_origin_is_rejected(channel_layer):
    user = await sync_to_async(make_user)(email="ws@example.com")
    cookie = await sync_to_async(_session_cookie)(user)
    communicator, connected, _ = await _connect([(b"origin", b"https://evil.example"), (b"cookie", cookie)])
    assert connected is False
    await communicator.disconnect()


async def test_signed_in_user_gets_hello_pong_and_events(channel_layer):
    user = await sync_to_async(make_user)(email="ws@example.com")
    communicator = await _signed_in(user)
    try:
        assert await communicator.receive_json_from(timeout=3) == {"type": "hello", "user_id": str(user.pk)}

        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(timeout=3) == {"type": "pong"}

        await communicator.send_json_to({"type": "nonsense"})
        assert await communicator.receive_json_from(timeout=3) == {"type": "error", "code": "unknown_message"}
        await communicator.send_json_to(["not", "an", "object"])
        assert await communicator.receive_json_from(timeout=3) == {"type": "error", "code": "unknown_message"}

        layer = get_channel_layer()
        payload = {"type": "meeting.invited", "meeting": "abc-defg-hij", "n": 1}
        await layer.group_send(user_group(user.pk), {"type": "user.event", "payload": payload})
        assert await communicator.receive_json_from(timeout=3) == payload
        assert await communicator.receive_nothing(timeout=0.2)
    finally:
        await communicator.disconnect()


async def test_events_reach_only_their_user(channel_layer):
    alice = await sync_to_async(make_user)(email="alice@example.com")
    bob = await sync_to_async(make_user)(email="bob@example.com")
    alice_ws = await _signed_in(alice)
    bob_ws = await _signed_in(bob)
    try:
        await alice_ws.receive_json_from(timeout=3)
        await bob_ws.receive_json_from(timeout=3)
        layer = get_channel_layer()
        await layer.group_send(user_group(bob.pk), {"type": "user.event", "payload": {"for": "bob"}})
        assert await bob_ws.receive_json_from(timeout=3) == {"for": "bob"}
        assert await alice_ws.receive_nothing(timeout=0.3)
    finally:
        await alice_ws.disconnect()
        await bob_ws.disconnect()


async def test_every_open_tab_of_a_user_gets_the_event(channel_layer):
    user = await sync_to_async(make_user)(email="tabs@example.com")
    tabs = [await _signed_in(user), await _signed_in(user)]
    try:
        for tab in tabs:
            await tab.receive_json_from(timeout=3)
        await get_channel_layer().group_send(user_group(user.pk), {"type": "user.event", "payload": {"n": 7}})
        for tab in tabs:
            assert await tab.receive_json_from(timeout=3) == {"n": 7}
    finally:
        for tab in tabs:
            await tab.disconnect()


async def test_after_disconnect_the_group_no_longer_delivers(channel_layer):
    user = await sync_to_async(make_user)(email="bye@example.com")
    first = await _signed_in(user)
    await first.receive_json_from(timeout=3)
    await first.disconnect()
    second = await _signed_in(user)
    try:
        await second.receive_json_from(timeout=3)
        await get_channel_layer().group_send(user_group(user.pk), {"type": "user.event", "payload": {"n": 1}})
        assert await second.receive_json_from(timeout=3) == {"n": 1}
        assert await first.receive_nothing(timeout=0.2)
    finally:
        await second.disconnect()


async def test_a_deactivated_user_is_refused(channel_layer):
    user = await sync_to_async(make_user)(email="gone@example.com")
    cookie = await sync_to_async(_session_cookie)(user)
    user.status = User.Status.SUSPENDED
    await user.asave(update_fields=["status"])
    assert await _refused_with([ORIGIN, (b"cookie", cookie)]) == 4401
