from django.conf import settings
from django.db import models

from aapoon.core.models import BaseModel


class MediaNode(BaseModel):
    """A Janus server the app may place meetings on. Its secrets stay in settings, never here."""

    name = models.CharField(max_length=64, unique=True)
    # Janus HTTP API as the app reaches it, e.g. http://10.0.0.5:8088/janus.
    api_url = models.CharField(max_length=300)
    # Janus admin API, e.g. http://10.0.0.5:7088/admin (health and load).
    admin_url = models.CharField(max_length=300)
    # The WebSocket address browsers use, e.g. wss://janus1.example.com/.
    public_url = models.CharField(max_length=300)
    # Participants this node takes before placement prefers another.
    capacity = models.PositiveIntegerField(default=200)
    enabled = models.BooleanField(default=True)
    healthy = models.BooleanField(default=False)
    # Janus sessions open on the node at the last health check.
    load = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name


class Recording(BaseModel):
    """One start-to-stop span of a meeting recorded on the SFU, then composed into one file."""

    class Status(models.TextChoices):
        RECORDING = "recording"
        PROCESSING = "processing"
        READY = "ready"
        FAILED = "failed"

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="recordings")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECORDING)
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    duration_sec = models.FloatField(null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    # Percent done while processing.
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    # Where Janus wrote this recording's .mjr files (one folder per recording).
    source_dir = models.CharField(max_length=500)
    # The video's t=0 on the wall clock (µs): the first packet of any feed, set when composed.
    # Transcript times are measured from it, so they line up with the video exactly.
    timeline_start_us = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["meeting", "started_at"], name="recording_meeting_started")]
        constraints = [
            # At most one recording in progress per meeting.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(status="recording"),
                name="recording_one_active_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"recording {self.pk} of {self.meeting_id}"


class Transcript(BaseModel):
    """What was said in a recording, made after its video from each participant's own audio."""

    class Status(models.TextChoices):
        PROCESSING = "processing"
        READY = "ready"
        FAILED = "failed"

    recording = models.OneToOneField(Recording, on_delete=models.CASCADE, related_name="transcript")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROCESSING)
    # Percent done while processing.
    progress = models.PositiveSmallIntegerField(default=0)
    # The speech engine ("pocketsphinx", "vosk", "faster-whisper") and language it used.
    engine = models.CharField(max_length=32, blank=True)
    language = models.CharField(max_length=16, blank=True)
    # Why it failed: short, fit to show a person, never a path or what was said.
    error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"transcript of {self.recording_id}"


class TranscriptSegment(models.Model):
    """One stretch of one speaker's speech; times in ms from the start of the recording's video."""

    id = models.BigAutoField(primary_key=True)
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="segments")
    start_ms = models.PositiveIntegerField()
    end_ms = models.PositiveIntegerField()
    # The MeetingParticipant whose microphone it came from (null: not known), and their name
    # as it was then (kept if the participant's row goes).
    speaker = models.ForeignKey(
        "meetings.MeetingParticipant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    speaker_name = models.CharField(max_length=80)
    text = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["transcript", "start_ms"], name="transcript_segment_order")]

    def __str__(self) -> str:
        return f"{self.speaker_name} at {self.start_ms} ms"
