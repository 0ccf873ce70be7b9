from django.contrib import admin

from aapoon.notifications.models import Notification, PushSubscription


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "channel", "status", "attempts", "last_error", "sent_at")
    list_filter = ("status", "channel", "event")
    search_fields = ("dedupe_key",)
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "updated_at", "sent_at", "read_at", "claimed_until")


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    raw_id_fields = ("user",)
    exclude = ("p256dh", "auth")
