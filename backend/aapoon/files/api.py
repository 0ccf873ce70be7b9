"""Downloads through signed links: no session needed, the link itself is the permission.

The body is an async iterator that reads the file a chunk at a time on a worker thread: under
ASGI, Django drains a sync iterator into a list before sending anything (the whole file in
memory); an async one is sent as it is read.
"""

import asyncio
from collections.abc import AsyncIterator
from typing import IO

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from ninja import Router

from aapoon.core.errors import NotFound, PermissionDenied
from aapoon.files.models import StoredFile
from aapoon.files.ranges import RangeNotSatisfiable, byte_range
from aapoon.files.selectors import stored_file_find
from aapoon.files.signing import LinkExpired, LinkInvalid, signed_link_file_id

router = Router(tags=["files"])
CHUNK_BYTES = 256 * 1024
# Shown in the browser when opened (recordings play, images and PDFs display); anything else
# always downloads, so no file shared by someone is ever rendered as a page of our origin.
_INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"})
_INLINE_PREFIXES = ("video/", "audio/")
# The file opened on its own runs nothing of ours: no scripts, an opaque origin (sandbox), only
# itself to load. Not for PDFs: browsers refuse to run their PDF viewer in a sandboxed document
# (Chromium ignores a PDF's CSP anyway), and a PDF's own scripts run inside that viewer.
_OWN_ONLY = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'"
_SANDBOX_CSP = f"sandbox; {_OWN_ONLY}; frame-ancestors 'none'"
_PDF_CSP = f"{_OWN_ONLY}; object-src 'self'; frame-ancestors 'none'"


class LinkInvalidError(PermissionDenied):
    code = "link_invalid"
    message = "This download link is not valid."


class LinkExpiredError(PermissionDenied):
    code = "link_expired"
    message = "This download link has expired; ask for a new one."


async def _chunks(storage_key: str, start: int, length: int) -> AsyncIterator[bytes]:
    """`length` bytes from `start`; the file is opened only once the body is wanted."""
    source: IO[bytes] = await asyncio.to_thread(default_storage.open, storage_key, "rb")
    try:
        await asyncio.to_thread(source.seek, start)
        while length > 0:
            chunk = await asyncio.to_thread(source.read, min(CHUNK_BYTES, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
    finally:
        source.close()


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield  # an async generator that ends at once (HEAD)


def _file_for(token: str) -> StoredFile:
    try:
        file_id = signed_link_file_id(token=token)
    except LinkExpired as exc:
        raise LinkExpiredError() from exc
    except LinkInvalid as exc:
        raise LinkInvalidError() from exc
    stored = stored_file_find(file_id=file_id)
    if stored is None:  # deleted after the link was made
        raise NotFound("This file no longer exists.")
    return stored


@router.get("/files/signed/{token}", auth=None, operation_id="file_signed_get", url_name="file_signed_get")
def file_signed_get(
    request: HttpRequest, token: str, download: bool = False
) -> HttpResponse | StreamingHttpResponse:
    return _signed_file_response(request, token, download)


# HEAD answers like GET without the body (players probe the size first); one schema entry is enough.
@router.api_operation(["HEAD"], "/files/signed/{token}", auth=None, include_in_schema=False)
def file_signed_head(
    request: HttpRequest, token: str, download: bool = False
) -> HttpResponse | StreamingHttpResponse:
    return _signed_file_response(request, token, download)


def _signed_file_response(
    request: HttpRequest, token: str, download: bool
) -> HttpResponse | StreamingHttpResponse:
    stored = _file_for(token)
    size = stored.size_bytes
    try:
        wanted = byte_range(request.headers.get("Range"), size)
    except RangeNotSatisfiable:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    start, length = (wanted.start, wanted.length) if wanted else (0, size)
    body = _chunks(stored.storage_key, start, length) if request.method == "GET" else _nothing()
    response = StreamingHttpResponse(body, status=206 if wanted else 200, content_type=stored.mime_type)
    if wanted:
        response["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{size}"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    inline = not download and (
        stored.mime_type in _INLINE_TYPES or stored.mime_type.startswith(_INLINE_PREFIXES)
    )
    response["Content-Disposition"] = (
        content_disposition_header(not inline, stored.original_name or "file") or ""
    )
    response["Content-Security-Policy"] = _PDF_CSP if stored.mime_type == "application/pdf" else _SANDBOX_CSP

    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
