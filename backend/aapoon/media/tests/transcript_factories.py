"""Recorded speech and transcripts in each state, for the transcript tests."""

import json
import uuid
from pathlib import Path
from typing import Any

from aapoon.media.models import Recording, Transcript, TranscriptSegment
from aapoon.media.speech import samples
from aapoon.media.tests.recording_factories import copy_mjr, require_tools
from aapoon.meetings.models import Meeting, MeetingParticipant
from aapoon.meetings.tests.factories import make_participant

# Real .mjr files with speech from a real Janus (see fixtures/make_speech_mjr.py): two speakers,
# the second joining later.
SPEECH_MJR_DIR = Path(__file__).parent / "fixtures" / "speech_mjr"
SPEECH = json.loads((SPEECH_MJR_DIR / "speakers.json").read_text())
SPEAKERS: list[dict[str, str]] = SPEECH["speakers"]
PHRASES = {phrase.text: phrase for phrase in (samples.COUNTING_UP, samples.COUNTING_ON)}


def require_speech_tools() -> None:
    require_tools(samples.missing_tools(), "espeak-ng ffmpeg")


def copy_speech_mjr(target: Path) -> Path:
    return copy_mjr(target, SPEECH_MJR_DIR)


def make_speakers(meeting: Meeting, *, only: int | None = None) -> list[MeetingParticipant]:
    """The fixture's speakers as participants of `meeting` (their ids are the publisher ids)."""
    chosen = SPEAKERS if only is None else SPEAKERS[:only]
    return [
        make_participant(meeting, name=speaker["name"], id=uuid.UUID(speaker["publisher"]), status="left")
        for speaker in chosen
    ]


def make_transcript(recording: Recording, *, status: str, **fields: Any) -> Transcript:
    return Transcript.objects.create(
        recording=recording, status=status, engine="pocketsphinx", language="en-us", **fields
    )


def make_segments(transcript: Transcript, rows: list[tuple[int, int, str, str]]) -> list[TranscriptSegment]:
    """(start ms, end ms, speaker name, text) each."""
    return TranscriptSegment.objects.bulk_create(
        TranscriptSegment(transcript=transcript, start_ms=start, end_ms=end, speaker_name=name, text=text)
        for start, end, name, text in rows
    )
