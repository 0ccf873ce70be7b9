"""Reads for stored files."""

import uuid

from aapoon.files.models import StoredFile


def stored_file_find(*, file_id: uuid.UUID) -> StoredFile | None:
    return StoredFile.objects.filter(pk=file_id).first()
