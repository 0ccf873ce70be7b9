"""The generated Janus configuration: what Janus itself reports once started from it."""

import dataclasses
import json
import stat

import pytest
import websockets.sync.client

from aapoon.media.janus.client import JanusError
from aapoon.media.janus.config import default_route_interface, write_janus_config
from aapoon.media.testing import janus_setup

CONFIG_FILES = {
    "janus.jcfg",
    "janus.plugin.videoroom.jcfg",
    "janus.transport.http.jcfg",
    "janus.transport.websockets.jcfg",
}


def _info(janus) -> dict:
    return janus.client.admin({"janus": "info"})


def test_janus_loads_only_videoroom_http_and_websockets(janus):
    info = _info(janus)
    assert set(info["plugins"]) == {"janus.plugin.videoroom"}
    assert set(info["transports"]) == {"janus.transport.http", "janus.transport.websockets"}
    assert info["events"] == {}
    assert info["loggers"] == {}
    assert info["event_handlers"] is False


def test_janus_runs_with_signed_tokens_and_no_api_secret(janus):
    info = _info(janus)
    assert info["auth_token"] is True
    assert info["api_secret"] is False


def test_videoroom_uses_string_ids(janus):
    with pytest.raises(JanusError) as numeric:
        janus.client.videoroom({"request": "create", "room": 1234})
    assert (numeric.value.code, numeric.value.reason) == (
        430,
        "Invalid element type (room should be a string)",
    )
    created = janus.client.videoroom({"request": "create", "room": "a-string-id"})
    assert created["room"] == "a-string-id"
    janus.client.videoroom({"request": "destroy", "room": "a-string-id"})


def test_videoroom_has_no_static_rooms(janus):
    assert janus.client.videoroom({"request": "list"})["list"] == []


def test_websockets_answer_on_the_bind_address(janus):
    with websockets.sync.client.connect(janus.process.ws_url, subprotocols=["janus-protocol"]) as ws:
        ws.send(json.dumps({"janus": "info", "transaction": "ws"}))
        answer = json.loads(ws.recv(timeout=5))
    assert answer["janus"] == "server_info"
    assert answer["transaction"] == "ws"


def test_config_files_are_the_needed_ones_and_private(tmp_path):
    setup = janus_setup(tmp_path, "cfg")
    directory = write_janus_config(setup)
    assert directory == setup.directory.resolve()
    assert {path.name for path in directory.iterdir() if path.is_file()} == CONFIG_FILES
    for name in CONFIG_FILES:
        assert stat.S_IMODE((directory / name).stat().st_mode) == 0o600
    core = (directory / "janus.jcfg").read_text()
    assert f'token_auth_secret = "{setup.token_secret}"' in core
    assert f'admin_secret = "{setup.admin_secret}"' in core
    assert f'ice_enforce_list = "{setup.ice_interface}"' in core
    low, high = setup.rtp_port_range
    assert f'rtp_port_range = "{low}-{high}"' in core
    assert "string_ids = true" in (directory / "janus.plugin.videoroom.jcfg").read_text()
    http = (directory / "janus.transport.http.jcfg").read_text()
    assert f"port = {setup.http_port}" in http
    assert f"admin_port = {setup.admin_port}" in http
    assert 'ip = "127.0.0.1"' in http


def _protected(setup) -> str:
    core = (write_janus_config(setup) / "janus.jcfg").read_text()
    return next(line for line in core.splitlines() if line.strip().startswith("protected_folders"))


def test_system_folders_and_the_config_folder_are_protected_from_recordings(tmp_path):
    setup = dataclasses.replace(janus_setup(tmp_path, "cfg"), recordings_dir=tmp_path / "recordings")
    protected = _protected(setup)
    assert '"/etc", "/initrd"' in protected
    assert '"/var"' in protected
    assert f'"{setup.directory.resolve()}"]' in protected  # nobody records over the config


def test_a_folder_holding_the_recordings_is_not_protected(tmp_path):
    setup = janus_setup(tmp_path, "cfg")  # recordings inside the config folder
    protected = _protected(setup)
    assert '"/etc"' in protected
    assert str(setup.directory.resolve()) not in protected


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"http_port": 0}, "three distinct TCP ports"),
        ({"admin_port": "same-as-http"}, "three distinct TCP ports"),
        ({"rtp_port_range": (20000, 10000)}, "invalid RTP port range"),
        ({"ice_interface": ""}, "interface for media"),
        ({"token_secret": ""}, "admin secret and a token secret"),
    ],
)
def test_a_bad_setup_is_refused_and_writes_nothing(tmp_path, change, message):
    setup = janus_setup(tmp_path, "cfg")
    if change.get("admin_port") == "same-as-http":
        change = {"admin_port": setup.http_port}
    with pytest.raises(ValueError, match=message):
        write_janus_config(dataclasses.replace(setup, **change))
    assert not setup.directory.exists()


ROUTE_HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"], None),
        (
            [
                "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "wlan0\t00000000\t010200C0\t0003\t0\t0\t600\t00000000\t0\t0\t0",
                "eth1\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
            ],
            "eth1",
        ),
        (["eth2\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0"], None),  # route down
    ],
)
def test_default_route_interface_reads_the_route_table(tmp_path, rows, expected):
    table = tmp_path / "route"
    table.write_text(ROUTE_HEADER + "\n".join(rows) + "\n")
    assert default_route_interface(table) == expected


def test_default_route_interface_without_a_route_table(tmp_path):
    assert default_route_interface(tmp_path / "missing") is None
