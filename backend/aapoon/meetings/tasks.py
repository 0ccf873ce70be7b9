"""Background work of the meetings app (django.tasks; run by the dbtasks runner): the breakout
rooms' timers, each queued to run at its moment and idempotent (see breakouts.py)."""

import uuid

from django.tasks import task

from aapoon.meetings import breakouts


@task
def breakouts_time_up(meeting_id: str, round_: int) -> None:
    """The rooms' timer ran out: they start closing (nothing if that round is over already)."""
    breakouts.breakouts_time_up(meeting_id=uuid.UUID(meeting_id), round_=round_)


@task
def breakouts_return(meeting_id: str, round_: int) -> None:
    """The closing countdown is over: everyone returns to the main room (nothing if done already)."""
    breakouts.breakouts_return(meeting_id=uuid.UUID(meeting_id), round_=round_)
