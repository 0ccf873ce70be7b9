"""Absolute links to a meeting, for emails, calendars and notifications."""

from django.conf import settings


def meeting_join_url(code: str) -> str:
    return f"{settings.SITE_URL}/m/{code}"
