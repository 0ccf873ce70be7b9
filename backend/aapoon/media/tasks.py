"""Background work of the media app (django.tasks; run by the dbtasks runner)."""

import uuid

from django.tasks import task

from aapoon.media.processing import recording_compose


@task
def recording_process(recording_id: str) -> None:
    """Compose a stopped recording into its video (idempotent; see processing.recording_compose)."""
    recording_compose(recording_id=uuid.UUID(recording_id))
