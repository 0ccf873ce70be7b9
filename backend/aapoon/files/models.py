from django.conf import settings
from django.db import models

from aapoon.core.models import BaseModel


class StoredFile(BaseModel):
    """A file kept through the storages API. Private: served only after an authorization check."""

    class Kind(models.TextChoices):
        RECORDING = "recording"
        ATTACHMENT = "attachment"
        KYC = "kyc"
        AVATAR = "avatar"
        INVOICE = "invoice"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="files"
    )
    # The meeting it belongs to (attachments shared in its chat, its recordings); null otherwise.
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    storage_key = models.CharField(max_length=255, unique=True)
    original_name = models.CharField(max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField()
    mime_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.kind}:{self.storage_key}"
