"""Server-side recording in SFU mode: a known span in, one playable file out.

The host records about six seconds of a two-person meeting (measured by the test between the
clicks on "Start recording" and "Stop recording"); everyone sees the recording status; the
recording goes through processing (janus-pp-rec + ffmpeg) to ready; the host downloads it from
the Recordings tab and ffprobe finds one video and one audio stream, as long as the span (±1 s).
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from conftest import Browsers
from playwright.sync_api import Locator, Page, expect
from sfu import JanusNode, meeting_from_api, wait_for_tiles_rising
from support import Server
from test_meeting_room import GUEST_NAME, HOST_NAME, MEDIA_TIMEOUT_S, button, host_and_guests_walk_in

RECORDED_SPAN_S = 6.0
DURATION_TOLERANCE_S = 1.0
PROCESSING_TIMEOUT_S = 90
NOTICE = "This meeting is being recorded"


def recording_status(page: Page) -> Locator:
    """The room header's status "Recording" (while a recording runs)."""
    return page.get_by_role("status").filter(has_text=re.compile(r"^\s*Recording\s*$"))


def recordings_of(page: Page, code: str) -> list[dict[str, Any]]:
    """GET /api/v1/meetings/{code}/recordings with the page's session (newest first)."""
    result: dict[str, Any] = page.evaluate(
        """async (code) => {
            const url = `/api/v1/meetings/${code}/recordings`;
            const response = await fetch(url, { credentials: "same-origin" });
            return { status: response.status, body: await response.json().catch(() => null) };
        }""",
        code,
    )
    assert result["status"] == 200, result
    items: list[dict[str, Any]] = result["body"]["items"]
    return items


def statuses_until_settled(page: Page, code: str, timeout_s: float) -> list[str]:
    """Polls the meeting's one recording every 0.1 s until it is ready or failed; returns the
    distinct statuses seen, in order."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        items = recordings_of(page, code)
        assert len(items) == 1, items
        status = str(items[0]["status"])
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in ("ready", "failed"):
            return seen
        time.sleep(0.1)
    raise AssertionError(f"the recording did not finish processing within {timeout_s} s: {seen}")


def ffprobe(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=duration:stream=codec_type",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    probed: dict[str, Any] = json.loads(result.stdout)
    return probed


def test_host_records_a_known_span_and_downloads_one_video_of_that_length(
    sfu_browsers: Browsers, sfu_server: tuple[Server, JanusNode], tmp_path: Path
) -> None:
    srv, _ = sfu_server
    host, [guest], code = host_and_guests_walk_in(sfu_browsers, srv, recording_allowed=True)
    assert meeting_from_api(host.page, code)["media_mode"] == "sfu"
    wait_for_tiles_rising(host.page, [GUEST_NAME], timeout_s=MEDIA_TIMEOUT_S, who=HOST_NAME)
    wait_for_tiles_rising(guest.page, [HOST_NAME], timeout_s=MEDIA_TIMEOUT_S, who=GUEST_NAME)
    expect(button(guest.page, "Start recording")).to_have_count(0)

    # Record the span: everyone sees the status, the guest gets the notice.
    start = button(host.page, "Start recording")
    start.click()
    started_at = time.monotonic()
    for page in (host.page, guest.page):
        expect(recording_status(page)).to_be_visible()
    expect(guest.page.get_by_role("alert").filter(has_text=NOTICE)).to_be_visible()
    assert [item["status"] for item in recordings_of(host.page, code)] == ["recording"]
    host.page.wait_for_timeout((RECORDED_SPAN_S - (time.monotonic() - started_at)) * 1000)
    button(host.page, "Stop recording").click()
    span = time.monotonic() - started_at
    for page in (host.page, guest.page):
        expect(recording_status(page)).to_have_count(0)
    expect(button(host.page, "Start recording")).to_be_visible()

    # Processing, then ready.
    seen = statuses_until_settled(host.page, code, PROCESSING_TIMEOUT_S)
    assert seen[-1] == "ready", f"statuses seen: {seen}; last: {recordings_of(host.page, code)}"
    assert "processing" in seen, seen
    recording = recordings_of(host.page, code)[0]
    assert recording["progress"] == 100, recording

    # The host downloads it from the Recordings tab of /meetings.
    library = sfu_browsers.new_page("host")
    library.goto("/meetings")
    library.get_by_role("tab", name="Recordings").click()
    items = library.get_by_role("list", name="Recordings").get_by_role("listitem")
    expect(items).to_have_count(1)
    expect(items.first.get_by_text("Ready")).to_be_visible()
    with library.expect_download() as download_info:
        button(items.first, "Download").click()
    saved = tmp_path / "recording.mp4"
    download_info.value.save_as(saved)

    probed = ffprobe(saved)
    kinds = sorted(stream["codec_type"] for stream in probed["streams"])
    assert kinds == ["audio", "video"], probed
    duration = float(probed["format"]["duration"])
    assert abs(duration - span) <= DURATION_TOLERANCE_S, (
        f"file lasts {duration:.2f} s, the span was {span:.2f} s"
    )
    assert recording["duration_sec"] is not None
    assert abs(float(recording["duration_sec"]) - duration) < 0.5, recording
