"""Background work of the media app (django.tasks; run by the dbtasks runner)."""

import uuid

from django.tasks import task

from aapoon.media.processing import recording_compose
from aapoon.media.transcripts import transcript_make


@task
def recording_process(recording_id: str) -> None:
    """Compose a stopped recording into its video (idempotent; see processing.recording_compose)."""
    recording_compose(recording_id=uuid.UUID(recording_id))


@task
def transcript_process(transcript_id: str) -> None:
    """Transcribe a recorded meeting (idempotent; see transcripts.transcript_make)."""
    transcript_make(transcript_id=uuid.UUID(transcript_id))
