"""Checks on a file someone uploads, before anything is stored: its name, its size, its kind, and
that its bytes are what its name claims. Nothing here writes, and archives are never unpacked: a
zip is judged by its central directory (and the first bytes of each entry).

The kind comes from the name's extension, and the bytes must agree twice: their signature names
the same kind (a PNG called .jpg is refused), and they read as that kind (an image decodes, text is
UTF-8, an Office file holds its main part). The MIME type stored is ours, never the browser's.
"""

import codecs
import re
import struct
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from PIL import Image

from aapoon.core.errors import InvalidInput

MAX_NAME_LENGTH = 255
CHUNK_BYTES = 1024 * 1024
# Zip files: what they may unpack to. Ratio is unpacked / packed, checked once the total is big
# enough to matter (a small text compresses far better than 100:1 and harms no one).
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR_BYTES = 16 * 1024 * 1024
# Entries named like these are archives inside the archive (unpacking them may go on for ever).
_ARCHIVE_SUFFIXES = (
    ".zip",
    ".jar",
    ".7z",
    ".rar",
    ".gz",
    ".tgz",
    ".bz2",
    ".xz",
    ".zst",
    ".tar",
    ".cab",
    ".iso",
)
_ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"(\xb5/\xfd",
)
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_DRIVE = re.compile(r"^[A-Za-z]:")


class FileTooLarge(InvalidInput):
    code = "file_too_large"
    message = "This file is too large."


class FileTypeNotAllowed(InvalidInput):
    code = "file_type_not_allowed"
    message = "Files of this type can't be shared."


class FileContentMismatch(InvalidInput):
    code = "file_content_mismatch"
    message = "This file's content doesn't match its type."


class FileNameInvalid(InvalidInput):
    code = "file_name_invalid"
    message = "This file name can't be used: give the file a plain name."


class FileUnsafe(InvalidInput):
    code = "file_unsafe"
    message = "This file would unpack to far more than it holds, so it can't be shared."


Check = Callable[[IO[bytes], int], None]


@dataclass(frozen=True)
class FileType:
    mime_type: str
    # What the first bytes must say (see _signature); None: no signature (text).
    signature: str | None
    check: Check


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # cleaned, as it will be shown and offered for download
    extension: str  # lower case, no dot
    mime_type: str
    size_bytes: int


def _read_at(source: IO[bytes], offset: int, length: int) -> bytes:
    source.seek(offset)
    return source.read(length)


def _signature(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    # A local file header, or the end record of an empty archive.
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    return None


# ---- content checks ---------------------------------------------------------------------------


def _no_check(source: IO[bytes], size: int) -> None:
    """The signature is all a PDF is checked for (the server never renders one)."""


def _image(formats: tuple[str, ...]) -> Check:
    """An image that Pillow decodes, with only the decoders of its own kind. Pillow's guard against
    decompression bombs stays on: past Image.MAX_IMAGE_PIXELS the image is refused, not decoded."""

    def check(source: IO[bytes], size: int) -> None:
        try:
            source.seek(0)
            with Image.open(source, formats=formats) as image:
                image.verify()
            # verify() does not decode (a truncated image passes it); load() does, the first frame.
            source.seek(0)
            with Image.open(source, formats=formats) as image:
                width, height = image.size
                limit = Image.MAX_IMAGE_PIXELS
                if limit is not None and width * height > limit:
                    raise FileUnsafe("This image has too many pixels to be shown safely.")
                image.load()
        except FileUnsafe:
            raise
        except Image.DecompressionBombError as exc:
            raise FileUnsafe("This image has too many pixels to be shown safely.") from exc
        except Exception as exc:  # Pillow reports bad input with many exception types
            raise FileContentMismatch("This file is not a readable image of its type.") from exc

    return check


def _utf8_text(source: IO[bytes], size: int) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    source.seek(0)
    try:
        while chunk := source.read(CHUNK_BYTES):
            if b"\x00" in chunk:
                raise FileContentMismatch("A text file must be UTF-8 text.")
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise FileContentMismatch("A text file must be UTF-8 text.") from exc


def _entry_is_archive(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    if entry.filename.lower().endswith(_ARCHIVE_SUFFIXES):
        return True
    if entry.is_dir() or entry.file_size == 0:
        return False
    with archive.open(entry) as content:  # decompresses only the first block
        return content.read(8).startswith(_ARCHIVE_MAGIC)


def _check_layout(source: IO[bytes], entries: list[zipfile.ZipInfo]) -> None:
    """Each entry's bytes are its own: entries that overlap (one stored body named many times over)
    are the trick of the zip bombs that need no nesting."""
    end = 0
    for entry in sorted(entries, key=lambda e: e.header_offset):
        header = _read_at(source, entry.header_offset, _LOCAL_HEADER.size)
        if entry.header_offset < end or len(header) < _LOCAL_HEADER.size:
            raise FileUnsafe()
        magic, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        if magic != b"PK\x03\x04":
            raise FileUnsafe()
        end = entry.header_offset + _LOCAL_HEADER.size + name_length + extra_length + entry.compress_size


def _check_zip(source: IO[bytes], size: int, *, embeddings: str | None) -> set[str]:
    """A zip that is no bomb; returns its entries' names. `embeddings`: the folder where an Office
    file keeps objects embedded in it (themselves Office files, so zips)."""
    try:
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                raise FileUnsafe(f"This archive holds more than {ZIP_MAX_ENTRIES} files.")
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > ZIP_MAX_UNPACKED_BYTES or (
                unpacked > ZIP_RATIO_FLOOR_BYTES and unpacked > ZIP_MAX_RATIO * max(size, 1)
            ):
                raise FileUnsafe()
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise FileUnsafe("Encrypted archives can't be checked, so they can't be shared.")
            _check_layout(source, entries)
            for entry in entries:
                embedded = embeddings is not None and entry.filename.startswith(embeddings)
                if not embedded and _entry_is_archive(archive, entry):
                    raise FileUnsafe("Archives inside archives can't be shared.")
            return {entry.filename for entry in entries}
    except FileUnsafe:
        raise
    except NotImplementedError as exc:  # a compression method zipfile cannot read
        raise FileUnsafe("This archive can't be checked, so it can't be shared.") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, RuntimeError) as exc:
        raise FileContentMismatch("This file is not a readable zip archive.") from exc


def _zip(source: IO[bytes], size: int) -> None:
    _check_zip(source, size, embeddings=None)


def _office(main_part: str) -> Check:
    """An Office Open XML package: a zip with [Content_Types].xml and the main part of its kind
    (so a spreadsheet named .docx is refused)."""
    embeddings = main_part.split("/", 1)[0] + "/embeddings/"

    def check(source: IO[bytes], size: int) -> None:
        names = _check_zip(source, size, embeddings=embeddings)
        if "[Content_Types].xml" not in names or main_part not in names:
            raise FileContentMismatch("This file is not an Office document of its type.")

    return check


_JPEG = FileType("image/jpeg", "jpeg", _image(("JPEG", "MPO")))

FILE_TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", "pdf", _no_check),
    "png": FileType("image/png", "png", _image(("PNG",))),
    "jpg": _JPEG,
    "jpeg": _JPEG,
    "gif": FileType("image/gif", "gif", _image(("GIF",))),
    "webp": FileType("image/webp", "webp", _image(("WEBP",))),
    "txt": FileType("text/plain", None, _utf8_text),
    "csv": FileType("text/csv", None, _utf8_text),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "zip",
        _office("word/document.xml"),
    ),
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip", _office("xl/workbook.xml")
    ),
    "pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "zip",
        _office("ppt/presentation.xml"),
    ),
    "zip": FileType("application/zip", "zip", _zip),
}


# ---- names ------------------------------------------------------------------------------------


def upload_name_clean(name: str) -> str:
    """The name to keep: NFC-normalised, invisible format characters (bidi overrides, zero-width
    marks that disguise an extension) taken out, spaces trimmed. A name with control characters
    or path parts (a folder, `..`, a drive letter), or none, is refused rather than guessed at."""
    name = unicodedata.normalize("NFC", name)
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise FileNameInvalid("File names can't contain control characters.")
    name = "".join(char for char in name if unicodedata.category(char) != "Cf").strip()
    if not name:
        raise FileNameInvalid("The file has no name.")
    if "/" in name or "\\" in name or name in {".", ".."} or _DRIVE.match(name):
        raise FileNameInvalid("File names can't contain folders or drive letters.")
    return name


def _extension(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem.strip(". ") else ""


def _trimmed(name: str, extension: str) -> str:
    """At most MAX_NAME_LENGTH characters, cut from the stem so the extension stays."""
    if len(name) <= MAX_NAME_LENGTH:
        return name
    stem = name[: len(name) - len(extension) - 1]
    return f"{stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip()}.{extension}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB"


# ---- the check --------------------------------------------------------------------------------


def upload_size_check(*, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileTooLarge(f"This file is too large: files can be at most {_megabytes(max_bytes)}.")


def upload_check(*, name: str, source: IO[bytes], max_bytes: int, allowed: Iterable[str]) -> CheckedUpload:
    """Check an upload whose bytes are in `source` (seekable; read, never changed). `allowed`:
    extensions of FILE_TYPES. Raises one of the errors above; returns what to store it as."""
    clean = upload_name_clean(name)
    extension = _extension(clean)
    file_type = FILE_TYPES.get(extension) if extension in {ext.lower() for ext in allowed} else None
    if file_type is None:
        kinds = ", ".join(sorted(ext.lower() for ext in allowed))
        raise FileTypeNotAllowed(f"Files of this type can't be shared. Allowed: {kinds}.")
    size = source.seek(0, 2)
    upload_size_check(size=size, max_bytes=max_bytes)
    if _signature(_read_at(source, 0, 16)) != file_type.signature:
        raise FileContentMismatch(f"This file's content is not what a .{extension} file holds.")
    file_type.check(source, size)
    source.seek(0)
    return CheckedUpload(
        name=_trimmed(clean, extension), extension=extension, mime_type=file_type.mime_type, size_bytes=size
    )
