from django.conf import settings
from django.db import models

from aapoon.core.models import BaseModel, TimestampedModel


class Meeting(BaseModel):
    class Kind(models.TextChoices):
        INSTANT = "instant"
        SCHEDULED = "scheduled"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled"
        LIVE = "live"
        ENDED = "ended"
        CANCELLED = "cancelled"

    class MediaMode(models.TextChoices):
        P2P = "p2p"
        SFU = "sfu"

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="meetings")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_meetings"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    meeting_code = models.CharField(max_length=14, unique=True)
    # Stored as given: the host shares it, and it is compared in constant time.
    passcode = models.CharField(max_length=32, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    recurrence_rule = models.TextField(blank=True)
    max_participants = models.PositiveIntegerField()
    is_locked = models.BooleanField(default=False)
    waiting_room_enabled = models.BooleanField(default=True)
    guests_allowed = models.BooleanField(default=True)
    media_mode = models.CharField(max_length=8, choices=MediaMode.choices, default=MediaMode.P2P)
    conference_server_id = models.CharField(max_length=200, blank=True)
    recording_allowed = models.BooleanField(default=False)
    transcription_enabled = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The last sequence number given to a broadcast event (see MeetingEvent).
    event_seq = models.PositiveBigIntegerField(default=0)
    # The iCalendar SEQUENCE: raised on every change an invitee's calendar must take in.
    ics_sequence = models.PositiveIntegerField(default=0)
    # Start of the next occurrence not yet started, so reminders are found with one indexed range
    # query; null when none is left or the meeting isn't scheduled.
    next_occurrence_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["host", "starts_at"], name="meeting_host_starts"),
            models.Index(fields=["starts_at"], name="meeting_starts"),
            models.Index(fields=["next_occurrence_at"], name="meeting_next_occurrence"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.meeting_code})"


class MeetingInvitee(BaseModel):
    class Rsvp(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        TENTATIVE = "tentative"
        DECLINED = "declined"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rsvp = models.CharField(max_length=16, choices=Rsvp.choices, default=Rsvp.PENDING)
    rsvp_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="invitee_unique_email")]

    def __str__(self) -> str:
        return self.email


class MeetingParticipant(BaseModel):
    """One session in the room, from knocking (or joining) until leaving."""

    class Role(models.TextChoices):
        HOST = "host"
        COHOST = "cohost"
        MODERATOR = "moderator"
        PARTICIPANT = "participant"

    class Status(models.TextChoices):
        WAITING = "waiting"
        JOINED = "joined"
        LEFT = "left"
        DENIED = "denied"
        REMOVED = "removed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Guests carry a random key in a signed cookie, so a removed guest is known on return.
    guest_key = models.CharField(max_length=64, blank=True)
    display_name = models.CharField(max_length=80)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    status = models.CharField(max_length=16, choices=Status.choices)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    is_muted = models.BooleanField(default=True)
    is_video_on = models.BooleanField(default=False)
    is_screen_sharing = models.BooleanField(default=False)
    # Lets the others tell the shared screen from the camera among this person's tracks.
    screen_track_id = models.CharField(max_length=100, blank=True)
    hand_raised_at = models.DateTimeField(null=True, blank=True)
    # Set while no socket is open for this session (also before the first one opens); a
    # session disconnected for longer than the grace period has left.
    disconnected_at = models.DateTimeField(null=True, blank=True)
    # The channel of the session's latest socket: only its close counts as a disconnection, since
    # a client that reconnects fast may open the new socket before the old one's close arrives.
    socket_channel = models.CharField(max_length=200, blank=True)
    was_removed = models.BooleanField(default=False)
    # The breakout room this session is in now; null: the main room.
    breakout_room = models.ForeignKey(
        "BreakoutRoom", null=True, blank=True, on_delete=models.SET_NULL, related_name="occupants"
    )

    class Meta:
        indexes = [models.Index(fields=["meeting", "status"], name="participant_meeting_status")]

    def __str__(self) -> str:
        return f"{self.display_name} in {self.meeting_id}"

    @property
    def is_moderator(self) -> bool:
        return self.role in (self.Role.HOST, self.Role.COHOST, self.Role.MODERATOR)


class ChatMessage(BaseModel):
    class Type(models.TextChoices):
        TEXT = "text"
        FILE = "file"
        SYSTEM = "system"
        POLL = "poll"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="chat_messages")
    sender = models.ForeignKey(
        MeetingParticipant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender_name = models.CharField(max_length=80)
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.TEXT)
    text = models.TextField(max_length=2000)
    attachments = models.ManyToManyField("files.StoredFile", blank=True, related_name="+")
    recipient = models.ForeignKey(
        MeetingParticipant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.CharField(max_length=64, blank=True)
    # Said in this breakout room (seen only there); null: the main room. A room with chat is
    # archived, never deleted, so its messages stay with the meeting.
    breakout_room = models.ForeignKey(
        "BreakoutRoom", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["meeting", "created_at"], name="chat_meeting_created")]

    def __str__(self) -> str:
        return f"{self.sender_name}: {self.text[:40]}"


class MeetingEvent(TimestampedModel):
    """The log of broadcast events, numbered per meeting, so a reconnecting client can catch up."""

    id = models.BigAutoField(primary_key=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=40)
    payload = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "seq"], name="event_unique_seq")]

    def __str__(self) -> str:
        return f"{self.meeting_id}#{self.seq} {self.type}"


class BreakoutPlan(BaseModel):
    """How a meeting splits into breakout rooms, and whether they are open now (one per meeting)."""

    class Status(models.TextChoices):
        CLOSED = "closed"
        OPEN = "open"
        # Counting down to everyone's return to the main room (`closes_at`).
        CLOSING = "closing"

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="breakout_plan")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CLOSED)
    # Participants may pick a room themselves (otherwise only the one they were assigned to).
    allow_choosing = models.BooleanField(default=False)
    # The rooms close by themselves after this long (null: when the host closes them).
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    # How long everyone sees "returning to the main room" before they are moved back.
    countdown_seconds = models.PositiveSmallIntegerField(default=60)
    # Raised each time the rooms open, so a timer left from an earlier round does nothing.
    round = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"breakouts of {self.meeting_id}: {self.status}"


class BreakoutRoom(BaseModel):
    """One of a meeting's breakout rooms; on the SFU its media room is its own (id = this id)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="breakout_rooms")
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    # Set when the host takes the room away: it leaves the plan, its chat stays with the meeting.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["meeting", "position"], name="breakout_room_meeting_position")]

    def __str__(self) -> str:
        return self.name


class BreakoutParticipant(BaseModel):
    """Who goes to which breakout room: a person of the meeting (a user, or a guest by the key in
    their cookie, so a reload keeps the place), or someone invited, by email, ahead of a scheduled
    meeting. Where a session is right now is `MeetingParticipant.breakout_room`."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="breakout_assignments")
    room = models.ForeignKey(BreakoutRoom, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guest_key = models.CharField(max_length=64, blank=True)
    # Lower-cased; set for assignments made ahead by email (the user too, if one has it).
    email = models.EmailField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="breakout_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["meeting", "guest_key"],
                condition=~models.Q(guest_key=""),
                name="breakout_one_per_guest",
            ),
            models.UniqueConstraint(
                fields=["meeting", "email"], condition=~models.Q(email=""), name="breakout_one_per_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id or self.email or 'guest'} -> {self.room_id}"


class Poll(BaseModel):
    """A host's poll. Launching it posts it to the main room's chat (a message of type `poll`)."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        OPEN = "open"
        CLOSED = "closed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="polls")
    created_by = models.ForeignKey(
        MeetingParticipant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.CharField(max_length=300)
    # The choices' texts, in order; votes refer to them by index.
    options = models.JSONField()
    multiple = models.BooleanField(default=False)
    anonymous = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    results_shared = models.BooleanField(default=False)
    message = models.OneToOneField(
        ChatMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="poll"
    )
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["meeting", "created_at"], name="poll_meeting_created")]

    def __str__(self) -> str:
        return self.question[:60]


class PollVote(BaseModel):
    """One person's answer to a poll (changed, not added to, when they vote again)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    # The session that voted last; the person is `voter_key` (user, guest key, or the session).
    participant = models.ForeignKey(
        MeetingParticipant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voter_key = models.CharField(max_length=100)
    voter_name = models.CharField(max_length=80)
    # Indexes into Poll.options.
    choices = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "voter_key"], name="poll_one_vote_per_person")]

    def __str__(self) -> str:
        return f"{self.voter_name}: {self.choices}"
