"""Files to upload in tests, made here byte by byte: good ones of each kind, and bad ones (zip
bombs, disguised files, fake Office documents)."""

import io
import struct
import zipfile

from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + b"%%EOF\n"
TEXT = "Minutes: ünïcode is fine, and so are emoji 🎉\n".encode()
CSV = b"name,score\nAsha,3\nRavi,4\n"


def image(fmt: str, size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format=fmt)
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
OFFICE_MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}


def office(kind: str, **extra: bytes) -> bytes:
    """The smallest package the checks take for `kind` (docx, xlsx, pptx), plus `extra` entries."""
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            OFFICE_MAIN_PARTS[kind]: b"<document/>",
            **extra,
        }
    )


def ratio_bomb(unpacked: int = 20 * 1024 * 1024) -> bytes:
    """A zip of a few kilobytes that unpacks to `unpacked` bytes of zeros (ratio about 1000:1)."""
    return zip_of({"zeros.bin": bytes(unpacked)})


def nested_bomb() -> bytes:
    """42.zip in small: an archive of archives, each harmless alone."""
    inner = zip_of({"zeros.bin": bytes(64 * 1024)})
    return zip_of({f"layer{n}.dat": inner for n in range(4)})


def overlapping_bomb(copies: int = 50) -> bytes:
    """Fifield's zip bomb in small: one stored body, named by many central directory entries (no
    nesting, and each entry alone looks fine)."""
    single = zip_of({"a.txt": b"x" * 1000}, compression=zipfile.ZIP_STORED)
    end_at = single.rindex(b"PK\x05\x06")
    (central_size, central_offset) = struct.unpack("<II", single[end_at + 12 : end_at + 20])
    central = single[central_offset : central_offset + central_size]
    body = single[:central_offset]
    # Same name length, so each record stays the same size.
    records = b"".join(central.replace(b"a.txt", f"{n:05d}"[-5:].encode()) for n in range(copies))
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, copies, copies, len(records), len(body), 0)
    return body + records + end


def encrypted_zip() -> bytes:
    """A zip whose entry says it is encrypted (its bytes can't be looked into): the flag set in
    both its headers (zipfile writes none)."""
    content = bytearray(zip_of({"secret.txt": b"not really encrypted"}))
    local, central = content.index(b"PK\x03\x04"), content.index(b"PK\x01\x02")
    content[local + 6] |= 0x1
    content[central + 8] |= 0x1
    return bytes(content)
