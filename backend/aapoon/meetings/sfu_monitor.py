"""The SFU health monitor: checks every enabled Janus node and moves meetings off dead ones.

`serve` runs it as a thread (`monitor_running`, listed in settings.SERVE_COMPANIONS); production
runs `manage.py sfu_monitor` as its own process. Several monitors may run at once (one per app
node): a check landing within one interval of another monitor's is not counted again, and
re-placing a meeting is safe to repeat.
"""

import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

from aapoon.media import selectors
from aapoon.media.models import MediaNode
from aapoon.media.nodes import NodeCheck, node_probe, node_record_check, nodes_sync_from_settings
from aapoon.meetings.sfu import meetings_failover

logger = logging.getLogger(__name__)
# Nodes are probed in parallel, so one that only times out doesn't delay the verdict on others.
MAX_PARALLEL_PROBES = 8


def _probe(node: MediaNode) -> NodeCheck:
    """A node's check that never raises: a bug or surprise in one node's check is logged and
    counts as a missed check, and the other nodes are checked as usual."""
    began = timezone.now()
    try:
        return node_probe(node)
    except Exception as exc:
        logger.exception("sfu monitor: checking media node %s failed unexpectedly", node.name)
        return NodeCheck(ok=False, load=0, error=f"unexpected {type(exc).__name__}", at=began)


def _failover(node_name: str) -> None:
    try:
        meetings_failover(node_name=node_name)
    except Exception:  # one node's meetings must not keep the others' where they are
        logger.exception("sfu monitor: moving meetings off media node %s failed", node_name)


def monitor_step(probes: ThreadPoolExecutor | None = None) -> None:
    """One round: check every enabled node, then move live meetings off nodes that are not usable."""
    nodes = selectors.nodes_enabled()
    checks = list(probes.map(_probe, nodes)) if probes is not None else [_probe(n) for n in nodes]
    for node, check in zip(nodes, checks, strict=True):
        node_record_check(node_id=node.pk, check=check)
    if selectors.node_least_loaded() is None:
        return  # nowhere to move anything; the stranded meetings wait for a node to come back
    unusable = MediaNode.objects.exclude(enabled=True, healthy=True).order_by("name")
    for name in unusable.values_list("name", flat=True):
        _failover(name)


class SfuMonitor:
    def __init__(self, *, interval: float | None = None) -> None:
        self.interval = settings.JANUS_HEALTH_INTERVAL_SECONDS if interval is None else interval
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        """Until `stop`: one round every `interval` seconds (rounds never overlap)."""
        with ThreadPoolExecutor(max_workers=MAX_PARALLEL_PROBES, thread_name_prefix="sfu-probe") as probes:
            try:
                nodes_sync_from_settings()
            except Exception:
                logger.exception("sfu monitor: could not sync media nodes from settings")
            while not self._stop.is_set():
                started = time.monotonic()
                close_old_connections()
                try:
                    monitor_step(probes)
                except Exception:  # a bad round must not end the monitoring
                    logger.exception("sfu monitor: a round failed")
                self._stop.wait(max(0.0, self.interval - (time.monotonic() - started)))
        connections.close_all()


@contextmanager
def monitor_running() -> Iterator[SfuMonitor]:
    """Run the monitor in a thread for the duration of the block."""
    monitor = SfuMonitor()
    thread = threading.Thread(target=monitor.run, name="sfu-monitor", daemon=True)
    thread.start()
    try:
        yield monitor
    finally:
        monitor.stop()
        thread.join(timeout=settings.JANUS_REQUEST_TIMEOUT_SECONDS * 2 + 1)
