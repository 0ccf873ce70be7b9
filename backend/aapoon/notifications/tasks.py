"""Background work of the notifications app (django.tasks; run by the dbtasks runner)."""

from django.tasks import task

from aapoon.notifications.delivery import deliver_until_idle

# Shorter than a few periodic intervals, so one run never holds a runner thread for long.
MAX_SECONDS = 30


@task
def notifications_deliver() -> None:
    """Deliver what is due in the outbox (periodic, and queued when new rows are committed)."""
    deliver_until_idle(max_seconds=MAX_SECONDS)
