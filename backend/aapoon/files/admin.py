from django.contrib import admin

from aapoon.files.models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ("storage_key", "kind", "mime_type", "size_bytes", "owner", "created_at")
    list_filter = ("kind",)
    readonly_fields = [f.name for f in StoredFile._meta.fields]
