"""The local Janus of `serve`: started, registered as node `local` and stopped only when it should."""

import logging
import signal
import socket

import pytest
from django.core.management import call_command

from aapoon.core.management.commands import serve
from aapoon.media import local_janus as local_janus_module
from aapoon.media.janus.client import JanusClient, JanusUnreachable
from aapoon.media.local_janus import local_janus, parse_port_range
from aapoon.media.models import MediaNode
from aapoon.media.nodes import node_secrets
from aapoon.media.testing import free_tcp_port, media_interface, require_janus_binary

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_settings(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.RECORDINGS_DIR = str(tmp_path / "recordings")
    settings.JANUS_AUTOSTART = True
    settings.JANUS_NODES = []
    settings.JANUS_LOCAL_HTTP_PORT = free_tcp_port()
    settings.JANUS_LOCAL_ADMIN_PORT = free_tcp_port()
    settings.JANUS_LOCAL_WS_PORT = free_tcp_port()
    settings.JANUS_LOCAL_RTP_PORTS = "41000-41199"
    settings.JANUS_LOCAL_MEDIA_INTERFACE = media_interface()
    settings.JANUS_LOCAL_CAPACITY = 50
    return settings


def _local_client(settings) -> JanusClient:
    secrets = node_secrets("local")
    return JanusClient(
        api_url=f"http://127.0.0.1:{settings.JANUS_LOCAL_HTTP_PORT}/janus",
        admin_url=f"http://127.0.0.1:{settings.JANUS_LOCAL_ADMIN_PORT}/admin",
        admin_secret=secrets.admin_secret,
        token_secret=secrets.token_secret,
        timeout=2,
    )


def test_starts_janus_registers_local_and_stops_it(local_settings):
    require_janus_binary()
    client = _local_client(local_settings)
    try:
        with local_janus() as process:
            assert process is not None and process.running()
            node = MediaNode.objects.get()
            assert (node.name, node.enabled, node.capacity) == ("local", True, 50)
            assert node.api_url == f"http://127.0.0.1:{local_settings.JANUS_LOCAL_HTTP_PORT}/janus"
            assert node.admin_url == f"http://127.0.0.1:{local_settings.JANUS_LOCAL_ADMIN_PORT}/admin"
            assert node.public_url == f"ws://127.0.0.1:{local_settings.JANUS_LOCAL_WS_PORT}/"
            # It takes the secrets every app process derives for `local`.
            assert client.admin({"janus": "ping"})["janus"] == "pong"
            assert client.videoroom({"request": "exists", "room": "m"})["exists"] is False
            config = (local_settings.DATA_DIR / "janus" / "janus.jcfg").read_text()
            assert 'rtp_port_range = "41000-41199"' in config
            assert f'ice_enforce_list = "{media_interface()}"' in config
        assert not process.running()
        node.refresh_from_db()
        assert (node.enabled, node.healthy) == (False, False)
        with pytest.raises(JanusUnreachable):
            client.admin({"janus": "ping"})
    finally:
        client.close()


@pytest.mark.parametrize(
    "change",
    [
        {"JANUS_AUTOSTART": False},
        {"JANUS_NODES": [{"name": "n1", "api_url": "http://10.0.0.5:8088/janus"}]},
    ],
)
def test_does_nothing_when_off_or_nodes_are_configured(local_settings, change, monkeypatch):
    for name, value in change.items():
        setattr(local_settings, name, value)
    monkeypatch.setattr(local_janus_module, "start_janus", _must_not_start)
    with local_janus() as process:
        assert process is None
    assert not MediaNode.objects.exists()
    assert not (local_settings.DATA_DIR / "janus").exists()


def test_does_nothing_without_the_binary(local_settings, monkeypatch):
    monkeypatch.setattr(local_janus_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(local_janus_module, "start_janus", _must_not_start)
    with local_janus() as process:
        assert process is None
    assert not MediaNode.objects.exists()


def test_a_janus_that_cannot_start_leaves_p2p_and_says_why(local_settings, caplog):
    require_janus_binary()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", local_settings.JANUS_LOCAL_WS_PORT))
        squatter.listen()
        with caplog.at_level(logging.ERROR, logger="aapoon.media.local_janus"), local_janus() as process:
            assert process is None
    assert not MediaNode.objects.exists()
    assert "local Janus did not start, meetings use P2P" in caplog.text


def test_serve_runs_its_companions_around_uvicorn(local_settings, monkeypatch):
    require_janus_binary()
    local_settings.TASK_RUNNER_IN_PROCESS = False
    local_settings.SERVE_COMPANIONS = ["aapoon.media.local_janus.local_janus"]
    seen: dict[str, object] = {}

    def fake_uvicorn_run(app: str, **options: object) -> None:
        node = MediaNode.objects.get(name="local")
        client = _local_client(local_settings)
        try:
            seen["pong"] = client.admin({"janus": "ping"})["janus"]
        finally:
            client.close()
        seen["enabled"] = node.enabled
        seen["port"] = options["port"]

    monkeypatch.setattr(serve.uvicorn, "run", fake_uvicorn_run)
    call_command("serve", "--port", "8123")
    assert seen == {"pong": "pong", "enabled": True, "port": 8123}
    assert MediaNode.objects.get(name="local").enabled is False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_stops_its_companions_when_uvicorn_reraises_the_stop_signal(
    local_settings, monkeypatch, signum
):
    require_janus_binary()
    local_settings.TASK_RUNNER_IN_PROCESS = False
    local_settings.SERVE_COMPANIONS = ["aapoon.media.local_janus.local_janus"]
    started: list[int] = []

    def fake_uvicorn_run(app: str, **options: object) -> None:
        started.append(MediaNode.objects.get(name="local").pk)
        # What uvicorn does after its graceful shutdown: raise the signal it caught again.
        signal.raise_signal(signum)

    monkeypatch.setattr(serve.uvicorn, "run", fake_uvicorn_run)
    before = signal.getsignal(signum)
    call_command("serve")  # returns: the signal ended the server, not the test process
    assert len(started) == 1
    assert MediaNode.objects.get(name="local").enabled is False
    assert (
        (local_settings.DATA_DIR / "janus" / "janus.log").read_text().rstrip().endswith("Bye!")
    )  # stopped cleanly
    assert signal.getsignal(signum) == before


def test_serve_refuses_a_companion_that_is_not_a_context_manager(local_settings, monkeypatch):
    local_settings.TASK_RUNNER_IN_PROCESS = False
    local_settings.SERVE_COMPANIONS = ["aapoon.media.janus.config.default_route_interface"]
    monkeypatch.setattr(serve.uvicorn, "run", _must_not_start)
    with pytest.raises(TypeError, match="must be a context manager factory"):
        call_command("serve")


@pytest.mark.parametrize("text", ["", "20000", "a-b", "20000-", "-1-5"])
def test_rtp_port_range_setting_must_be_low_dash_high(text):
    with pytest.raises(ValueError, match="JANUS_LOCAL_RTP_PORTS must look like 20000-40000"):
        parse_port_range(text)


def test_rtp_port_range_setting_parses():
    assert parse_port_range("20000-40000") == (20000, 40000)


def _must_not_start(*args: object, **kwargs: object) -> None:
    raise AssertionError("nothing should start here")
