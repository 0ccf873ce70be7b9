"""Real Janus processes for tests: `running_janus(...)` and the pytest fixture `janus`.

Other apps' conftest files use the fixture with `from aapoon.media.testing import janus  # noqa: F401`.
Without the janus binary the tests that need it skip, except under CI (env CI set), where they fail.
"""

import os
import random
import secrets
import shutil
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aapoon.media.janus.client import JanusClient
from aapoon.media.janus.config import JanusSetup, default_route_interface
from aapoon.media.janus.process import JanusProcess, start_janus

# RTP ranges are handed out in blocks of this size from a high, rarely used span.
RTP_BLOCK = 200
RTP_SPAN = (30000, 50000)
CLIENT_TIMEOUT_SECONDS = 2.0


def free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def media_interface() -> str:
    """veth0 inside the e2e network namespace; else the default-route interface (Janus skips lo)."""
    if os.environ.get("E2E_NETNS") == "1":
        return "veth0"
    return default_route_interface() or "lo"


def require_janus_binary() -> None:
    """Skip the calling test when Janus is not installed, or fail under CI where it must be."""
    if shutil.which("janus") is not None:
        return
    reason = "the janus binary is not installed (apt-get install janus)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, and CI is set: SFU tests must run")
    pytest.skip(reason)


def janus_setup(directory: Path, name: str = "j1") -> JanusSetup:
    """A setup with free ports, a random RTP block and fresh secrets, all under `directory`."""
    rtp_low = random.randrange(RTP_SPAN[0], RTP_SPAN[1], RTP_BLOCK)
    return JanusSetup(
        directory=directory / name,
        http_port=free_tcp_port(),
        admin_port=free_tcp_port(),
        ws_port=free_tcp_port(),
        rtp_port_range=(rtp_low, rtp_low + RTP_BLOCK - 1),
        ice_interface=media_interface(),
        admin_secret=secrets.token_urlsafe(24),
        token_secret=secrets.token_urlsafe(24),
        recordings_dir=directory / name / "recordings",
    )


@contextmanager
def running_janus(tmp_path: Path, name: str = "j1") -> Iterator[JanusProcess]:
    """A Janus started under tmp_path/name, stopped on exit; `.setup` holds its secrets."""
    process = start_janus(janus_setup(tmp_path, name))
    try:
        yield process
    finally:
        process.stop()


@dataclass
class RunningJanus:
    """What the `janus` fixture yields: the process, its secrets and a ready client."""

    name: str
    process: JanusProcess
    client: JanusClient

    @property
    def admin_secret(self) -> str:
        return self.process.setup.admin_secret

    @property
    def token_secret(self) -> str:
        return self.process.setup.token_secret

    def new_client(
        self,
        *,
        admin_secret: str | None = None,
        token_secret: str | None = None,
        timeout: float = CLIENT_TIMEOUT_SECONDS,
    ) -> JanusClient:
        """Another client of this node (the caller closes it), e.g. one with a wrong secret."""
        return _client_for(
            self.process, admin_secret=admin_secret, token_secret=token_secret, timeout=timeout
        )

    def node_settings(self, capacity: int = 200) -> dict[str, Any]:
        """This node as an entry of settings.JANUS_NODES."""
        return {
            "name": self.name,
            "api_url": self.process.api_url,
            "admin_url": self.process.admin_url,
            "public_url": self.process.ws_url,
            "admin_secret": self.admin_secret,
            "token_secret": self.token_secret,
            "capacity": capacity,
        }


@contextmanager
def running_janus_node(tmp_path: Path, name: str = "j1") -> Iterator[RunningJanus]:
    with ExitStack() as stack:
        process = stack.enter_context(running_janus(tmp_path, name))
        node = RunningJanus(name=name, process=process, client=_client_for(process))
        stack.callback(node.client.close)
        yield node


def _client_for(
    process: JanusProcess,
    *,
    admin_secret: str | None = None,
    token_secret: str | None = None,
    timeout: float = CLIENT_TIMEOUT_SECONDS,
) -> JanusClient:
    return JanusClient(
        api_url=process.api_url,
        admin_url=process.admin_url,
        admin_secret=process.setup.admin_secret if admin_secret is None else admin_secret,
        token_secret=process.setup.token_secret if token_secret is None else token_secret,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def janus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningJanus]:
    """One real Janus per test module (VideoRoom, HTTP, WebSockets; token auth on)."""
    require_janus_binary()
    with running_janus_node(tmp_path_factory.mktemp("janus")) as node:
        yield node
