"""Starting, stopping and killing a real Janus."""

import dataclasses
import os
import socket

import pytest

from aapoon.media.janus import process as janus_process
from aapoon.media.janus.client import JanusUnreachable
from aapoon.media.janus.process import JanusStartError, start_janus
from aapoon.media.testing import _client_for, janus_setup, require_janus_binary


@pytest.fixture(autouse=True)
def _needs_janus():
    require_janus_binary()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_start_answers_info_and_stop_ends_it(tmp_path):
    process = start_janus(janus_setup(tmp_path))
    client = _client_for(process)
    try:
        assert process.running()
        assert process.api_url == f"http://127.0.0.1:{process.setup.http_port}/janus"
        assert process.admin_url == f"http://127.0.0.1:{process.setup.admin_port}/admin"
        assert process.ws_url == f"ws://127.0.0.1:{process.setup.ws_port}/"
        assert client.admin({"janus": "ping"})["janus"] == "pong"
        process.stop()
        assert not process.running()
        assert not _alive(process.pid)
        with pytest.raises(JanusUnreachable):
            client.admin({"janus": "ping"})
        assert process._popen.returncode == 0  # a clean shutdown, not a kill
        assert process.log_path.read_text().rstrip().endswith("Bye!")
    finally:
        client.close()
        process.kill()


def test_kill_ends_it_at_once(tmp_path):
    process = start_janus(janus_setup(tmp_path))
    client = _client_for(process)
    try:
        process.kill()
        assert process._popen.returncode == -9
        assert not _alive(process.pid)
        with pytest.raises(JanusUnreachable):
            client.videoroom({"request": "exists", "room": "x"})
        process.stop()  # already gone: nothing to do, no error
    finally:
        client.close()


def test_a_port_in_use_fails_fast_with_the_log_and_leaves_no_process(tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        setup = dataclasses.replace(janus_setup(tmp_path), http_port=port)
        with pytest.raises(JanusStartError) as error:
            start_janus(setup, ready_timeout=60)
    message = str(error.value)
    assert message.startswith("janus reported a fatal error:")
    assert f"Couldn't start webserver on port {port}" in message
    assert not any("janus" in _cmdline(p) and str(setup.directory) in _cmdline(p) for p in _pids())


def test_without_the_binary_nothing_starts_or_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(janus_process.shutil, "which", lambda name: None)
    setup = janus_setup(tmp_path)
    with pytest.raises(JanusStartError, match="janus binary is not installed"):
        start_janus(setup)
    assert not setup.directory.exists()


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
