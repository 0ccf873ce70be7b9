"""Recordings: list, look at, delete, and get a signed link to play or download one."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aapoon.accounts.models import User
from aapoon.media import recording, recording_selectors
from aapoon.media.models import Recording
from aapoon.media.schemas import DownloadUrlOut, RecordingOut

router = Router(tags=["recordings"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by the API's auth
    return user


@router.get(
    "/meetings/{code}/recordings", response=list[RecordingOut], operation_id="meeting_recordings_list"
)
@paginate(LimitOffsetPagination)
def meeting_recordings_list(request: HttpRequest, code: str) -> QuerySet[Recording]:
    return recording_selectors.recording_list_for_meeting(user=_user(request), code=code)


@router.get("/recordings", response=list[RecordingOut], operation_id="recordings_list")
@paginate(LimitOffsetPagination)
def recordings_list(request: HttpRequest) -> QuerySet[Recording]:
    return recording_selectors.recording_list(user=_user(request))


@router.get("/recordings/{recording_id}", response=RecordingOut, operation_id="recording_get")
def recording_get(request: HttpRequest, recording_id: str) -> Recording:
    return recording_selectors.recording_get(user=_user(request), recording_id=recording_id)


@router.delete("/recordings/{recording_id}", response={204: None}, operation_id="recording_delete")
def recording_delete(request: HttpRequest, recording_id: str) -> Status[None]:
    recording.recording_delete(user=_user(request), recording_id=recording_id)
    return Status(204, None)


@router.post(
    "/recordings/{recording_id}/download-url", response=DownloadUrlOut, operation_id="recording_download_url"
)
def recording_download_url(request: HttpRequest, recording_id: str) -> DownloadUrlOut:
    link = recording.recording_download_link(user=_user(request), recording_id=recording_id)
    path = reverse("api-v1:file_signed_get", kwargs={"token": link.token})
    return DownloadUrlOut(url=request.build_absolute_uri(path), expires_at=link.expires_at)
