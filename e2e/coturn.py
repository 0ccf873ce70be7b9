"""A local coturn `turnserver` for browser tests, and a small TURN client to probe it.

The server runs inside the test network namespace on its veth address with the REST
shared-secret scheme (`use-auth-secret`), like production (deploy/coturn/turnserver.conf). It
takes production's `denied-peer-ip` lines as they are and then allows only the namespace's own
subnet, which production denies: the browsers' relayed addresses live there.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import hashlib
import hmac
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aioice import stun, turn

TURNSERVER = "/usr/bin/turnserver"
PRODUCTION_CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "coturn" / "turnserver.conf"
READY_TIMEOUT_S = 15
REQUEST_TIMEOUT_S = 10


@dataclass(frozen=True)
class Coturn:
    host: str
    port: int
    secret: str
    realm: str
    log_path: Path

    @property
    def url(self) -> str:
        return f"turn:{self.host}:{self.port}?transport=udp"

    def credentials(self, *, expiry: int, user_ref: str) -> tuple[str, str]:
        """A REST-scheme credential: username `<expiry>:<user_ref>`, password
        base64(HMAC-SHA1(secret, username)) - what the join API hands out."""
        username = f"{expiry}:{user_ref}"
        digest = hmac.new(self.secret.encode(), username.encode(), hashlib.sha1).digest()
        return username, base64.b64encode(digest).decode()


def production_peer_rules() -> list[str]:
    """The `denied-peer-ip` / `no-multicast-peers` lines of the production config."""
    lines = [line.strip() for line in PRODUCTION_CONFIG.read_text().splitlines()]
    rules = [line for line in lines if line.startswith("denied-peer-ip=") or line == "no-multicast-peers"]
    assert any(rule.startswith("denied-peer-ip=127.") for rule in rules), "no loopback rule in production"
    return rules


def namespace_config(
    *, host: str, port: int, secret: str, realm: str, work_dir: Path, allowed_subnet: str
) -> str:
    return "\n".join(
        [
            f"listening-ip={host}",
            f"relay-ip={host}",
            f"listening-port={port}",
            "min-port=49152",
            "max-port=49999",
            "use-auth-secret",
            f"static-auth-secret={secret}",
            f"realm={realm}",
            "fingerprint",
            "stale-nonce=600",
            "no-tls",
            "no-dtls",
            "no-tcp-relay",
            "no-cli",
            *production_peer_rules(),
            # TEST ONLY: the namespace's private subnet, where both browsers' relayed addresses
            # are. Production denies every private range (allowed-peer-ip wins over denied).
            f"allowed-peer-ip={allowed_subnet}",
            f"pidfile={work_dir / 'turnserver.pid'}",
            f"userdb={work_dir / 'turndb'}",
            f"log-file={work_dir / 'turnserver.log'}",
            "simple-log",
            "",
        ]
    )


@contextmanager
def running_coturn(work_dir: Path, *, host: str, port: int = 3478) -> Iterator[Coturn]:
    """Starts `turnserver` on host:port (UDP and TCP) and stops it on exit."""
    network = host.rsplit(".", 1)[0]
    server = Coturn(
        host=host,
        port=port,
        secret=secrets.token_urlsafe(24),
        realm="aapoon.test",
        log_path=work_dir / "turnserver.log",
    )
    config_path = work_dir / "turnserver.conf"
    config_path.write_text(
        namespace_config(
            host=host,
            port=port,
            secret=server.secret,
            realm=server.realm,
            work_dir=work_dir,
            allowed_subnet=f"{network}.0-{network}.255",
        )
    )
    output = (work_dir / "turnserver.out").open("ab")
    process = subprocess.Popen(
        [TURNSERVER, "-c", str(config_path)],
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    output.close()
    try:
        _wait_ready(server, process)
        yield server
    finally:
        _stop(process)


def _wait_ready(server: Coturn, process: subprocess.Popen[bytes]) -> None:
    """Ready when a STUN Binding request to it is answered."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    request = stun.Message(message_method=stun.Method.BINDING, message_class=stun.Class.REQUEST)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.2)
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"turnserver exited with {process.returncode}:\n{_log(server)}")
            sock.sendto(bytes(request), (server.host, server.port))
            try:
                answer = stun.parse_message(sock.recv(2048))
            except TimeoutError:
                continue
            if answer.transaction_id == request.transaction_id:
                return
    raise AssertionError(f"turnserver did not answer within {READY_TIMEOUT_S} s:\n{_log(server)}")


def _log(server: Coturn) -> str:
    try:
        return server.log_path.read_text(errors="replace")[-5000:]
    except FileNotFoundError:
        return "(no turnserver log)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


# --------------------------------------------------------------------------------------------
# A TURN client (aioice) to probe the server directly.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnAnswer:
    """The outcome of a TURN request: the relayed address, or the STUN error code."""

    relayed: tuple[str, int] | None = None
    error_code: int | None = None


def _run[T](coro: Coroutine[Any, Any, T]) -> T:
    # Its own thread and event loop: the tests drive Playwright's sync API on this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _allocate_then(
    server: Coturn, username: str, password: str, peer: tuple[str, int] | None
) -> TurnAnswer:
    loop = asyncio.get_running_loop()
    transport, client = await loop.create_datagram_endpoint(
        lambda: turn.TurnClientUdpProtocol(
            (server.host, server.port),
            username=username,
            password=password,
            lifetime=600,
            channel_refresh_time=300,
        ),
        remote_addr=(server.host, server.port),
    )
    try:
        relayed = await asyncio.wait_for(client.connect(), REQUEST_TIMEOUT_S)
        if peer is not None:
            # ChannelBind installs a permission for the peer: coturn checks its peer rules here.
            await asyncio.wait_for(client.channel_bind(0x4000, peer), REQUEST_TIMEOUT_S)
        return TurnAnswer(relayed=relayed)
    except stun.TransactionFailed as exc:
        return TurnAnswer(error_code=int(exc.response.attributes["ERROR-CODE"][0]))
    finally:
        if client.refresh_task is not None:
            client.refresh_task.cancel()
        transport.close()


def turn_allocate(server: Coturn, username: str, password: str) -> TurnAnswer:
    """A TURN Allocate (UDP) with these credentials."""
    return _run(_allocate_then(server, username, password, None))


def turn_allocate_and_permit(
    server: Coturn, username: str, password: str, peer: tuple[str, int]
) -> TurnAnswer:
    """A TURN Allocate, then a ChannelBind to `peer` (would coturn relay there?)."""
    return _run(_allocate_then(server, username, password, peer))
