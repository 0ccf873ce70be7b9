"""Storing a file that is already on disk (a composed recording): streamed, never read whole."""

import hashlib
import uuid
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from aapoon.files.models import StoredFile

CHUNK_BYTES = 1024 * 1024


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def stored_file_create_from_path(
    *, owner_id: uuid.UUID | None, kind: str, path: Path, mime_type: str, original_name: str = ""
) -> StoredFile:
    """Copy `path` into storage under an unguessable key and record it. Call inside the caller's
    transaction; if that rolls back, the copied bytes stay behind unreferenced (as with
    `stored_file_create`)."""
    sha256 = _sha256(path)
    with path.open("rb") as source:
        key = default_storage.save(f"{kind}/{uuid.uuid4().hex}{path.suffix}", File(source))
    return StoredFile.objects.create(
        owner_id=owner_id,
        kind=kind,
        storage_key=key,
        original_name=original_name[:255],
        size_bytes=default_storage.size(key),
        mime_type=mime_type,
        sha256=sha256,
    )
