from django.conf import settings
from django.db import models

from aapoon.core.models import BaseModel


class OccurrenceOverride(BaseModel):
    """One occurrence of a recurring meeting moved or cancelled (an iCalendar exception)."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="overrides")
    # The start the rule gives this occurrence (UTC): its RECURRENCE-ID and its key in URLs.
    original_start = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "original_start"], name="override_unique_occurrence")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}@{self.original_start:%Y%m%dT%H%M%SZ}"


class CalendarFeed(BaseModel):
    """A user's private iCalendar feed. Only the token's sha256 is kept: the URL is shown once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"feed of {self.user_id}"
