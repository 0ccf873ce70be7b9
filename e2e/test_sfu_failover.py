"""A Janus node dies mid-meeting: the meeting moves to the second node by itself.

Two Janus nodes and one product server that watches them (health check every 0.5 s, dead after
two misses). The node holding the meeting is SIGKILLed: both pages show "Reconnecting…", media
resumes through the other node within 10 s of the kill (docs/sfu.md "Failover"; the issue asks for
10 s), and chat, which never went through Janus, carries on throughout.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator

import pytest
from conftest import Browsers, ServerFactory, browsers_on
from playwright.sync_api import Browser, expect
from sfu import (
    JanusNode,
    expect_media_through,
    extra_logs,
    janus_nodes,
    janus_nodes_env,
    janus_sockets,
    node_holding,
    saw_text,
    sfu_room_of,
    wait_for_tiles_rising,
    watch_for_text,
)
from support import Server
from test_meeting_room import (
    GUEST_NAME,
    HOST_NAME,
    MEDIA_TIMEOUT_S,
    chat_reaches,
    expect_chat_exactly_once_in_order,
    host_and_guests_walk_in,
    reconnecting_banner,
    send_chat,
)

# From the kill to media flowing again through the other node.
FAILOVER_DEADLINE_S = 10.0
RECONNECTING = "Reconnecting…"


@pytest.fixture(scope="module")
def two_node_stack(
    server_factory: ServerFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, list[JanusNode]]]:
    directory = tmp_path_factory.mktemp("sfu-failover")
    with janus_nodes(directory, ["a", "b"]) as nodes, server_factory.start(janus_nodes_env(nodes)) as srv:
        yield srv, nodes


@pytest.fixture
def people(
    small_browser: Browser, two_node_stack: tuple[Server, list[JanusNode]], request: pytest.FixtureRequest
) -> Iterator[Browsers]:
    srv, nodes = two_node_stack
    yield from browsers_on(small_browser, srv, request, extra_logs=extra_logs([srv], nodes))


def test_killed_janus_is_replaced_media_resumes_and_chat_carries_on(
    people: Browsers, two_node_stack: tuple[Server, list[JanusNode]]
) -> None:
    srv, nodes = two_node_stack
    token = secrets.token_hex(3)
    host, [guest], code = host_and_guests_walk_in(people, srv)
    pairs = ((host, GUEST_NAME), (guest, HOST_NAME))

    room_id, first = sfu_room_of(host.page, code, nodes, publishers=2)
    second = next(node for node in nodes if node is not first)
    expect_media_through(first, (host, guest), timeout_s=MEDIA_TIMEOUT_S)

    before = f"Before the crash {token}"
    chat_reaches(host, guest, before)

    for me, _ in pairs:
        watch_for_text(me.page, RECONNECTING)
    first.kill()
    killed_at = time.monotonic()
    expect(reconnecting_banner(host.page)).to_be_visible(timeout=5_000)
    during = f"While the media reconnects {token}"
    send_chat(host.page, during)

    # Media again, through the second node, within the deadline counted from the kill.
    for me, other in pairs:
        left = FAILOVER_DEADLINE_S - (time.monotonic() - killed_at)
        assert left > 0, f"{FAILOVER_DEADLINE_S} s passed before {me.name}'s media came back"
        wait_for_tiles_rising(me.page, [other], timeout_s=left, interval_s=0.5, who=me.name)
    assert node_holding([second], room_id, publishers=2) is second
    for me, _ in pairs:
        assert saw_text(me.page, RECONNECTING), f"{me.name}'s page never showed {RECONNECTING!r}"
        assert janus_sockets(me.page) == [second.process.ws_url], me.name
        expect(reconnecting_banner(me.page)).to_have_count(0)

    after = f"After the move {token}"
    send_chat(guest.page, after)
    for me, _ in pairs:
        expect_chat_exactly_once_in_order(me.page, [before, during, after])
