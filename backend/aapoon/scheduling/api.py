import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from aapoon.accounts.models import User
from aapoon.core.http import client_ip
from aapoon.meetings.models import Meeting
from aapoon.meetings.schemas import MeetingOut
from aapoon.scheduling import selectors, services
from aapoon.scheduling.models import CalendarFeed
from aapoon.scheduling.schemas import CalendarFeedOut, OccurrenceCancelIn, OccurrenceMoveIn, OccurrenceOut

router = Router(tags=["calendar"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by the API's auth
    return user


def _meeting_out(request: HttpRequest, meeting: Meeting) -> MeetingOut:
    return MeetingOut.model_validate(meeting, context={"request": request})


def _occurrence_out(occurrence: selectors.Occurrence, user: User) -> OccurrenceOut:
    meeting = occurrence.meeting
    key = selectors.occurrence_key(occurrence.original_start)
    return OccurrenceOut(
        id=f"{meeting.meeting_code}:{key}",
        meeting_code=meeting.meeting_code,
        title=meeting.title,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        original_start=occurrence.original_start,
        occurrence_key=key,
        timezone=meeting.timezone,
        is_recurring=bool(meeting.recurrence_rule),
        is_host=meeting.host_id == user.pk,
        status=meeting.status,
        my_rsvp=selectors.my_rsvp(meeting, user),
        join_path=f"/m/{meeting.meeting_code}",
    )


@router.get("/calendar/occurrences", response=list[OccurrenceOut], operation_id="calendar_occurrences")
def calendar_occurrences(request: HttpRequest, start: dt.datetime, end: dt.datetime) -> list[OccurrenceOut]:
    """Meetings I host or am invited to in [start, end) (at most 100 days; times with an offset)."""
    user = _user(request)
    occurrences = selectors.calendar_occurrences(user=user, start=start, end=end)
    return [_occurrence_out(occurrence, user) for occurrence in occurrences]


@router.patch(
    "/meetings/{code}/occurrences/{occurrence_key}", response=MeetingOut, operation_id="occurrence_move"
)
def occurrence_move(
    request: HttpRequest, code: str, occurrence_key: str, payload: OccurrenceMoveIn
) -> MeetingOut:
    """Move this occurrence, this and the following ones, or all; answers with the meeting that
    now holds it (for "following", the new meeting)."""
    meeting = services.occurrence_move(
        user=_user(request),
        code=code,
        key=occurrence_key,
        scope=payload.scope,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
    )
    return _meeting_out(request, meeting)


@router.post(
    "/meetings/{code}/occurrences/{occurrence_key}/cancel",
    response=MeetingOut,
    operation_id="occurrence_cancel",
)
def occurrence_cancel(
    request: HttpRequest, code: str, occurrence_key: str, payload: OccurrenceCancelIn
) -> MeetingOut:
    meeting = services.occurrence_cancel(
        user=_user(request), code=code, key=occurrence_key, scope=payload.scope
    )
    return _meeting_out(request, meeting)


def _feed_out(feed: CalendarFeed | None, token: str | None = None) -> CalendarFeedOut:
    webcal_url, https_url = selectors.feed_urls(token) if token else (None, None)
    return CalendarFeedOut(
        active=feed is not None,
        created_at=feed.created_at if feed else None,
        webcal_url=webcal_url,
        https_url=https_url,
    )


@router.get("/calendar/feed", response=CalendarFeedOut, operation_id="calendar_feed_get")
def calendar_feed_get(request: HttpRequest) -> CalendarFeedOut:
    """Whether I have a feed; its URL was shown only when it was made."""
    return _feed_out(selectors.calendar_feed_get(user=_user(request)))


@router.post("/calendar/feed", response=CalendarFeedOut, operation_id="calendar_feed_create")
def calendar_feed_create(request: HttpRequest) -> CalendarFeedOut:
    """A new private feed URL (the old one stops working); shown this once."""
    feed, token = services.calendar_feed_create(user=_user(request))
    return _feed_out(feed, token)


@router.delete("/calendar/feed", response={204: None}, operation_id="calendar_feed_delete")
def calendar_feed_delete(request: HttpRequest) -> Status[None]:
    services.calendar_feed_delete(user=_user(request))
    return Status(204, None)


@router.get(
    "/calendar/feed/{token}.ics", auth=None, operation_id="calendar_feed_ics", include_in_schema=False
)
def calendar_feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, for calendar apps: no sign-in, the unguessable token is the key."""
    body = services.calendar_feed_read(token=token, ip=client_ip(request))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
