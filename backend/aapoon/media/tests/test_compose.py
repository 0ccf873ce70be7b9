"""The .mjr -> MP4 pipeline on real Janus recordings: layout, offsets, the one ffmpeg run, and
that no tool outlives a failure or the deadline."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from aapoon.media import compose, tools
from aapoon.media.compose import ComposeError, grid
from aapoon.media.tests.processes import children_named
from aapoon.media.tests.recording_factories import (
    MJR_SPAN,
    copy_mjr,
    corrupt_mjr,
    require_media_tools,
)

SMALL = (320, 180)


def probe(path: Path) -> dict:
    answer = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(answer.stdout)


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_media_tools()


@pytest.mark.parametrize(
    ("count", "layout"),
    [(1, (1, 1)), (2, (2, 1)), (3, (2, 2)), (4, (2, 2)), (5, (3, 2)), (9, (3, 3)), (10, (4, 3))],
)
def test_grid_layouts(count, layout):
    assert grid(count) == layout


def test_feeds_are_placed_at_their_real_offsets(tmp_path):
    feeds = compose.convert_all(compose_dir := copy_mjr(tmp_path / "src"), tmp_path, tools.Deadline(60))
    assert compose_dir.is_dir()
    by_name = {(feed.publisher, feed.kind): feed for feed in feeds}
    assert set(by_name) == {("alice", "audio"), ("alice", "video"), ("bob", "audio"), ("bob", "video")}
    # Bob joined BOB_JOINS_AFTER seconds into the recording (plus his ICE/DTLS setup).
    bob_offset = (by_name["bob", "audio"].start_us - by_name["alice", "audio"].start_us) / 1e6
    assert MJR_SPAN["bob_offset_sec"] <= bob_offset < MJR_SPAN["bob_offset_sec"] + 1


def test_compose_makes_one_mp4_of_the_recorded_span(tmp_path):
    progress: list[int] = []
    output = tmp_path / "out.mp4"
    result = compose.compose(copy_mjr(tmp_path / "src"), output, on_progress=progress.append, canvas=SMALL)

    info = probe(output)
    kinds = sorted((s["codec_type"], s["codec_name"]) for s in info["streams"])
    assert kinds == [("audio", "aac"), ("video", "h264")]
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == SMALL
    assert abs(float(info["format"]["duration"]) - MJR_SPAN["span_sec"]) < 1
    assert result.duration_sec == pytest.approx(float(info["format"]["duration"]))
    assert progress == sorted(progress) and progress[-1] == 99
    # +faststart: the index (moov) comes before the media (mdat), so browsers play while loading.
    head = output.read_bytes()
    assert head.index(b"moov") < head.index(b"mdat")
    assert not list(Path(compose.tempfile.gettempdir()).glob("aapoon-compose-*"))


def test_compose_error_when_no_feed_is_usable(tmp_path):
    with pytest.raises(ComposeError) as caught:
        compose.compose(corrupt_mjr(tmp_path / "src"), tmp_path / "out.mp4", on_progress=lambda p: None)
    assert caught.value.reason == "The recorded files could not be read."
    assert not (tmp_path / "out.mp4").exists()


def test_a_progress_callback_that_raises_leaves_no_ffmpeg_behind(tmp_path):
    def broken_progress(percent: int) -> None:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"):
        compose.compose(copy_mjr(tmp_path / "src"), tmp_path / "out.mp4", on_progress=broken_progress)
    assert children_named("ffmpeg") == []


def test_a_stuck_header_probe_costs_that_file_only(tmp_path, monkeypatch):
    # A janus-pp-rec that never answers, as the real one now and then does on a file it cannot read.
    tools_dir = tmp_path / "bin"
    tools_dir.mkdir()
    (tools_dir / "janus-pp-rec").write_text("#!/bin/sh\nexec sleep 30\n")
    (tools_dir / "janus-pp-rec").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools_dir}:{os.environ['PATH']}")
    monkeypatch.setattr(compose, "PROBE_SECONDS", 0.3)
    mjr = corrupt_mjr(tmp_path / "src") / "videoroom-r-user-alice-1795333686482179-audio-0.mjr"

    assert compose.mjr_header(mjr, tools.Deadline(60)) is None
    with pytest.raises(tools.OutOfTime):  # out of time for the whole recording: no file is to blame
        compose.mjr_header(mjr, tools.Deadline(0.2))
    assert children_named("sleep") == []


def test_a_recording_that_takes_too_long_fails_and_leaves_no_tool_behind(tmp_path, monkeypatch):
    # The real converter and prober, and an ffmpeg that never finishes: the deadline must stop it
    # (how fast the machine composes a real video has no say in this).
    tools_dir = tmp_path / "bin"
    tools_dir.mkdir()
    (tools_dir / "ffmpeg").write_text("#!/bin/sh\nexec sleep 60\n")
    (tools_dir / "ffmpeg").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools_dir}:{os.environ['PATH']}")
    monkeypatch.setattr(tools, "MIN_TIME_LIMIT_SECONDS", 5)
    with pytest.raises(ComposeError) as caught:
        compose.compose(copy_mjr(tmp_path / "src"), tmp_path / "out.mp4", on_progress=lambda p: None)
    assert caught.value.reason == "Processing took too long."
    assert children_named("sleep") == children_named("janus-pp-rec") == []
