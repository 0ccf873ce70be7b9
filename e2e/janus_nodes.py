"""Janus nodes for browser tests and benchmarks, started inside the test network namespace.

Built on the backend's `aapoon.media.testing` (free ports, a random RTP block, fresh secrets):
inside the namespace Janus gathers media on veth0 (it never uses loopback); its HTTP, admin and
WebSocket APIs listen on 127.0.0.1.

    process = start_janus_node(tmp_path, "j1")     # caller stops it: process.stop()
    with janus_node(tmp_path, "j1") as node:        # node.process, node.client (JanusClient)
        ...
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BACKEND_DIR = Path(__file__).resolve().parent.parent / "backend"
if str(BACKEND_DIR) not in sys.path:
    sys.path.insert(0, str(BACKEND_DIR))

from aapoon.media.janus.process import JanusProcess, start_janus  # noqa: E402
from aapoon.media.janus.tokens import janus_token  # noqa: E402
from aapoon.media.testing import RunningJanus, janus_setup, running_janus_node  # noqa: E402

VIDEOROOM = "janus.plugin.videoroom"
PEER_TOKEN_TTL_SECONDS = 3600


def media_address() -> str:
    """The address other nodes and peers reach a node's media on: veth0's address inside the
    namespace (see run-in-netns.sh)."""
    return os.environ.get("E2E_NETNS_ADDRS", "10.203.0.1").split(",")[0]


def start_janus_node(tmp_path: Path, name: str = "j1") -> JanusProcess:
    """A Janus started under tmp_path/name (media on veth0 inside the namespace); the caller
    stops it (`.stop()`, or `.kill()` to simulate a node dying). `.setup` holds its secrets."""
    return start_janus(janus_setup(tmp_path, name))


@contextmanager
def janus_node(tmp_path: Path, name: str = "j1") -> Iterator[RunningJanus]:
    """A started node with a ready JanusClient (`.client`), stopped on exit."""
    with running_janus_node(tmp_path, name) as node:
        yield node


def peer_token(process: JanusProcess) -> str:
    """A Janus session token for this node (what the join API hands a participant)."""
    return janus_token(
        secret=process.setup.token_secret, plugins=[VIDEOROOM], ttl_seconds=PEER_TOKEN_TTL_SECONDS
    )
