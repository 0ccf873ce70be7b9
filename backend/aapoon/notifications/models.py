from django.db import models


class DevMailboxMessage(models.Model):
    """An email or SMS captured by the embedded default instead of being sent."""

    class Channel(models.TextChoices):
        EMAIL = "email"
        SMS = "sms"

    id = models.BigAutoField(primary_key=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to}: {self.subject}"
