"""JanusClient and Janus tokens against a real Janus (token auth on, VideoRoom with string ids)."""

import base64
import hashlib
import hmac
import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from aapoon.media.janus.client import JanusClient, JanusError, JanusUnreachable
from aapoon.media.janus.tokens import janus_token
from aapoon.media.testing import free_tcp_port

VIDEOROOM = "janus.plugin.videoroom"
NOW = 1_900_000_000


def _sessions(janus) -> set[int]:
    return set(janus.client.admin({"janus": "list_sessions"})["sessions"])


def _raw(url: str, body: dict) -> dict:
    """One Janus API request without our client, to check tokens against Janus itself."""
    return httpx.post(url, json={**body, "transaction": "t"}, timeout=2).json()


# Tokens: the format, computed independently of the code under test


def test_token_is_expiry_realm_plugins_and_base64_hmac_sha1_of_that():
    token = janus_token(secret="s3cret", plugins=[VIDEOROOM, "janus.plugin.x"], ttl_seconds=60, now=NOW)
    data = f"{NOW + 60},janus,{VIDEOROOM},janus.plugin.x"
    signature = base64.b64encode(hmac.new(b"s3cret", data.encode(), hashlib.sha1).digest()).decode()
    assert token == f"{data}:{signature}"


@pytest.mark.parametrize(
    ("secret", "plugins", "ttl", "message"),
    [
        ("", [VIDEOROOM], 60, "non-empty secret"),
        ("s", [VIDEOROOM], 0, "positive lifetime"),
        ("s", ["janus.plugin.a,janus.plugin.b"], 60, "invalid plugin name"),
        ("s", ["janus:x"], 60, "invalid plugin name"),
        ("s", [""], 60, "invalid plugin name"),
    ],
)
def test_token_refuses_bad_input(secret, plugins, ttl, message):
    with pytest.raises(ValueError, match=message):
        janus_token(secret=secret, plugins=plugins, ttl_seconds=ttl, now=NOW)


def test_janus_accepts_our_token_for_a_session_and_the_videoroom(janus):
    token = janus_token(secret=janus.token_secret, plugins=[VIDEOROOM], ttl_seconds=60)
    session = _raw(janus.process.api_url, {"janus": "create", "token": token})
    assert session["janus"] == "success"
    session_url = f"{janus.process.api_url}/{session['data']['id']}"
    handle = _raw(session_url, {"janus": "attach", "plugin": VIDEOROOM, "token": token})
    assert handle["janus"] == "success"
    assert _raw(session_url, {"janus": "destroy", "token": token})["janus"] == "success"


def test_janus_refuses_expired_forged_and_wrong_plugin_tokens(janus):
    expired = janus_token(
        secret=janus.token_secret, plugins=[VIDEOROOM], ttl_seconds=60, now=time.time() - 120
    )
    forged = janus_token(secret="not-the-secret", plugins=[VIDEOROOM], ttl_seconds=60)
    for token in (expired, forged):
        answer = _raw(janus.process.api_url, {"janus": "create", "token": token})
        assert answer["janus"] == "error"
        assert answer["error"]["code"] == 403
    assert _raw(janus.process.api_url, {"janus": "create"})["error"]["code"] == 403

    other_plugin = janus_token(secret=janus.token_secret, plugins=["janus.plugin.echotest"], ttl_seconds=60)
    session = _raw(janus.process.api_url, {"janus": "create", "token": other_plugin})
    session_url = f"{janus.process.api_url}/{session['data']['id']}"
    attach = _raw(session_url, {"janus": "attach", "plugin": VIDEOROOM, "token": other_plugin})
    assert attach["error"]["code"] == 405  # JANUS_ERROR_UNAUTHORIZED_PLUGIN
    _raw(session_url, {"janus": "destroy", "token": other_plugin})


# VideoRoom requests


def test_create_exists_destroy_a_room_with_string_ids(janus):
    client = janus.client
    assert client.videoroom({"request": "exists", "room": "meeting-1"}) == {
        "videoroom": "success",
        "room": "meeting-1",
        "exists": False,
    }
    created = client.videoroom(
        {"request": "create", "room": "meeting-1", "secret": "room-secret", "pin": "1234", "allowed": ["tok"]}
    )
    assert created == {"videoroom": "created", "room": "meeting-1", "permanent": False}
    assert client.videoroom({"request": "exists", "room": "meeting-1"})["exists"] is True
    destroyed = client.videoroom({"request": "destroy", "room": "meeting-1", "secret": "room-secret"})
    assert destroyed == {"videoroom": "destroyed", "room": "meeting-1", "permanent": False}
    assert client.videoroom({"request": "exists", "room": "meeting-1"})["exists"] is False


def test_videoroom_errors_surface_with_their_code(janus):
    client = janus.client
    client.videoroom({"request": "create", "room": "meeting-2", "secret": "room-secret"})
    with pytest.raises(JanusError) as exists:
        client.videoroom({"request": "create", "room": "meeting-2"})
    assert (exists.value.code, exists.value.reason) == (427, "Room meeting-2 already exists")
    with pytest.raises(JanusError) as wrong_secret:
        client.videoroom({"request": "destroy", "room": "meeting-2", "secret": "wrong"})
    assert wrong_secret.value.code == 433  # JANUS_VIDEOROOM_ERROR_UNAUTHORIZED
    with pytest.raises(JanusError) as missing:
        client.videoroom({"request": "destroy", "room": "no-such-room", "secret": "x"})
    assert missing.value.code == 426  # JANUS_VIDEOROOM_ERROR_NO_SUCH_ROOM
    with pytest.raises(JanusError) as unknown:
        client.videoroom({"request": "no-such-request"})
    assert unknown.value.code == 423  # JANUS_VIDEOROOM_ERROR_INVALID_REQUEST
    # The wrong-secret destroy changed nothing.
    assert client.videoroom({"request": "exists", "room": "meeting-2"})["exists"] is True
    assert not isinstance(exists.value, JanusUnreachable)


def test_without_the_admin_key_a_valid_token_cannot_create_rooms_or_forward_media(janus):
    # A participant's Janus token opens a session like ours; only the admin key creates rooms.
    participant_like = janus.new_client(admin_secret="not-the-admin-key", timeout=5)
    janus.client.videoroom({"request": "create", "room": "meeting-admin-key", "secret": "room-secret"})
    try:
        assert (
            participant_like.videoroom({"request": "exists", "room": "meeting-admin-key"})["exists"] is True
        )
        with pytest.raises(JanusError) as create:
            participant_like.videoroom({"request": "create", "room": "their-own-room"})
        with pytest.raises(JanusError) as forward:
            participant_like.videoroom(
                {
                    "request": "rtp_forward",
                    "room": "meeting-admin-key",
                    "publisher_id": "x",
                    "host": "192.0.2.1",
                }
            )
    finally:
        participant_like.close()
    assert (create.value.code, forward.value.code) == (433, 433)  # JANUS_VIDEOROOM_ERROR_UNAUTHORIZED
    assert janus.client.videoroom({"request": "exists", "room": "their-own-room"})["exists"] is False


def test_a_wrong_token_secret_is_refused_and_opens_no_session(janus):
    before = _sessions(janus)
    intruder = janus.new_client(token_secret="not-the-token-secret")
    try:
        with pytest.raises(JanusError) as refused:
            intruder.videoroom({"request": "exists", "room": "meeting-3"})
    finally:
        intruder.close()
    assert refused.value.code == 403
    assert _sessions(janus) == before


def test_one_shared_session_serves_concurrent_threads(janus):
    client = janus.new_client()
    before = _sessions(janus)
    answers: list[bool] = []
    errors: list[BaseException] = []

    def ask(index: int) -> None:
        try:
            for _ in range(10):
                answers.append(client.videoroom({"request": "exists", "room": f"t-{index}"})["exists"])
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert answers == [False] * 80
        assert len(_sessions(janus) - before) == 1
    finally:
        client.close()
    assert _sessions(janus) == before  # close() destroyed it


def test_a_session_gone_on_the_janus_side_is_recreated(janus):
    client = janus.new_client()
    try:
        before = _sessions(janus)
        client.videoroom({"request": "exists", "room": "meeting-4"})
        (ours,) = _sessions(janus) - before
        # As when Janus times an idle session out: it is gone, the client does not know.
        token = janus_token(secret=janus.token_secret, plugins=[VIDEOROOM], ttl_seconds=60)
        assert (
            _raw(f"{janus.process.api_url}/{ours}", {"janus": "destroy", "token": token})["janus"]
            == "success"
        )

        assert client.videoroom({"request": "exists", "room": "meeting-4"})["exists"] is False
        (fresh,) = _sessions(janus) - before
        assert fresh != ours
    finally:
        client.close()


# Admin API


def test_admin_ping_and_list_sessions(janus):
    assert janus.client.admin({"janus": "ping"})["janus"] == "pong"
    janus.client.videoroom({"request": "exists", "room": "meeting-5"})
    listed = janus.client.admin({"janus": "list_sessions"})
    assert listed["janus"] == "success"
    assert janus.client._attachment[0] in listed["sessions"]


def test_admin_with_a_wrong_secret_is_refused(janus):
    client = janus.new_client(admin_secret="wrong", timeout=2)
    try:
        with pytest.raises(JanusError) as refused:
            client.admin({"janus": "list_sessions"})
    finally:
        client.close()
    assert refused.value.code == 403


# Unreachable nodes


@contextmanager
def client_at(base: str, *, timeout: float) -> Iterator[JanusClient]:
    """A client of whatever is at `base` (no Janus of ours: any secrets do), closed afterwards."""
    client = JanusClient(
        api_url=f"{base}/janus",
        admin_url=f"{base}/admin",
        admin_secret="a",
        token_secret="t",
        timeout=timeout,
    )
    try:
        yield client
    finally:
        client.close()


def test_a_node_that_is_not_listening_raises_unreachable():
    port = free_tcp_port()  # nothing listens there once the probe socket is closed
    with client_at(f"http://127.0.0.1:{port}", timeout=0.5) as client:
        with pytest.raises(JanusUnreachable) as videoroom:
            client.videoroom({"request": "exists", "room": "x"})
        with pytest.raises(JanusUnreachable) as admin:
            client.admin({"janus": "ping"})
    assert videoroom.value.code == admin.value.code == 0
    assert "ConnectError" in videoroom.value.reason


def test_a_closed_client_raises_unreachable(janus):
    client = janus.new_client()
    client.videoroom({"request": "exists", "room": "x"})
    client.close()
    with pytest.raises(JanusUnreachable, match="client closed"):
        client.videoroom({"request": "exists", "room": "x"})


def test_a_silent_node_raises_unreachable_after_the_timeout():
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts connections (backlog) but never answers
        port = silent.getsockname()[1]
        with (
            client_at(f"http://127.0.0.1:{port}", timeout=0.2) as client,
            pytest.raises(JanusUnreachable) as error,
        ):
            client.admin({"janus": "ping"})
    assert "Timeout" in error.value.reason


@pytest.fixture
def broken_gzip_server():
    """An HTTP server whose answers claim gzip but are not: reading them fails (DecodingError)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"not gzip!")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("base", "error"), [("broken_gzip", "DecodingError"), ("http://[::1", "InvalidURL")])
def test_any_http_failure_is_unreachable_not_a_crash(base, error, request):
    if base == "broken_gzip":
        base = request.getfixturevalue("broken_gzip_server")
    with client_at(base, timeout=2) as client, pytest.raises(JanusUnreachable) as caught:
        client.admin({"janus": "ping"})
    assert caught.value.reason.startswith(error)
