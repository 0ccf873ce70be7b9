"""Transcripts of recorded meetings: each participant's own microphone is transcribed on its own,
so every line's speaker is known without guessing, and the lines are merged in time order.

Once a recording's video is stored (processing.py), a meeting with transcription on gets a
Transcript (processing) and a task. The task converts only the audio .mjr files (compose.py),
makes each a 16 kHz mono WAV (ffmpeg), runs the speech engine on them in a child process
(speech/process.py), places every segment on the video's timeline (its feed's first packet minus
the recording's `timeline_start_us`), names its speaker after the meeting's participant with that
publisher id, and writes all segments with the status ready in one transaction. After that
commit the .mjr folder is removed; a failed transcript keeps it, for a retry. All the tool runs
share one deadline, and the temporary files go whatever happens.
"""

import logging
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aapoon.media import compose
from aapoon.media.compose import ComposeError, Feed
from aapoon.media.models import Recording, Transcript, TranscriptSegment
from aapoon.media.placement import SCREEN_SUFFIX
from aapoon.media.speech.base import SAMPLE_RATE, EngineConfig, EngineUnavailable
from aapoon.media.speech.engines import engine_check
from aapoon.media.speech.process import SpeechFailed, Transcription, transcribe_files
from aapoon.media.tools import Deadline, OutOfTime, run_tool
from aapoon.meetings.models import MeetingParticipant

logger = logging.getLogger(__name__)

UNKNOWN_SPEAKER = "Unknown speaker"
# Progress: converting the audio is the first 10 %, the engine the rest (by seconds of audio).
CONVERTED_PERCENT = 10
Status = Transcript.Status


class TranscriptError(Exception):
    """The transcript cannot be made; `reason` is short and fit to show a person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def engine_config() -> EngineConfig:
    return EngineConfig(
        name=settings.TRANSCRIPTION_ENGINE.strip().lower(),
        model_path=settings.TRANSCRIPTION_MODEL_PATH.strip(),
        language=settings.TRANSCRIPTION_LANGUAGE.strip().lower(),
    )


# ---- queueing, when the video is stored ------------------------------------------------------------


def _enqueue(transcript_id: uuid.UUID) -> None:
    from aapoon.media.tasks import (
        transcript_process,
    )  # the task module imports processing, which imports this

    transcript_process.enqueue(str(transcript_id))


def transcript_queue(*, recording: Recording) -> bool:
    """Inside the transaction that stores the recording's video: when its meeting is transcribed,
    a Transcript (processing) and, after commit, its task. True if so: the transcript's task
    then removes the .mjr files."""
    if not recording.meeting.transcription_enabled:
        return False
    config = engine_config()
    transcript, _ = Transcript.objects.get_or_create(
        recording=recording, defaults={"engine": config.name, "language": config.language}
    )
    transaction.on_commit(lambda: _enqueue(transcript.pk))
    return True


# ---- the work ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Voice:
    """One participant's microphone feed, as a WAV the engine reads."""

    feed: Feed
    wav: Path


def _wav(feed: Feed, target: Path, deadline: Deadline) -> Path:
    command = [
        "ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(feed.path),
        "-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le", str(target),
    ]  # fmt: skip
    answer = run_tool(command, deadline)
    if answer.returncode != 0:
        logger.warning("transcript: ffmpeg could not make %s: %s", target.name, answer.stderr[-2000:])
        raise TranscriptError("The recorded audio could not be read.")
    return target


def _voices(source_dir: Path, workdir: Path, deadline: Deadline) -> list[_Voice]:
    """Every microphone feed (screen shares carry no one's own voice) as a WAV."""
    feeds = compose.convert_all(source_dir, workdir, deadline, kind="audio")
    microphones = [feed for feed in feeds if not feed.publisher.endswith(SCREEN_SUFFIX)]
    return [
        _Voice(feed, _wav(feed, workdir / f"voice{i}.wav", deadline)) for i, feed in enumerate(microphones)
    ]


def _speakers(meeting_id: uuid.UUID, publishers: set[str]) -> dict[str, tuple[uuid.UUID | None, str]]:
    """Publisher id -> (participant id, name). A camera/microphone publisher's id is its
    participant's id (placement.publisher_ids); anything else is an unknown speaker."""
    ids: dict[str, uuid.UUID] = {}
    for publisher in publishers:
        try:
            ids[publisher] = uuid.UUID(publisher)
        except ValueError:
            continue
    names = dict(
        MeetingParticipant.objects.filter(meeting_id=meeting_id, pk__in=ids.values()).values_list(
            "pk", "display_name"
        )
    )
    speakers: dict[str, tuple[uuid.UUID | None, str]] = {}
    for publisher in publishers:
        participant_id = ids.get(publisher)
        if participant_id in names:
            speakers[publisher] = (participant_id, names[participant_id])
        else:
            speakers[publisher] = (None, UNKNOWN_SPEAKER)
    return speakers


def _rows(
    recording: Recording, voices: list[_Voice], transcription: Transcription
) -> list[TranscriptSegment]:
    """Every segment on the video's timeline, with its speaker, in time order."""
    base_us = recording.timeline_start_us
    if base_us is None:  # composed before the timeline was kept: the earliest voice is t=0
        base_us = min(voice.feed.start_us for voice in voices)
    speakers = _speakers(recording.meeting_id, {voice.feed.publisher for voice in voices})
    rows: list[TranscriptSegment] = []
    for voice, segments in zip(voices, transcription.segments, strict=True):
        offset_ms = (voice.feed.start_us - base_us) / 1000
        speaker_id, speaker_name = speakers[voice.feed.publisher]
        for segment in segments:
            start = max(0, round(offset_ms + segment.start * 1000))
            rows.append(
                TranscriptSegment(
                    start_ms=start,
                    end_ms=max(start, round(offset_ms + segment.end * 1000)),
                    speaker_id=speaker_id,
                    speaker_name=speaker_name,
                    text=segment.text,
                )
            )
    rows.sort(key=lambda row: (row.start_ms, row.end_ms, row.speaker_name))
    return rows


def _progress_reporter(transcript_id: uuid.UUID, voices: list[_Voice]) -> Callable[[int, float], None]:
    """Turns (files done, seconds into the next) into the row's percent, written when it grows."""
    lengths = [voice.feed.duration for voice in voices]
    total = sum(lengths) or 1.0
    reported = CONVERTED_PERCENT

    def on_progress(files_done: int, seconds: float) -> None:
        nonlocal reported
        done = sum(lengths[:files_done])
        if files_done < len(lengths):
            done += min(seconds, lengths[files_done])
        percent = min(99, CONVERTED_PERCENT + int((100 - CONVERTED_PERCENT) * done / total))
        if percent > reported:
            reported = percent
            _set_progress(transcript_id, percent)

    return on_progress


def _transcribe(
    transcript_id: uuid.UUID, recording: Recording, config: EngineConfig, workdir: Path
) -> tuple[list[TranscriptSegment], str]:
    engine_check(config)  # before any work: a missing package or model fails at once
    source = Path(recording.source_dir)
    if not source.is_dir():
        raise TranscriptError("No media was recorded.")
    audio_files = compose.mjr_files(source, "audio")
    if not audio_files:
        return [], config.language  # no one had a microphone on: nothing was said
    # Up to 10 s (at least 2 min) per recorded second of each voice: all of them are transcribed.
    deadline = Deadline.for_span((recording.duration_sec or 0.0) * len(audio_files))
    voices = _voices(source, workdir, deadline)
    _set_progress(transcript_id, CONVERTED_PERCENT)
    if not voices:
        return [], config.language  # screen shares only
    transcription = transcribe_files(
        config, [voice.wav for voice in voices], deadline, _progress_reporter(transcript_id, voices)
    )
    return _rows(recording, voices, transcription), transcription.language or config.language


def _set_progress(transcript_id: uuid.UUID, percent: int) -> None:
    Transcript.objects.filter(pk=transcript_id, status=Status.PROCESSING).update(progress=percent)


def _fail(transcript_id: uuid.UUID, reason: str) -> None:
    Transcript.objects.filter(pk=transcript_id, status=Status.PROCESSING).update(
        status=Status.FAILED, error=reason[:300], updated_at=timezone.now()
    )


def _store(transcript_id: uuid.UUID, rows: list[TranscriptSegment], language: str) -> None:
    with transaction.atomic():
        transcript = (
            Transcript.objects.select_for_update()
            .select_related("recording")
            .filter(pk=transcript_id)
            .first()
        )
        # Deleted meanwhile (with its recording), or another run finished it: keep what is there.
        if transcript is None or transcript.status != Status.PROCESSING:
            return
        for row in rows:
            row.transcript = transcript
        TranscriptSegment.objects.bulk_create(rows, batch_size=500)
        transcript.status = Status.READY
        transcript.progress = 100
        transcript.language = language[:16]
        transcript.error = ""
        transcript.save(update_fields=["status", "progress", "language", "error", "updated_at"])
        # The .mjr files served both the video and the transcript; a rollback keeps them.
        source = Path(transcript.recording.source_dir)
        transaction.on_commit(lambda: shutil.rmtree(source, ignore_errors=True))


def transcript_make(*, transcript_id: uuid.UUID) -> None:
    """Transcribe a recording. Idempotent: a ready transcript (or one that is gone) is left
    alone; a failed one is tried again."""
    config = engine_config()
    # Not ready: claim it in one statement (a run that finished meanwhile is not undone).
    claimed = (
        Transcript.objects.filter(pk=transcript_id)
        .exclude(status=Status.READY)
        .update(
            status=Status.PROCESSING,
            progress=0,
            error="",
            engine=config.name[:32],
            language=config.language[:16],
            updated_at=timezone.now(),
        )
    )
    transcript = Transcript.objects.select_related("recording").filter(pk=transcript_id).first()
    if not claimed or transcript is None:
        return
    workdir = Path(tempfile.mkdtemp(prefix="aapoon-transcript-"))
    try:
        rows, language = _transcribe(transcript_id, transcript.recording, config, workdir)
        _store(transcript_id, rows, language)
    except (TranscriptError, ComposeError, EngineUnavailable) as exc:
        logger.warning("transcript %s: %s", transcript_id, exc.reason)
        _fail(transcript_id, exc.reason)
    except OutOfTime as exc:
        logger.warning("transcript %s: %s ran out of time", transcript_id, exc)
        _fail(transcript_id, "Transcription took too long.")
    except SpeechFailed:
        _fail(transcript_id, "The speech engine failed.")
    except Exception:
        # The row gets a short reason; the details go to the log, never to the row.
        logger.exception("transcript %s: transcription failed", transcript_id)
        _fail(transcript_id, "Transcription failed unexpectedly.")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
