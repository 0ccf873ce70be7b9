"""Several app nodes and several Janus nodes: the production topology in miniature.

Two product servers (`manage.py serve`) share one database (the run's: SQLite in WAL mode, or
PostgreSQL with E2E_DATABASE_URL) and one Redis (channel layer and cache), and both know the
same two Janus nodes. The host is connected to app node A, the guest to app node B: the knock,
the admission, chat and the media all cross between them.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from conftest import Browsers, ServerFactory, browsers_on
from playwright.sync_api import Browser, expect
from sfu import (
    JanusNode,
    expect_media_through,
    extra_logs,
    janus_nodes,
    janus_nodes_env,
    running_redis,
    sfu_room_of,
)
from support import ROOM_PROBES_SCRIPT, Server
from test_meeting_room import (
    GUEST_NAME,
    MEDIA_TIMEOUT_S,
    WAITING,
    Person,
    admit,
    chat_both_ways,
    expect_in_room,
    guest_asks_to_join,
    host_starts_instant_meeting,
)


@dataclass
class Cluster:
    node_a: Server
    node_b: Server
    janus: list[JanusNode]


@pytest.fixture(scope="module")
def cluster(server_factory: ServerFactory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    directory = tmp_path_factory.mktemp("multi-node")
    with running_redis(directory / "redis") as redis_url, janus_nodes(directory, ["a", "b"]) as nodes:
        env = {**janus_nodes_env(nodes), "REDIS_URL": redis_url}
        with (
            server_factory.start(env, name="app-a") as node_a,
            server_factory.start(env, share_with=node_a, name="app-b") as node_b,
        ):
            yield Cluster(node_a=node_a, node_b=node_b, janus=nodes)


@pytest.fixture
def people(small_browser: Browser, cluster: Cluster, request: pytest.FixtureRequest) -> Iterator[Browsers]:
    yield from browsers_on(
        small_browser,
        cluster.node_a,
        request,
        extra_logs=extra_logs([cluster.node_a, cluster.node_b], cluster.janus),
    )


def test_people_on_different_app_nodes_chat_and_see_each_other(people: Browsers, cluster: Cluster) -> None:
    token = secrets.token_hex(3)
    host, code = host_starts_instant_meeting(people, cluster.node_a)
    assert host.page.url.startswith(cluster.node_a.url)

    # The guest knocks on app node B; the host, on node A, admits them.
    guest_page = people.new_context(
        "guest", init_scripts=(ROOM_PROBES_SCRIPT,), server=cluster.node_b
    ).new_page()
    guest = Person(name=GUEST_NAME, page=guest_page)
    guest_asks_to_join(guest.page, code, GUEST_NAME)
    assert guest.page.url.startswith(cluster.node_b.url)
    expect(guest.page.get_by_text(WAITING)).to_be_visible()
    admit(host, GUEST_NAME)
    expect_in_room(guest.page)

    # One meeting, one Janus room: both publish on the same node and see each other.
    _, holding = sfu_room_of(host.page, code, cluster.janus, publishers=2)
    expect_media_through(holding, (host, guest), timeout_s=MEDIA_TIMEOUT_S)

    # Chat both ways across the app nodes.
    chat_both_ways(host, guest, f"Hello from node A {token}", f"Hello from node B {token}")
