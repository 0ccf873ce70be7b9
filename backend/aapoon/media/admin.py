"""Media nodes and recordings in the Django admin: to watch, not to edit.

Nodes come from settings (JANUS_NODES, or the local Janus) and their health from the monitor,
which rewrites the rows every few seconds; a node's page also asks it directly. Recordings are
deleted through the product (which removes the file too), never here.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from aapoon.media.models import MediaNode, Recording
from aapoon.media.nodes import node_check, node_probe

READ_ONLY_NODE_FIELDS = (
    "name",
    "enabled",
    "healthy",
    "load",
    "capacity",
    "failures",
    "checked_at",
    "last_ok_at",
    "last_error",
    "api_url",
    "admin_url",
    "public_url",
    "created_at",
    "updated_at",
)


@admin.register(MediaNode)
class MediaNodeAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "enabled",
        "healthy",
        "load",
        "capacity",
        "load_percent",
        "checked_at",
        "last_error",
    )
    list_filter = ("enabled", "healthy")
    search_fields = ("name",)
    ordering = ("name",)
    readonly_fields = ("live_check", *READ_ONLY_NODE_FIELDS)
    actions = ("check_now",)

    @admin.display(description="load %")
    def load_percent(self, node: MediaNode) -> str:
        return f"{100 * node.load / max(node.capacity, 1):.0f} %"

    @admin.display(description="asked just now")
    def live_check(self, node: MediaNode) -> str:
        check = node_probe(node)
        return f"answers, {check.load} Janus sessions" if check.ok else f"no answer: {check.error}"

    @admin.action(description="Check the selected nodes now")
    def check_now(self, request: HttpRequest, queryset: QuerySet[MediaNode]) -> None:
        for node in queryset:
            checked, _ = node_check(node)
            level = messages.SUCCESS if checked.healthy else messages.WARNING
            state = "healthy" if checked.healthy else f"unhealthy ({checked.last_error or 'missed a check'})"
            self.message_user(request, f"{node.name}: {state}, load {checked.load}", level)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: MediaNode | None = None) -> bool:
        return False


@admin.register(Recording)
class RecordingAdmin(admin.ModelAdmin):
    list_display = ("meeting", "status", "started_at", "duration_sec", "size_bytes", "progress")
    list_filter = ("status",)
    search_fields = ("meeting__meeting_code", "meeting__title")
    ordering = ("-started_at",)

    def get_readonly_fields(self, request: HttpRequest, obj: Recording | None = None) -> list[str]:
        return [field.name for field in Recording._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Recording | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Recording | None = None) -> bool:
        return False
