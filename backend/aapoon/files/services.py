import hashlib
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from aapoon.files.models import StoredFile


def stored_file_create(
    *,
    owner_id: uuid.UUID | None,
    kind: str,
    content: bytes,
    mime_type: str,
    extension: str,
    original_name: str = "",
) -> StoredFile:
    """Save bytes under an unguessable key and record them. Call inside the caller's transaction."""
    key = default_storage.save(f"{kind}/{uuid.uuid4().hex}{extension}", ContentFile(content))
    return StoredFile.objects.create(
        owner_id=owner_id,
        kind=kind,
        storage_key=key,
        original_name=original_name[:255],
        size_bytes=len(content),
        mime_type=mime_type,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def stored_file_delete(*, stored_file: StoredFile) -> None:
    """Forget the row now; remove the bytes only once that is committed.

    Deleting the bytes first would leave a row (say, a user's avatar) pointing at nothing if the
    caller's transaction rolls back.
    """
    key = stored_file.storage_key
    stored_file.delete()
    transaction.on_commit(lambda: default_storage.delete(key))
