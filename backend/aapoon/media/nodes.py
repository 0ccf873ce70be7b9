"""The registry of Janus nodes: rows synced from settings, their secrets, clients, health checks.

Secrets never reach the database: `node_secrets` reads them from `JANUS_NODES`, or derives them
from `SECRET_KEY` for the node named `local` (the Janus that `serve` starts by itself), so every
app process computes the same values without storing them.
"""

import datetime as dt
import hashlib
import hmac
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aapoon.media.janus.client import JanusClient
from aapoon.media.janus.errors import JanusError, JanusUnreachable
from aapoon.media.models import MediaNode

logger = logging.getLogger(__name__)

LOCAL_NODE_NAME = "local"
# Monitors on several app nodes share each node's row: a check that began sooner than this part
# of JANUS_HEALTH_INTERVAL_SECONDS after the recorded one is of the same round (another monitor's),
# and is not counted again.
RECHECK_AFTER_INTERVALS = 0.8


class UnknownNode(JanusUnreachable):
    """A node name that is neither in JANUS_NODES nor the local one: no secrets, so no way to
    reach it (every caller that handles JanusError handles this too)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no secrets configured for media node {name!r}")


@dataclass(frozen=True)
class NodeSecrets:
    admin_secret: str
    token_secret: str


@dataclass(frozen=True)
class NodeCheck:
    """The outcome of one health check, as recorded on the row; `at` is when it began."""

    ok: bool
    load: int
    error: str
    at: dt.datetime = field(default_factory=timezone.now)


def _derived_secret(purpose: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"aapoon.janus.local.{purpose}".encode(), hashlib.sha256
    ).hexdigest()


def _configured(name: str) -> dict[str, Any] | None:
    for entry in settings.JANUS_NODES:
        if entry.get("name") == name:
            return dict(entry)
    return None


def node_secrets(name: str) -> NodeSecrets:
    entry = _configured(name)
    if entry is not None:
        return NodeSecrets(admin_secret=str(entry["admin_secret"]), token_secret=str(entry["token_secret"]))
    if name == LOCAL_NODE_NAME:
        return NodeSecrets(admin_secret=_derived_secret("admin"), token_secret=_derived_secret("token"))
    raise UnknownNode(name)


def node_upsert(*, name: str, api_url: str, admin_url: str, public_url: str, capacity: int) -> MediaNode:
    """Create or update the node by name and enable it; health stays as last checked."""
    if not name or capacity < 1:
        raise ValueError("a media node needs a name and a capacity of at least 1")
    node, _ = MediaNode.objects.update_or_create(
        name=name,
        defaults={
            "api_url": api_url,
            "admin_url": admin_url,
            "public_url": public_url,
            "capacity": capacity,
            "enabled": True,
        },
    )
    return node


def node_disable(*, name: str) -> None:
    MediaNode.objects.filter(name=name).update(enabled=False, healthy=False)


def nodes_sync_from_settings() -> list[MediaNode]:
    """Make the rows match JANUS_NODES: listed nodes enabled, others (but `local`) disabled.

    With no JANUS_NODES nothing is disabled: `local` is registered by the launcher of `serve`.
    """
    synced: list[MediaNode] = []
    with transaction.atomic():
        for entry in settings.JANUS_NODES:
            synced.append(
                node_upsert(
                    name=str(entry["name"]),
                    api_url=str(entry["api_url"]),
                    admin_url=str(entry["admin_url"]),
                    public_url=str(entry["public_url"]),
                    capacity=int(str(entry.get("capacity") or 200)),
                )
            )
        if settings.JANUS_NODES:
            listed = [node.name for node in synced]
            MediaNode.objects.exclude(name__in=listed).update(enabled=False, healthy=False)
    return synced


class SharedJanusClient(JanusClient):
    """The process's client for one node, shared by every thread: it keeps one Janus session
    open, so a VideoRoom request is one round trip. `close` is a no-op so that no caller can
    pull it from under the others; `clients_close` really closes them."""

    def close(self) -> None:
        pass

    def close_shared(self) -> None:
        super().close()


_clients: dict[tuple[str, ...], SharedJanusClient] = {}
_clients_lock = threading.Lock()


def client_for(node: MediaNode) -> JanusClient:
    secrets = node_secrets(node.name)
    # Secrets are part of the key: a node restarted with new ones must not get the old client.
    key = (node.name, node.api_url, node.admin_url, secrets.admin_secret, secrets.token_secret)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = SharedJanusClient(
                api_url=node.api_url,
                admin_url=node.admin_url,
                admin_secret=secrets.admin_secret,
                token_secret=secrets.token_secret,
                timeout=settings.JANUS_REQUEST_TIMEOUT_SECONDS,
            )
            _clients[key] = client
        return client


def clients_close() -> None:
    """Close every shared client (at shutdown, and in tests that restart Janus)."""
    with _clients_lock:
        clients = list(_clients.values())
        _clients.clear()
    for client in clients:
        client.close_shared()


def node_probe(node: MediaNode) -> NodeCheck:
    """Ask the node's admin API whether it lives and how many Janus sessions it holds."""
    began = timezone.now()
    try:
        client = client_for(node)
        client.admin({"janus": "ping"})
        sessions = client.admin({"janus": "list_sessions"}).get("sessions") or []
        return NodeCheck(ok=True, load=len(sessions), error="", at=began)
    except JanusError as exc:
        error = f"{type(exc).__name__} {exc.code}: {exc.reason}"[:300]
        return NodeCheck(ok=False, load=0, error=error, at=began)


def _same_round(node: MediaNode, check: NodeCheck) -> bool:
    """Whether the check began too soon after the recorded one to be a new round (or before it).
    Beginnings, not ends, are compared: one monitor's rounds begin an interval apart however long
    each takes, so it never drops its own checks."""
    min_gap = dt.timedelta(seconds=RECHECK_AFTER_INTERVALS * settings.JANUS_HEALTH_INTERVAL_SECONDS)
    return node.checked_at is not None and check.at - node.checked_at < min_gap


def node_record_check(*, node_id: Any, check: NodeCheck, force: bool = False) -> tuple[MediaNode, bool]:
    """Write a check's outcome; returns the node and whether it just turned unhealthy.

    A check of the same round as the last recorded one (another app node's monitor got there
    first) is not counted, so one app node with a bad route to a node cannot mark it dead for
    everyone. `force` (a check asked for by hand) always counts."""
    with transaction.atomic():
        node = MediaNode.objects.select_for_update().get(pk=node_id)
        if not force and _same_round(node, check):
            return node, False
        was_healthy = node.healthy
        node.checked_at = check.at
        if check.ok:
            node.healthy, node.failures, node.load, node.last_ok_at, node.last_error = (
                True,
                0,
                check.load,
                check.at,
                "",
            )
        else:
            node.failures += 1
            node.last_error = check.error
            if node.failures >= settings.JANUS_DEAD_AFTER_FAILURES:
                node.healthy = False
        node.save(
            update_fields=[
                "checked_at",
                "healthy",
                "failures",
                "load",
                "last_ok_at",
                "last_error",
                "updated_at",
            ]
        )
    if was_healthy != node.healthy:
        logger.warning(
            "media node %s is now %s",
            node.name,
            "healthy" if node.healthy else f"unhealthy ({node.last_error})",
        )
    return node, was_healthy and not node.healthy


def node_check(node: MediaNode) -> tuple[MediaNode, bool]:
    """Check a node now, by hand (the admin's action): probe (outside any transaction: Janus may
    be slow) and record, even right after a monitor's check; see `node_record_check`."""
    return node_record_check(node_id=node.pk, check=node_probe(node), force=True)
