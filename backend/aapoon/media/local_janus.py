"""The Janus that `serve` starts by itself (`make run`): SFU mode with nothing to configure.

It runs only when JANUS_AUTOSTART is on, no JANUS_NODES are configured and the janus binary is
installed. Signaling listens on 127.0.0.1; media uses the default-route interface (Janus never
gathers candidates on loopback). The node is registered as `local`, with secrets derived from
SECRET_KEY, and disabled again when the server stops.
"""

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from aapoon.media.janus.config import JanusSetup, default_route_interface
from aapoon.media.janus.process import JanusProcess, JanusStartError, start_janus
from aapoon.media.nodes import LOCAL_NODE_NAME, node_disable, node_secrets, node_upsert

logger = logging.getLogger(__name__)


@contextmanager
def local_janus() -> Iterator[JanusProcess | None]:
    """Run the local Janus for the duration of the block; yields None when it does not run."""
    setup = _local_setup()
    if setup is None:
        yield None
        return
    log_path = setup.directory / "janus.log"
    log_path.unlink(missing_ok=True)
    try:
        process = start_janus(setup, log_path=log_path)
    except (JanusStartError, OSError) as error:
        # The product still works without it: meetings fall back to browser-to-browser P2P.
        logger.error("local Janus did not start, meetings use P2P: %s", error)
        yield None
        return
    try:
        node_upsert(
            name=LOCAL_NODE_NAME,
            api_url=process.api_url,
            admin_url=process.admin_url,
            public_url=process.ws_url,
            capacity=settings.JANUS_LOCAL_CAPACITY,
        )
        logger.info("local Janus (pid %s) serves meetings at %s", process.pid, process.ws_url)
        yield process
    finally:
        # No new meeting is placed on it from here on; then it goes.
        try:
            node_disable(name=LOCAL_NODE_NAME)
        finally:
            process.stop()


def _local_setup() -> JanusSetup | None:
    """The local node's setup, or None (with the reason logged) when it should not run."""
    if not settings.JANUS_AUTOSTART:
        return None
    if settings.JANUS_NODES:
        logger.info("JANUS_NODES is set: no local Janus")
        return None
    if shutil.which("janus") is None:
        logger.info("janus is not installed: meetings use P2P (apt-get install janus for SFU mode)")
        return None
    interface = settings.JANUS_LOCAL_MEDIA_INTERFACE or default_route_interface()
    if not interface:
        logger.warning("no default-route interface for Janus media: no local Janus")
        return None
    secrets = node_secrets(LOCAL_NODE_NAME)
    return JanusSetup(
        directory=Path(settings.DATA_DIR) / "janus",
        http_port=settings.JANUS_LOCAL_HTTP_PORT,
        admin_port=settings.JANUS_LOCAL_ADMIN_PORT,
        ws_port=settings.JANUS_LOCAL_WS_PORT,
        rtp_port_range=parse_port_range(settings.JANUS_LOCAL_RTP_PORTS),
        ice_interface=interface,
        admin_secret=secrets.admin_secret,
        token_secret=secrets.token_secret,
        recordings_dir=Path(settings.RECORDINGS_DIR),
    )


def parse_port_range(text: str) -> tuple[int, int]:
    """ "20000-40000" -> (20000, 40000); anything else is a configuration error."""
    low, sep, high = text.partition("-")
    if not sep or not low.strip().isdigit() or not high.strip().isdigit():
        raise ValueError(f"JANUS_LOCAL_RTP_PORTS must look like 20000-40000, got {text!r}")
    return int(low), int(high)
