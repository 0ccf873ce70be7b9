import datetime as dt
import uuid
from typing import Literal

from ninja import Field, Schema

from aapoon.core.text import Text
from aapoon.media.models import Recording, Transcript


class TranscriptStateOut(Schema):
    status: Literal["processing", "ready", "failed"]
    progress: int = Field(..., description="Percent done while processing; 100 when ready")
    error: str = Field(..., description="Why it failed (status failed)")


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
    transcript: TranscriptStateOut | None = Field(None, description="null: the meeting is not transcribed")

    @staticmethod
    def resolve_mime_type(recording: Recording) -> str | None:
        return recording.file.mime_type if recording.file is not None else None

    @staticmethod
    def resolve_transcript(recording: Recording) -> Transcript | None:
        # A missing reverse one-to-one raises an AttributeError subclass.
        return getattr(recording, "transcript", None)


class DownloadUrlOut(Schema):
    url: str = Field(..., description="Plays inline; add ?download=1 to save it as a file")
    expires_at: dt.datetime


class TranscriptQuery(Schema):
    q: Text = Field("", max_length=200, description="Only segments whose text contains this (any case)")


class TranscriptSegmentOut(Schema):
    start_ms: int = Field(..., description="From the start of the recording's video")
    end_ms: int
    speaker: str = Field(..., alias="speaker_name", description="The name the speaker had in the meeting")
    text: str


class TranscriptOut(Schema):
    status: Literal["processing", "ready", "failed"]
    engine: str
    language: str
    segments: list[TranscriptSegmentOut] = Field(..., description="In time order; empty until ready")
