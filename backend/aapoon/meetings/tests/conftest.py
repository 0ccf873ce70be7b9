"""Fixtures the meetings tests share: running a service as production does, and what it sent."""

from typing import Any

import pytest
from channels.layers import get_channel_layer

from aapoon.meetings.tests.factories import Outbox


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
