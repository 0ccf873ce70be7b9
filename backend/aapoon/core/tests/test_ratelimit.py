"""The fixed-window rate limit: counts within the window, refuses past the limit, keys apart."""

import time

import pytest
import time_machine

from aapoon.core.errors import RateLimited
from aapoon.core.ratelimit import check_rate_limit

START = 1_900_000_000


def _attempt(key: str = "10.0.0.1", scope: str = "test", limit: int = 3, window: int = 60) -> None:
    check_rate_limit(scope=scope, key=key, limit=limit, window_seconds=window)


def test_allows_the_limit_then_refuses_with_429():
    for _ in range(3):
        _attempt()
    with pytest.raises(RateLimited) as refused:
        _attempt()
    assert refused.value.status == 429
    assert refused.value.code == "rate_limited"
    # Refused attempts keep counting: still refused.
    with pytest.raises(RateLimited):
        _attempt()


def test_keys_and_scopes_are_counted_apart():
    for _ in range(3):
        _attempt(key="10.0.0.1")
    with pytest.raises(RateLimited):
        _attempt(key="10.0.0.1")
    for _ in range(3):
        _attempt(key="10.0.0.2")
        _attempt(key="10.0.0.1", scope="other-scope")
    with pytest.raises(RateLimited):
        _attempt(key="10.0.0.2")


def test_a_new_window_starts_after_the_old_one_expires():
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            _attempt(window=60)
        with pytest.raises(RateLimited):
            _attempt(window=60)
        clock.move_to(START + 30)  # still inside the window
        with pytest.raises(RateLimited):
            _attempt(window=60)
        clock.move_to(START + 61)
        assert time.time() == START + 61
        for _ in range(3):
            _attempt(window=60)
        with pytest.raises(RateLimited):
            _attempt(window=60)


def test_a_limit_of_zero_refuses_the_first_attempt():
    with pytest.raises(RateLimited):
        _attempt(limit=0)
