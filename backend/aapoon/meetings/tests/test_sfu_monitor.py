"""One monitor round: every node's check counts once per round whoever makes it, and nothing one
node does (a surprise in its check, or in moving its meetings) stops the round for the others."""

import pytest

from aapoon.media.models import MediaNode
from aapoon.media.nodes import NodeCheck
from aapoon.meetings import sfu_monitor
from aapoon.meetings.sfu_monitor import monitor_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def nodes(settings) -> dict[str, MediaNode]:
    settings.JANUS_DEAD_AFTER_FAILURES = 2
    settings.JANUS_HEALTH_INTERVAL_SECONDS = 0
    return {name: MediaNode.objects.create(name=name, healthy=True) for name in ("a", "b", "c")}


def answers(monkeypatch, **outcomes: object) -> None:
    """Each node's probe answers as given: True (alive), False (a miss) or an exception to raise."""

    def probe(node: MediaNode) -> NodeCheck:
        outcome = outcomes[node.name]
        if isinstance(outcome, Exception):
            raise outcome
        return NodeCheck(ok=bool(outcome), load=1, error="" if outcome else "JanusUnreachable 0: down")

    monkeypatch.setattr(sfu_monitor, "node_probe", probe)


def health() -> dict[str, tuple[bool, int, str]]:
    return {n.name: (n.healthy, n.failures, n.last_error) for n in MediaNode.objects.order_by("name")}


def test_a_check_that_fails_unexpectedly_is_a_miss_and_the_others_are_checked(nodes, monkeypatch):
    answers(monkeypatch, a=True, b=RuntimeError("a bug"), c=False)
    monitor_step()
    assert health() == {
        "a": (True, 0, ""),
        "b": (True, 1, "unexpected RuntimeError"),
        "c": (True, 1, "JanusUnreachable 0: down"),
    }
    monitor_step()
    assert health()["b"] == (False, 2, "unexpected RuntimeError")


def test_moving_one_node_s_meetings_failing_does_not_keep_the_others_where_they_are(nodes, monkeypatch):
    MediaNode.objects.filter(name__in=("b", "c")).update(healthy=False)
    answers(monkeypatch, a=True, b=False, c=False)
    tried: list[str] = []

    def failover(*, node_name: str) -> int:
        tried.append(node_name)
        if node_name == "b":
            raise RuntimeError("a bug")
        return 0

    monkeypatch.setattr(sfu_monitor, "meetings_failover", failover)
    monitor_step()
    assert tried == ["b", "c"]


def test_two_monitors_checking_in_one_interval_count_one_miss(nodes, monkeypatch, settings):
    # Two app nodes' monitors, one with a bad route to "b": its misses must not add up to death.
    settings.JANUS_HEALTH_INTERVAL_SECONDS = 30
    answers(monkeypatch, a=True, b=False, c=True)
    monitor_step()
    monitor_step()
    assert health()["b"] == (True, 1, "JanusUnreachable 0: down")
