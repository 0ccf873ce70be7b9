"""Reads of the node registry."""

from collections.abc import Collection

from aapoon.media.models import MediaNode


def nodes_enabled() -> list[MediaNode]:
    return list(MediaNode.objects.filter(enabled=True).order_by("name"))


def node_by_name(name: str) -> MediaNode | None:
    return MediaNode.objects.filter(name=name).first()


def node_least_loaded(*, exclude: Collection[str] = ()) -> MediaNode | None:
    """The healthy enabled node with the lowest load for its capacity (ties: by name)."""
    candidates = MediaNode.objects.filter(enabled=True, healthy=True).exclude(name__in=list(exclude))
    return min(candidates, key=lambda node: (node.load / max(node.capacity, 1), node.name), default=None)


def node_usable(node: MediaNode | None) -> bool:
    return node is not None and node.enabled and node.healthy
