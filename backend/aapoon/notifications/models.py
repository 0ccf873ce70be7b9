from django.db import models
from django.utils import timezone

from aapoon.core.models import BaseModel


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


class Event(models.TextChoices):
    """What a notification is about; preferences are kept per event and channel."""

    INVITATION = "invitation", "Meeting invitations"
    UPDATE = "meeting_updated", "Changes to meetings I'm invited to"
    CANCELLATION = "meeting_cancelled", "Cancelled meetings"
    REMINDER = "meeting_reminder", "Reminders before a meeting starts"
    WAITING = "waiting_room", "Someone is waiting in my waiting room"
    RSVP = "rsvp_received", "Replies to my invitations"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    PUSH = "push", "Browser notifications"
    INAPP = "inapp", "In the app"


class Notification(BaseModel):
    """One message to one recipient on one channel: the outbox row the worker delivers.

    Written in the transaction of the event that causes it; `(dedupe_key, channel, recipient)` is
    unique, so a retried transaction or a second call adds nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"  # claimed by a worker until `claimed_until`
        SENT = "sent"
        FAILED = "failed"  # gave up after the last retry
        SKIPPED = "skipped"  # nowhere to send it (no push subscription, no verified phone)

    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # Only for people without an account; a user's address is read when the email is sent.
    to_email = models.EmailField(max_length=254, blank=True)
    event = models.CharField(max_length=32, choices=Event.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    payload = models.JSONField()
    dedupe_key = models.CharField(max_length=200)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key", "channel", "user"],
                condition=models.Q(user__isnull=False),
                name="notification_user_once",
            ),
            models.UniqueConstraint(
                fields=["dedupe_key", "channel", "to_email"],
                condition=models.Q(user__isnull=True),
                name="notification_email_once",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(to_email=""),
                name="notification_has_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["status", "claimed_until"], name="notification_lease"),
            models.Index(fields=["user", "channel", "-created_at"], name="notification_inbox"),
            # notify() looks rows up by key alone, which the partial unique indexes cannot serve.
            models.Index(fields=["dedupe_key"], name="notification_dedupe"),
        ]

    def __str__(self) -> str:
        return f"{self.event} by {self.channel} ({self.status})"


class NotificationPreference(models.Model):
    """A user's choices: channels per event (only where they differ from the defaults) and the
    reminder lead time. No row means all defaults."""

    user = models.OneToOneField(
        "accounts.User", primary_key=True, on_delete=models.CASCADE, related_name="notification_preference"
    )
    # {"meeting_reminder": {"push": false}, ...}
    channels = models.JSONField(default=dict)
    reminder_minutes = models.PositiveSmallIntegerField(default=10)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"notification preferences of {self.user_id}"


class EmailOptOut(models.Model):
    """Someone without an account turned off one kind of email (from the link in its footer).

    Kept by the SHA-256 of the lowercased address (`tokens.email_digest`), not the address."""

    id = models.BigAutoField(primary_key=True)
    email_hash = models.CharField(max_length=64)
    event = models.CharField(max_length=32, choices=Event.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email_hash", "event"], name="email_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.event} email turned off"


class PushSubscription(BaseModel):
    """A browser's Web Push subscription (the endpoint is the browser's: one owner at a time)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"push subscription of {self.user_id}"


class VapidKey(models.Model):
    """The server's VAPID key pair, made once on first use (one row). The private key is
    encrypted at rest and never leaves the server."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    private_key_encrypted = models.TextField()
    public_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return "VAPID key"
