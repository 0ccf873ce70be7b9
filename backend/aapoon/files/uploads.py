"""Storing an upload from a stream (it may be on disk already): hashed and copied a chunk at a time.

The bytes go to storage before the database row, outside the caller's transaction (so the
transaction stays short); the caller discards them if its transaction then fails, so no bytes
stay behind without a row:

    saved = stored_bytes_save(kind=..., source=..., extension=...)
    try:
        with transaction.atomic():
            stored = stored_file_record(saved=saved, ...)
            ...
    except BaseException:
        stored_bytes_discard(saved=saved)
        raise
"""

import hashlib
import uuid
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

from aapoon.files.models import StoredFile

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class SavedBytes:
    storage_key: str
    size_bytes: int
    sha256: str


def stored_bytes_save(*, kind: str, source: IO[bytes], extension: str) -> SavedBytes:
    """Copy `source` (seekable) into storage under an unguessable key; no row yet."""
    digest = hashlib.sha256()
    size = 0
    source.seek(0)
    while chunk := source.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    source.seek(0)
    key = default_storage.save(f"{kind}/{uuid.uuid4().hex}.{extension}", File(source))
    return SavedBytes(storage_key=key, size_bytes=size, sha256=digest.hexdigest())


def stored_bytes_discard(*, saved: SavedBytes) -> None:
    default_storage.delete(saved.storage_key)


def stored_file_record(
    *,
    saved: SavedBytes,
    owner_id: uuid.UUID | None,
    meeting_id: uuid.UUID | None,
    kind: str,
    mime_type: str,
    original_name: str,
) -> StoredFile:
    """The row for bytes saved by stored_bytes_save. Inside the caller's transaction."""
    return StoredFile.objects.create(
        owner_id=owner_id,
        meeting_id=meeting_id,
        kind=kind,
        storage_key=saved.storage_key,
        original_name=original_name[:255],
        size_bytes=saved.size_bytes,
        mime_type=mime_type,
        sha256=saved.sha256,
    )
