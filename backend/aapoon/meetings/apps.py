from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "aapoon.meetings"

    def ready(self) -> None:
        # Registers its system check (MEETING_FILE_TYPES must name types it can check).
        from aapoon.meetings import chat_files  # noqa: F401
