"""Reads for transcripts: who may read one is who may see its recording (recording_selectors);
to anyone else it does not exist (404)."""

from django.db.models import QuerySet

from aapoon.accounts.models import User
from aapoon.core.errors import Conflict, NotFound
from aapoon.media import recording_selectors
from aapoon.media.models import Transcript, TranscriptSegment


class TranscriptNotReady(Conflict):
    code = "transcript_not_ready"
    message = "This transcript is not ready yet."


def transcript_get(*, user: User, recording_id: object) -> Transcript:
    recording = recording_selectors.recording_get(user=user, recording_id=recording_id)
    transcript = Transcript.objects.filter(recording=recording).select_related("recording__file").first()
    if transcript is None:
        raise NotFound("This recording has no transcript.")
    return transcript


def transcript_get_ready(*, user: User, recording_id: object) -> Transcript:
    transcript = transcript_get(user=user, recording_id=recording_id)
    if transcript.status != Transcript.Status.READY:
        raise TranscriptNotReady()
    return transcript


def transcript_segments(*, transcript: Transcript, query: str = "") -> QuerySet[TranscriptSegment]:
    """Its segments in time order; with `query`, those whose text contains it (any case)."""
    segments = TranscriptSegment.objects.filter(transcript=transcript).order_by("start_ms", "id")
    if query.strip():
        segments = segments.filter(text__icontains=query.strip())
    return segments
