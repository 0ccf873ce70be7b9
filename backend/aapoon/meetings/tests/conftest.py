"""Fixtures the meetings tests share: running a service as production does, and what it sent."""

from typing import Any

import pytest
from channels.layers import get_channel_layer

from aapoon.meetings.tests.factories import Outbox, Room, db_state, make_room


@pytest.fixture
def outbox(monkeypatch) -> Outbox:
    """Records what the services hand to the channel layer."""
    box = Outbox()
    monkeypatch.setattr(get_channel_layer(), "group_send", box.group_send)
    return box


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs a service with its after-commit callbacks: run when it returns, dropped when it fails."""

    def run(service, /, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture
def r(db) -> Room:
    """A live meeting "Weekly": host Hema, co-hosts Cora and Cyd, Alice, guest Gita, Kiran waiting."""
    return make_room("Weekly", host="Hema", co="Cora", co2="Cyd", alice="Alice", gita="Gita", knock="Kiran")


@pytest.fixture
def other_room(db) -> Room:
    """A second meeting with its own host, used to prove one meeting can't reach into another."""
    return make_room("Elsewhere", host="Otto", co="Oco", co2="Oco2", alice="Olive", gita="Ogi", knock="Oki")


@pytest.fixture
def refused(commit, outbox: Outbox):
    """`refused(error, service, **kwargs)`: the service raises `error`, and nothing was written or sent."""

    def check(error: type[Exception], service, /, **kwargs: Any) -> Exception:
        before = db_state()
        with pytest.raises(error) as raised:
            commit(service, **kwargs)
        assert db_state() == before
        assert outbox.sent == []
        return raised.value

    return check
