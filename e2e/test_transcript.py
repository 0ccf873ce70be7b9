"""Meeting transcripts in SFU mode: two people speak, each from a microphone that plays a
different spoken phrase; the recording's transcript names each of them for their own words.

Chromium's fake microphone plays one WAV per browser process (`--use-file-for-fake-audio-capture`,
looped), so the host and the guest each get a Chromium of their own (the small camera of the
other SFU tests plus their voice): "one two three four five" and "six seven eight nine ten" in
espeak-ng voices that pocketsphinx understands (aapoon/media/speech/samples.py). The host records
about ten seconds; once the recording and its transcript are ready, the host plays it from the
Recordings tab: the transcript shows both names, times in order and words of each, and the .vtt
downloads and parses.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM_PATH, Browsers, browsers_on, small_camera_args
from playwright.sync_api import Browser, Page, Playwright, expect
from sfu import JanusNode, meeting_from_api, wait_for_tiles_rising
from support import ROOM_PROBES_SCRIPT, Server
from test_meeting_room import (
    GUEST_NAME,
    HOST_NAME,
    MEDIA_TIMEOUT_S,
    Person,
    button,
    expect_in_room,
    guest_asks_to_join,
    host_patches_meeting,
    host_starts_instant_meeting,
)
from test_recording import recording_status, recordings_of

from aapoon.media.speech.samples import COUNTING_ON, COUNTING_UP, MOSTLY, Phrase, speak

RECORDED_SPAN_S = 10.0
# Composing and transcribing ten seconds of two people takes well under this on two busy cores.
PROCESSING_TIMEOUT_S = 180
VOICES = {HOST_NAME: COUNTING_UP, GUEST_NAME: COUNTING_ON}
CUE_TIMING = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")
VOICE_CUE = re.compile(r"^<v ([^>]+)>(.*)$")


@pytest.fixture(scope="module")
def speaking_browsers(
    playwright_instance: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Browser]]:
    """A Chromium per speaker, its fake microphone saying that speaker's phrase over and over."""
    voices = tmp_path_factory.mktemp("voices")
    camera_args = small_camera_args(tmp_path_factory)
    browsers: dict[str, Browser] = {}
    try:
        for name, phrase in VOICES.items():
            wav = speak(phrase, voices / f"{phrase.voice}.wav", silence_after=1.5, sample_rate=48000)
            browsers[name] = playwright_instance.chromium.launch(
                executable_path=CHROMIUM_PATH,
                headless=os.environ.get("E2E_HEADED") != "1",
                args=[*camera_args, f"--use-file-for-fake-audio-capture={wav}"],
            )
        yield browsers
    finally:
        for browser in browsers.values():
            browser.close()


@pytest.fixture
def people(
    speaking_browsers: dict[str, Browser],
    sfu_server: tuple[Server, JanusNode],
    request: pytest.FixtureRequest,
) -> Iterator[Browsers]:
    """Contexts in the host's Chromium by default (the guest's is asked for by name), with the
    usual artifacts when the test fails."""
    srv, node = sfu_server
    yield from browsers_on(speaking_browsers[HOST_NAME], srv, request, extra_logs=(node.log_path,))


def wait_until_transcribed(page: Page, code: str, timeout_s: float) -> dict[str, Any]:
    """Polls the meeting's one recording until its transcript is ready (or anything failed)."""
    deadline = time.monotonic() + timeout_s
    item: dict[str, Any] = {}
    while time.monotonic() < deadline:
        [item] = recordings_of(page, code)
        transcript = item.get("transcript") or {}
        assert item["status"] != "failed" and transcript.get("status") != "failed", item
        if item["status"] == "ready" and transcript.get("status") == "ready":
            return item
        time.sleep(0.5)
    raise AssertionError(f"no ready transcript within {timeout_s} s: {item}")


def heard(phrase: Phrase, texts: list[str]) -> int:
    return phrase.heard_in(" ".join(texts))


def parse_vtt(text: str) -> list[tuple[int, int, str, str]]:
    """(start ms, end ms, voice, text) of each cue; fails on anything that is not WebVTT."""
    blocks = text.strip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT", blocks[0]
    cues = []
    for block in blocks[1:]:
        identifier, timing, payload = block.split("\n")
        assert identifier.isdigit(), block
        times = CUE_TIMING.match(timing)
        voice = VOICE_CUE.match(payload)
        assert times and voice, block
        h1, m1, s1, ms1, h2, m2, s2, ms2 = map(int, times.groups())
        start = ((h1 * 60 + m1) * 60 + s1) * 1000 + ms1
        end = ((h2 * 60 + m2) * 60 + s2) * 1000 + ms2
        assert start < end, block
        cues.append((start, end, voice.group(1), voice.group(2)))
    return cues


def test_the_transcript_names_each_speaker_for_their_own_words(
    people: Browsers,
    speaking_browsers: dict[str, Browser],
    sfu_server: tuple[Server, JanusNode],
    tmp_path: Path,
) -> None:
    srv, _ = sfu_server
    host, code = host_starts_instant_meeting(people, srv)
    host_patches_meeting(
        host, code, {"waiting_room_enabled": False, "recording_allowed": True, "transcription_enabled": True}
    )
    guest_context = people.new_context(
        "guest", init_scripts=(ROOM_PROBES_SCRIPT,), browser=speaking_browsers[GUEST_NAME]
    )
    guest = Person(name=GUEST_NAME, page=guest_context.new_page())
    guest_asks_to_join(guest.page, code, GUEST_NAME)
    expect_in_room(guest.page)
    assert meeting_from_api(host.page, code)["media_mode"] == "sfu"
    for listener, speaker in ((host, GUEST_NAME), (guest, HOST_NAME)):
        wait_for_tiles_rising(
            listener.page,
            [speaker],
            kind="audio",
            counter="packetsReceived",
            timeout_s=MEDIA_TIMEOUT_S,
            who=listener.name,
        )

    button(host.page, "Start recording").click()
    started_at = time.monotonic()
    expect(recording_status(host.page)).to_be_visible()
    host.page.wait_for_timeout((RECORDED_SPAN_S - (time.monotonic() - started_at)) * 1000)
    button(host.page, "Stop recording").click()
    expect(recording_status(host.page)).to_have_count(0)
    recording = wait_until_transcribed(host.page, code, PROCESSING_TIMEOUT_S)
    assert recording["transcript"] == {"status": "ready", "progress": 100, "error": ""}, recording

    # The host plays it from the Recordings tab: the transcript is beside the player.
    library = people.new_page("host")
    library.goto("/meetings")
    library.get_by_role("tab", name="Recordings").click()
    item = library.get_by_role("list", name="Recordings").get_by_role("listitem").first
    button(item, "Play").click()
    expect(item.get_by_label("Recording player")).to_be_visible()
    region = item.get_by_role("region", name="Transcript")
    lines = region.get_by_role("list", name="Transcript lines").get_by_role("button")
    expect(lines.first).to_be_visible()
    shown = lines.all_inner_texts()
    by_speaker: dict[str, list[str]] = {name: [] for name in VOICES}
    starts: list[int] = []
    for line in shown:
        match = re.match(r"^(\d+):(\d{2}) (.+?): (.*)$", line.strip(), re.S)
        assert match, shown
        minutes, seconds, speaker, text = match.groups()
        starts.append(int(minutes) * 60 + int(seconds))
        assert speaker in by_speaker, shown
        by_speaker[speaker].append(text)
    assert starts == sorted(starts) and starts[-1] <= RECORDED_SPAN_S + 2, shown
    for name, phrase in VOICES.items():
        assert heard(phrase, by_speaker[name]) >= MOSTLY, f"{name}: {by_speaker[name]}"
    # The video carries the same as captions.
    track = item.locator("video track[kind='captions']")
    expect(track).to_have_attribute("src", f"/api/v1/recordings/{recording['id']}/transcript.vtt")

    # The WebVTT download parses, and says the same.
    with library.expect_download() as download_info:
        region.get_by_role("link", name="Download WebVTT").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".vtt"), download.suggested_filename
    saved = tmp_path / "transcript.vtt"
    download.save_as(saved)
    cues = parse_vtt(saved.read_text())
    assert [cue[0] for cue in cues] == sorted(cue[0] for cue in cues)
    assert {cue[2] for cue in cues} == set(VOICES), cues
    for name, phrase in VOICES.items():
        assert heard(phrase, [cue[3] for cue in cues if cue[2] == name]) >= MOSTLY, cues
