"""The node registry: secrets, rows synced from settings, health checks against real Janus."""

import datetime as dt

import pytest
from django.utils import timezone

from aapoon.accounts.tests.factories import make_user
from aapoon.media.janus.errors import JanusUnreachable
from aapoon.media.models import MediaNode
from aapoon.media.nodes import (
    LOCAL_NODE_NAME,
    NodeCheck,
    UnknownNode,
    client_for,
    clients_close,
    node_check,
    node_record_check,
    node_secrets,
    node_upsert,
    nodes_sync_from_settings,
)
from aapoon.media.testing import running_janus_node

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_clients():
    yield
    clients_close()


def entry(name: str, **overrides: object) -> dict[str, object]:
    return {
        "name": name,
        "api_url": f"http://{name}:8088/janus",
        "admin_url": f"http://{name}:7088/admin",
        "public_url": f"wss://{name}.example.com/",
        "admin_secret": f"{name}-admin",
        "token_secret": f"{name}-token",
        "capacity": 50,
        **overrides,
    }


# ---- secrets -----------------------------------------------------------------------------------------


def test_secrets_come_from_settings_by_name(settings):
    settings.JANUS_NODES = [entry("j1"), entry("j2")]
    assert node_secrets("j2") == node_secrets("j2")
    assert (node_secrets("j2").admin_secret, node_secrets("j2").token_secret) == ("j2-admin", "j2-token")


def test_local_secrets_are_derived_from_the_secret_key(settings):
    settings.JANUS_NODES = []
    local = node_secrets(LOCAL_NODE_NAME)
    assert local == node_secrets(LOCAL_NODE_NAME)
    assert local.admin_secret != local.token_secret
    assert settings.SECRET_KEY not in (local.admin_secret, local.token_secret)
    assert len(local.admin_secret) == len(local.token_secret) == 64
    settings.SECRET_KEY = "rotated"
    assert node_secrets(LOCAL_NODE_NAME) != local


def test_a_node_named_local_in_settings_uses_the_configured_secrets(settings):
    settings.JANUS_NODES = [entry(LOCAL_NODE_NAME)]
    assert node_secrets(LOCAL_NODE_NAME).admin_secret == "local-admin"


def test_an_unknown_node_has_no_secrets_and_is_unreachable(settings):
    settings.JANUS_NODES = [entry("j1")]
    with pytest.raises(UnknownNode) as caught:
        node_secrets("j9")
    assert isinstance(caught.value, JanusUnreachable)  # handled wherever a Janus failure is
    node = MediaNode.objects.create(name="j9", healthy=True)
    checked, died = node_check(node)
    assert (checked.failures, checked.last_error, died) == (
        1,
        "UnknownNode 0: no secrets configured for media node 'j9'",
        False,
    )


# ---- rows ------------------------------------------------------------------------------------------------


def test_upsert_creates_then_updates_by_name_and_enables():
    node = node_upsert(
        name="j1", api_url="http://a/janus", admin_url="http://a/admin", public_url="ws://a/", capacity=5
    )
    MediaNode.objects.filter(pk=node.pk).update(enabled=False, healthy=True, load=3)
    again = node_upsert(
        name="j1", api_url="http://b/janus", admin_url="http://b/admin", public_url="ws://b/", capacity=9
    )
    assert again.pk == node.pk
    assert MediaNode.objects.count() == 1
    again.refresh_from_db()
    assert (again.api_url, again.admin_url, again.public_url, again.capacity) == (
        "http://b/janus",
        "http://b/admin",
        "ws://b/",
        9,
    )
    assert (again.enabled, again.healthy, again.load) == (True, True, 3)  # health stays as last checked


@pytest.mark.parametrize(("name", "capacity"), [("", 5), ("j1", 0)])
def test_upsert_refuses_a_node_without_name_or_capacity(name, capacity):
    with pytest.raises(ValueError, match="name and a capacity"):
        node_upsert(name=name, api_url="a", admin_url="b", public_url="c", capacity=capacity)
    assert not MediaNode.objects.exists()


def test_sync_enables_listed_nodes_and_disables_the_others(settings):
    MediaNode.objects.create(name="old", healthy=True)
    MediaNode.objects.create(name="j2", enabled=False, capacity=1)
    settings.JANUS_NODES = [entry("j1"), entry("j2", capacity=70)]

    synced = nodes_sync_from_settings()

    assert [n.name for n in synced] == ["j1", "j2"]
    rows = {n.name: (n.enabled, n.healthy, n.capacity) for n in MediaNode.objects.all()}
    assert rows == {"old": (False, False, 200), "j1": (True, False, 50), "j2": (True, False, 70)}
    assert MediaNode.objects.get(name="j1").public_url == "wss://j1.example.com/"


def test_sync_without_configured_nodes_keeps_the_local_one(settings):
    settings.JANUS_NODES = []
    MediaNode.objects.create(name=LOCAL_NODE_NAME, healthy=True)
    assert nodes_sync_from_settings() == []
    assert MediaNode.objects.get(name=LOCAL_NODE_NAME).enabled


def test_the_client_of_a_node_is_shared_and_survives_close(settings, janus):
    settings.JANUS_NODES = [janus.node_settings()]
    node = nodes_sync_from_settings()[0]
    client = client_for(node)
    assert client_for(MediaNode.objects.get(pk=node.pk)) is client
    client.close()  # a caller closing it must not break it for the others
    assert client.videoroom({"request": "list"})["videoroom"] == "success"


# ---- health ------------------------------------------------------------------------------------------------


def test_a_live_node_is_healthy_with_its_session_count_as_load(settings, janus):
    settings.JANUS_NODES = [janus.node_settings()]
    node = nodes_sync_from_settings()[0]
    client_for(node).videoroom({"request": "list"})  # our own shared session counts
    sessions = len(janus.client.admin({"janus": "list_sessions"})["sessions"])

    checked, died = node_check(node)

    assert (checked.healthy, checked.failures, checked.load, checked.last_error, died) == (
        True,
        0,
        sessions,
        "",
        False,
    )
    assert sessions >= 1
    assert checked.checked_at == checked.last_ok_at is not None


def test_a_node_is_unhealthy_after_the_configured_misses_and_healthy_when_back(settings, tmp_path):
    settings.JANUS_DEAD_AFTER_FAILURES = 2
    with running_janus_node(tmp_path, "jx") as janus:
        settings.JANUS_NODES = [janus.node_settings()]
        node = nodes_sync_from_settings()[0]
        assert node_check(node)[0].healthy
        janus.process.kill()

        first, died_first = node_check(node)
        second, died_second = node_check(node)

    assert (first.healthy, first.failures, died_first) == (True, 1, False)
    assert (second.healthy, second.failures, died_second) == (False, 2, True)
    assert second.last_error.startswith("JanusUnreachable 0")
    assert node_check(node)[1] is False  # already dead: "just died" is said once

    back = node_record_check(node_id=node.pk, check=NodeCheck(ok=True, load=4, error=""), force=True)[0]
    assert (back.healthy, back.failures, back.load, back.last_error) == (True, 0, 4, "")


def test_a_node_never_reached_stays_unhealthy(settings):
    settings.JANUS_NODES = [
        entry("nowhere", api_url="http://127.0.0.1:9/janus", admin_url="http://127.0.0.1:9/admin")
    ]
    node = nodes_sync_from_settings()[0]
    checked, died = node_check(node)
    assert (checked.healthy, checked.failures, died) == (False, 1, False)
    assert checked.last_ok_at is None


def test_a_wrong_admin_secret_counts_as_a_miss(settings, janus):
    settings.JANUS_NODES = [{**janus.node_settings(), "admin_secret": "wrong"}]
    node = nodes_sync_from_settings()[0]
    checked, _ = node_check(node)
    assert (checked.healthy, checked.failures) == (False, 1)
    assert checked.last_error.startswith("JanusError 403")


def test_checks_of_one_round_from_several_monitors_count_once(settings):
    """Two app nodes' monitors check the same node within one interval: one app node's bad route
    to it must not count as two misses (and so make it dead for everyone)."""
    settings.JANUS_HEALTH_INTERVAL_SECONDS = 5
    settings.JANUS_DEAD_AFTER_FAILURES = 2
    node = MediaNode.objects.create(name="j1", healthy=True)
    start = timezone.now()

    def check(after_seconds: float, ok: bool) -> MediaNode:
        at = start + dt.timedelta(seconds=after_seconds)
        return node_record_check(node_id=node.pk, check=NodeCheck(ok=ok, load=0, error="", at=at))[0]

    assert (check(0, ok=False).failures, check(0.5, ok=False).failures) == (1, 1)
    assert check(3.9, ok=False).failures == 1  # within 0.8 x the interval of the last one
    dead = check(4.1, ok=False)
    assert (dead.failures, dead.healthy) == (2, False)
    assert check(4.2, ok=True).healthy is False  # an older round's answer, not counted either
    assert check(8.3, ok=True).healthy is True


def test_a_check_asked_for_by_hand_always_counts(settings):
    settings.JANUS_HEALTH_INTERVAL_SECONDS = 60
    node = MediaNode.objects.create(name="j1", healthy=True)
    node_record_check(node_id=node.pk, check=NodeCheck(ok=True, load=1, error=""))
    forced = node_record_check(node_id=node.pk, check=NodeCheck(ok=True, load=7, error=""), force=True)
    assert forced[0].load == 7


# ---- the admin ---------------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    client.force_login(make_user(email="admin@example.com", is_staff=True, is_superuser=True))
    return client


def test_the_admin_lists_nodes_with_health_and_load_and_asks_a_node_live(staff_client, settings, janus):
    settings.JANUS_NODES = [janus.node_settings()]
    node = nodes_sync_from_settings()[0]
    MediaNode.objects.filter(pk=node.pk).update(healthy=True, load=50, capacity=200)

    listing = staff_client.get("/admin/media/medianode/")
    page = staff_client.get(f"/admin/media/medianode/{node.pk}/change/")

    assert listing.status_code == page.status_code == 200
    assert b"25 %" in listing.content
    assert b"answers, " in page.content
    assert janus.admin_secret.encode() not in page.content
    assert staff_client.get("/admin/media/medianode/add/").status_code == 403


def test_the_admin_check_action_records_health(staff_client, settings, janus):
    settings.JANUS_NODES = [janus.node_settings()]
    node = nodes_sync_from_settings()[0]
    response = staff_client.post(
        "/admin/media/medianode/", {"action": "check_now", "_selected_action": [str(node.pk)]}, follow=True
    )
    assert response.status_code == 200
    node.refresh_from_db()
    assert (node.healthy, node.failures) == (True, 0)
