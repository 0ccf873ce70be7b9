"""SFU mode through the real ASGI stack (REST join, one socket each) and the monitor's thread,
against real Janus nodes."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from django.db import OperationalError
from django.test import Client

from aapoon.media import placement
from aapoon.media import testing as media_testing
from aapoon.media.models import MediaNode
from aapoon.media.nodes import clients_close
from aapoon.media.tests.registry import register_node
from aapoon.meetings.models import Meeting
from aapoon.meetings.sfu_monitor import monitor_running, monitor_step
from aapoon.realtime.tests.asgi_room import host_starts, next_of, open_socket, rest_join

pytestmark = pytest.mark.django_db(transaction=True)
janus = media_testing.janus  # one real Janus for this module (fixture)


@pytest.fixture(autouse=True)
def _fresh_clients():
    yield
    clients_close()


async def test_welcome_and_refresh_carry_grants_and_only_for_joined_participants(janus, settings):
    await sync_to_async(register_node)(janus, settings)
    host_client, code = await sync_to_async(host_starts)()
    host_join = await sync_to_async(rest_join)(host_client, code)
    host, welcome = await open_socket(host_join)
    assert welcome["meeting"]["media_mode"] == "sfu"
    assert welcome["sfu"]["publisher_id"] == host_join["participant_id"]
    assert welcome["sfu"]["server_url"] == janus.process.ws_url

    guest_join = await sync_to_async(rest_join)(Client(), code, display_name="Guest Gita")
    guest, guest_welcome = await open_socket(guest_join)
    assert (guest_welcome["status"], guest_welcome["sfu"]) == ("waiting", None)
    await guest.send_json_to({"type": "sfu_refresh"})
    assert (await next_of(guest, "error"))["code"] == "permission_denied"

    await host.send_json_to({"type": "admit", "participant_id": guest_join["participant_id"]})
    admitted_welcome = await next_of(guest, "welcome")
    assert admitted_welcome["sfu"]["publisher_id"] == guest_join["participant_id"]
    await guest.send_json_to({"type": "sfu_refresh"})
    refreshed = await next_of(guest, "sfu")
    assert refreshed["sfu"]["room_token"] == admitted_welcome["sfu"]["room_token"]

    await host.send_json_to({"type": "remove", "participant_id": guest_join["participant_id"]})
    await next_of(guest, "removed")
    meeting = await sync_to_async(Meeting.objects.get)(meeting_code=code)
    node = await sync_to_async(MediaNode.objects.get)(name=janus.name)

    async def allowed() -> list[str]:
        return await sync_to_async(placement.room_allowed)(
            node=node, room_id=str(meeting.pk), action="add", tokens=[]
        )

    # The removal reaches Janus after it reaches the guest's socket: wait for it, briefly.
    for _ in range(50):
        if (tokens := await allowed()) == [welcome["sfu"]["room_token"]]:
            break
        await asyncio.sleep(0.1)
    assert tokens == [welcome["sfu"]["room_token"]]
    await host.disconnect()
    await guest.disconnect()


async def test_refresh_when_no_node_can_take_the_meeting_is_sfu_unavailable(janus, settings):
    await sync_to_async(register_node)(janus, settings)
    host_client, code = await sync_to_async(host_starts)()
    host, welcome = await open_socket(await sync_to_async(rest_join)(host_client, code))
    assert welcome["sfu"] is not None
    await sync_to_async(MediaNode.objects.update)(healthy=False)
    await host.send_json_to({"type": "sfu_refresh"})
    error = await next_of(host, "error")
    assert error["code"] == "sfu_unavailable"
    await host.disconnect()


async def test_a_dead_node_s_participants_get_new_grants_on_their_sockets(janus, settings, tmp_path):
    settings.JANUS_DEAD_AFTER_FAILURES = 2
    settings.JANUS_HEALTH_INTERVAL_SECONDS = 0  # the two rounds below come back to back
    survivor = await sync_to_async(register_node)(janus, settings, load=100)
    # Starting Janus blocks the event loop a moment: harmless here, nothing else runs yet.
    with media_testing.running_janus_node(tmp_path, "doomed") as doomed_janus:
        await sync_to_async(register_node)(doomed_janus, settings)
        host_client, code = await sync_to_async(host_starts)()
        host, welcome = await open_socket(await sync_to_async(rest_join)(host_client, code))
        guest_join = await sync_to_async(rest_join)(Client(), code, display_name="Guest")
        guest, _ = await open_socket(guest_join)
        await host.send_json_to({"type": "admit", "participant_id": guest_join["participant_id"]})
        await next_of(guest, "welcome")
        assert welcome["sfu"]["server_url"] == doomed_janus.process.ws_url
        doomed_janus.process.kill()

        for _ in range(2):
            await sync_to_async(monitor_step)()

    for socket in (host, guest):
        moved = await next_of(socket, "sfu")
        assert moved["sfu"]["server_url"] == janus.process.ws_url
    meeting = await sync_to_async(Meeting.objects.get)(meeting_code=code)
    assert meeting.conference_server_id == f"{survivor.name}/{meeting.pk}"
    await guest.send_json_to({"type": "chat", "text": "still here"})
    assert (await next_of(host, "chat.message"))["message"]["text"] == "still here"
    await host.disconnect()
    await guest.disconnect()


def test_the_monitor_thread_checks_nodes_and_stops_cleanly(janus, settings, tmp_path):
    settings.JANUS_HEALTH_INTERVAL_SECONDS = 0.1
    settings.JANUS_DEAD_AFTER_FAILURES = 2
    with media_testing.running_janus_node(tmp_path, "short-lived") as short_lived:
        settings.JANUS_NODES = [janus.node_settings(), short_lived.node_settings()]
        with monitor_running():
            _wait_for(lambda: MediaNode.objects.filter(healthy=True).count() == 2)
            short_lived.process.kill()
            _wait_for(lambda: not MediaNode.objects.get(name="short-lived").healthy)
    assert MediaNode.objects.get(name=janus.name).healthy
    assert MediaNode.objects.get(name="short-lived").failures >= 2


def _wait_for(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not _holds(condition):
        assert time.monotonic() < deadline, "the monitor did not get there"
        time.sleep(0.05)


def _holds(condition) -> bool:
    try:
        return bool(condition())
    except OperationalError:  # SQLite: the monitor's thread may hold the write lock a moment
        return False
