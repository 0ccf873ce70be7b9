"""Tool runs under a deadline: stopped when it passes, and never left running or unwaited."""

import time

import pytest

from aapoon.media.tests.processes import children_named
from aapoon.media.tools import Deadline, OutOfTime, run_tool, run_tool_lines


def test_the_deadline_grows_with_the_span_from_a_floor():
    assert 119 < Deadline.for_span(0).remaining("t") <= 120
    assert 599 < Deadline.for_span(60).remaining("t") <= 600


def test_a_tool_past_the_deadline_is_stopped():
    started = time.monotonic()
    with pytest.raises(OutOfTime):
        run_tool(["sleep", "30"], Deadline(0.3))
    with pytest.raises(OutOfTime):
        run_tool_lines(["sleep", "30"], Deadline(0.3), on_line=lambda line: None)
    assert time.monotonic() - started < 5
    assert children_named("sleep") == []


def test_nothing_starts_once_the_deadline_has_passed():
    with pytest.raises(OutOfTime):
        run_tool_lines(["sleep", "30"], Deadline(0), on_line=lambda line: None)
    assert children_named("sleep") == []


def test_lines_come_as_they_are_written_and_the_code_and_errors_at_the_end():
    lines: list[str] = []
    code, errors = run_tool_lines(
        ["sh", "-c", "echo one; echo two; echo oops >&2; exit 3"], Deadline(10), on_line=lines.append
    )
    assert (lines, code, errors) == (["one\n", "two\n"], 3, "oops\n")


def test_a_failing_line_handler_stops_the_tool():
    def refuse(line: str) -> None:
        raise RuntimeError("no thanks")

    with pytest.raises(RuntimeError, match="no thanks"):
        run_tool_lines(["sh", "-c", "echo first; exec sleep 30"], Deadline(60), on_line=refuse)
    assert children_named("sleep") == children_named("sh") == []
