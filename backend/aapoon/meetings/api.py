from typing import Any

from allauth.headless.contrib.ninja.security import jwt_token_auth
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aapoon.accounts.models import User
from aapoon.core.http import client_ip
from aapoon.core.text import Text
from aapoon.meetings import export, selectors, services
from aapoon.meetings.api_auth import SessionIfSent, signed_out
from aapoon.meetings.guests import guest_key_for
from aapoon.meetings.models import Meeting
from aapoon.meetings.schemas import (
    IceServerOut,
    JoinIn,
    JoinOut,
    MeetingExportOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MeetingSummaryOut,
)
from aapoon.meetings.services import Invitee, MeetingSettings
from aapoon.scheduling.recurrence import Recurrence

router = Router(tags=["meetings"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by the API's auth
    return user


def _out(request: HttpRequest, meeting: Meeting) -> MeetingOut:
    return MeetingOut.model_validate(meeting, context={"request": request})


def _settings(payload: MeetingIn | MeetingPatch) -> MeetingSettings:
    values = payload.dict(exclude_unset=True, exclude={"kind", "account_id"})
    if values.get("invitees") is not None:
        values["invitees"] = [Invitee(**invitee) for invitee in values["invitees"]]
    if "recurrence" in values:
        # Sent as null: the meeting no longer repeats (absent: it stays as it is).
        values.pop("recurrence")
        given = payload.recurrence
        if given is None:
            values["recurrence_clear"] = True
        else:
            values["recurrence"] = Recurrence(
                frequency=given.frequency,
                interval=given.interval,
                weekdays=tuple(given.weekdays),
                until=given.until,
                count=given.count,
            )
    return MeetingSettings(**values)


@router.post("/meetings", response={201: MeetingOut}, operation_id="meeting_create")
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status[MeetingOut]:
    user = _user(request)
    meeting = services.meeting_create(
        user=user, kind=payload.kind, values=_settings(payload), account_id=payload.account_id
    )
    return Status(201, _out(request, selectors.meeting_get_visible(user=user, code=meeting.meeting_code)))


@router.get("/meetings", response=list[MeetingOut], operation_id="meetings_list")
@paginate(LimitOffsetPagination)
def meetings_list(
    request: HttpRequest,
    scope: str = Query("upcoming", pattern="^(upcoming|past)$"),
    status: str = "",
    q: Text = "",
) -> QuerySet[Meeting]:
    return selectors.meeting_list(user=_user(request), scope=scope, status=status or None, q=q)


@router.get("/meetings/{code}", response=MeetingOut, operation_id="meeting_get")
def meeting_get(request: HttpRequest, code: str) -> MeetingOut:
    return _out(request, selectors.meeting_get_visible(user=_user(request), code=code))


@router.patch("/meetings/{code}", response=MeetingOut, operation_id="meeting_update")
def meeting_update(request: HttpRequest, code: str, payload: MeetingPatch) -> MeetingOut:
    return _out(request, services.meeting_update(user=_user(request), code=code, values=_settings(payload)))


@router.post("/meetings/{code}/cancel", response=MeetingOut, operation_id="meeting_cancel")
def meeting_cancel(request: HttpRequest, code: str) -> MeetingOut:
    return _out(request, services.meeting_cancel(user=_user(request), code=code))


@router.post("/meetings/{code}/end", response=MeetingOut, operation_id="meeting_end")
def meeting_end(request: HttpRequest, code: str) -> MeetingOut:
    return _out(request, services.meeting_end_by_user(user=_user(request), code=code))


@router.get("/meetings/{code}/export", response=MeetingExportOut, operation_id="meeting_export")
def meeting_export(request: HttpRequest, code: str) -> dict[str, Any]:
    """The meeting as JSON: participants, chat, files, polls, breakout rooms (host, account admins)."""
    return export.meeting_export(user=_user(request), code=code)


@router.post(
    "/meetings/{code}/join",
    response=JoinOut,
    operation_id="meeting_join",
    auth=[jwt_token_auth, SessionIfSent(), signed_out],
)
def meeting_join(request: HttpRequest, response: HttpResponse, code: str, payload: JoinIn) -> JoinOut:
    user = request.user if isinstance(request.user, User) else None
    guest_key = "" if user else guest_key_for(request, response)
    result = services.meeting_join(
        code=code,
        user=user,
        display_name=payload.display_name,
        passcode=payload.passcode,
        guest_key=guest_key,
        ip=client_ip(request),
    )
    participant, meeting = result.participant, result.participant.meeting
    return JoinOut(
        status=participant.status,
        participant_id=participant.pk,
        role=participant.role,
        display_name=participant.display_name,
        ticket=result.ticket,
        ws_path=f"/ws/meetings/{meeting.meeting_code}/",
        media_mode=meeting.media_mode,
        ice_servers=[IceServerOut(**server) for server in result.ice_servers],
        ice_transport_policy="relay" if settings.ICE_TRANSPORT_POLICY == "relay" else "all",
        max_participants=result.max_participants,
        meeting=MeetingSummaryOut(
            code=meeting.meeting_code,
            title=meeting.title,
            host_name=result.host_name,
            status=meeting.status,
        ),
    )
