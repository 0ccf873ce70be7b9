"""UUIDv7 primary keys (RFC 9562)."""

import time
import uuid

from aapoon.core import ids
from aapoon.core.ids import uuid7


def _unix_ms(value: uuid.UUID) -> int:
    return value.int >> 80


def test_version_and_variant():
    for _ in range(200):
        value = uuid7()
        assert value.version == 7
        assert value.variant == uuid.RFC_4122
        assert str(value)[14] == "7"
        assert str(value)[19] in "89ab"


def test_embeds_the_current_unix_milliseconds():
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert before <= _unix_ms(value) <= after


def test_exact_layout_with_a_fixed_clock_and_randomness(monkeypatch):
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1_700_000_000_123_456_789)
    monkeypatch.setattr(ids.os, "urandom", lambda n: b"\xff" * n)
    value = uuid7()
    assert _unix_ms(value) == 1_700_000_000_123
    assert (
        str(value)
        == f"{1_700_000_000_123:012x}"[:8] + "-" + f"{1_700_000_000_123:012x}"[8:] + "-7fff-bfff-ffffffffffff"
    )


def test_ordered_by_time(monkeypatch):
    clock = iter(range(1_700_000_000_000, 1_700_000_000_000 + 1000))
    monkeypatch.setattr(ids.time, "time_ns", lambda: next(clock) * 1_000_000)
    values = [uuid7() for _ in range(1000)]
    assert values == sorted(values)
    assert [str(v) for v in values] == sorted(str(v) for v in values)  # also as text, like the DB


def test_ids_made_over_time_sort_in_creation_order():
    values = []
    for _ in range(5):
        values.append(uuid7())
        time.sleep(0.002)
    assert values == sorted(values)


def test_unique():
    assert len({uuid7() for _ in range(20_000)}) == 20_000


def test_models_get_uuid7_primary_keys(user):
    assert user.pk.version == 7
