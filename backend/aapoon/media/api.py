"""Recordings: list, look at, delete, and get a signed link to play or download one."""

from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aapoon.accounts.models import User
from aapoon.media import recording, recording_selectors, transcript_formats, transcript_selectors
from aapoon.media.models import Recording, TranscriptSegment
from aapoon.media.schemas import DownloadUrlOut, RecordingOut, TranscriptOut, TranscriptQuery

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


@router.get(
    "/recordings/{recording_id}/transcript", response=TranscriptOut, operation_id="recording_transcript_get"
)
def recording_transcript_get(
    request: HttpRequest, recording_id: str, filters: Query[TranscriptQuery]
) -> TranscriptOut:
    """The transcript's status and, once ready, its segments (`q`: only those that contain it)."""
    transcript = transcript_selectors.transcript_get(user=_user(request), recording_id=recording_id)
    ready = transcript.status == transcript.Status.READY
    segments = (
        transcript_selectors.transcript_segments(transcript=transcript, query=filters.q) if ready else []
    )
    return TranscriptOut.model_validate(
        {
            "status": transcript.status,
            "engine": transcript.engine,
            "language": transcript.language,
            "segments": segments,
        }
    )


def _transcript_file(
    request: HttpRequest,
    recording_id: str,
    extension: str,
    content_type: str,
    render: Callable[[Iterable[TranscriptSegment]], str],
) -> HttpResponse:
    transcript = transcript_selectors.transcript_get_ready(user=_user(request), recording_id=recording_id)
    body = render(transcript_selectors.transcript_segments(transcript=transcript))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=transcript_formats.download_name(transcript, extension)
    )
    return response


def _file_response(content_type: str) -> dict[str, object]:
    return {
        "responses": {
            200: {"description": "The file", "content": {content_type: {"schema": {"type": "string"}}}}
        }
    }


@router.get(
    "/recordings/{recording_id}/transcript.vtt",
    operation_id="recording_transcript_vtt",
    openapi_extra=_file_response("text/vtt"),
)
def recording_transcript_vtt(request: HttpRequest, recording_id: str) -> HttpResponse:
    """WebVTT captions, each cue with its speaker as a voice tag (409 until the transcript is ready)."""
    return _transcript_file(
        request, recording_id, ".vtt", "text/vtt; charset=utf-8", transcript_formats.webvtt
    )


@router.get(
    "/recordings/{recording_id}/transcript.txt",
    operation_id="recording_transcript_txt",
    openapi_extra=_file_response("text/plain"),
)
def recording_transcript_txt(request: HttpRequest, recording_id: str) -> HttpResponse:
    """Plain text, a line per segment: "[00:01:02] Name: text" (409 until the transcript is ready)."""
    return _transcript_file(
        request, recording_id, ".txt", "text/plain; charset=utf-8", transcript_formats.plain_text
    )
