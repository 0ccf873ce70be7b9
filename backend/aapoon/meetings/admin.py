from django.contrib import admin

from aapoon.meetings.models import Meeting, MeetingInvitee, MeetingParticipant


class InviteeInline(admin.TabularInline):
    model = MeetingInvitee
    extra = 0
    fields = ("email", "name", "user", "rsvp")
    raw_id_fields = ("user",)


class ParticipantInline(admin.TabularInline):
    model = MeetingParticipant
    extra = 0
    fields = ("display_name", "user", "role", "status", "joined_at", "left_at", "was_removed")
    readonly_fields = fields
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "meeting_code", "host", "kind", "status", "starts_at", "media_mode")
    list_filter = ("status", "kind", "media_mode")
    search_fields = ("title", "meeting_code", "host__email")
    raw_id_fields = ("host", "account")
    # The passcode is the host's to share, not staff's to read.
    exclude = ("passcode",)
    readonly_fields = ("meeting_code", "event_seq", "started_at", "ended_at", "created_at", "updated_at")
    inlines = [InviteeInline, ParticipantInline]
