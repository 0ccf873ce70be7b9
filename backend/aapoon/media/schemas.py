import datetime as dt
import uuid
from typing import Literal

from ninja import Field, Schema

from aapoon.media.models import Recording


class RecordingOut(Schema):
    id: uuid.UUID
    meeting_code: str = Field(..., alias="meeting.meeting_code")
    meeting_title: str = Field(..., alias="meeting.title")
    status: Literal["recording", "processing", "ready", "failed"]
    started_at: dt.datetime
    stopped_at: dt.datetime | None
    duration_sec: float | None
    size_bytes: int
    progress: int = Field(..., description="Percent done while processing; 100 when ready")
    error: str = Field(..., description="Why processing failed (status failed)")
    mime_type: str | None = Field(None, description="Of the video, once ready")

    @staticmethod
    def resolve_mime_type(recording: Recording) -> str | None:
        return recording.file.mime_type if recording.file is not None else None


class DownloadUrlOut(Schema):
    url: str = Field(..., description="Plays inline; add ?download=1 to save it as a file")
    expires_at: dt.datetime
