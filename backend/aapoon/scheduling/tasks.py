"""Background work of the scheduling app (django.tasks; run by the dbtasks runner)."""

from django.tasks import task

from aapoon.scheduling import reminders


@task
def reminders_scan() -> int:
    """Send the reminders that are due (periodic; idempotent, so a late or doubled run is harmless)."""
    return reminders.reminders_scan()
