"""Breakout rooms prepared ahead by the host (REST); in the meeting they change over its socket."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from aapoon.accounts.models import User
from aapoon.meetings import breakout_selectors, breakouts
from aapoon.meetings.breakout_schemas import BreakoutPlanIn, BreakoutPlanOut
from aapoon.meetings.breakouts import RoomSpec

router = Router(tags=["meetings"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by the API's auth
    return user


@router.get("/meetings/{code}/breakouts", response=BreakoutPlanOut, operation_id="breakout_plan_get")
def breakout_plan_get(request: HttpRequest, code: str) -> dict[str, Any]:
    return breakout_selectors.breakout_plan_get(user=_user(request), code=code)


@router.put("/meetings/{code}/breakouts", response=BreakoutPlanOut, operation_id="breakout_plan_set")
def breakout_plan_set(request: HttpRequest, code: str, payload: BreakoutPlanIn) -> dict[str, Any]:
    """Replace the rooms, who goes where by email, and the settings."""
    user = _user(request)
    breakouts.breakout_plan_set(
        user=user,
        code=code,
        rooms=[RoomSpec(name=room.name, id=room.id, emails=tuple(room.emails)) for room in payload.rooms],
        allow_choosing=payload.allow_choosing,
        duration_minutes=payload.duration_minutes,
        countdown_seconds=payload.countdown_seconds,
    )
    return breakout_selectors.breakout_plan_get(user=user, code=code)
