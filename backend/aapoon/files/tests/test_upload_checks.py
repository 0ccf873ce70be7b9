"""The checks on an uploaded file: names, size, kinds, and bytes that must be what the name says."""

import io

import pytest
from PIL import Image

from aapoon.files import upload_checks
from aapoon.files.tests import samples
from aapoon.files.upload_checks import (
    CheckedUpload,
    FileContentMismatch,
    FileNameInvalid,
    FileTooLarge,
    FileTypeNotAllowed,
    FileUnsafe,
    upload_check,
    upload_name_clean,
)

ALL = ("pdf", "png", "jpg", "jpeg", "gif", "webp", "txt", "csv", "docx", "xlsx", "pptx", "zip")
MB = 1024 * 1024


def check(
    name: str, content: bytes, *, max_bytes: int = 25 * MB, allowed: tuple[str, ...] = ALL
) -> CheckedUpload:
    return upload_check(name=name, source=io.BytesIO(content), max_bytes=max_bytes, allowed=allowed)


@pytest.mark.parametrize(
    ("name", "content", "mime_type"),
    [
        ("Agenda.pdf", samples.PDF, "application/pdf"),
        ("chart.png", samples.image("PNG"), "image/png"),
        ("photo.JPG", samples.image("JPEG"), "image/jpeg"),
        ("photo.jpeg", samples.image("JPEG"), "image/jpeg"),
        ("anim.gif", samples.image("GIF"), "image/gif"),
        ("pic.webp", samples.image("WEBP"), "image/webp"),
        ("notes.txt", samples.TEXT, "text/plain"),
        ("empty.txt", b"", "text/plain"),
        ("scores.csv", samples.CSV, "text/csv"),
        (
            "report.docx",
            samples.office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "budget.xlsx",
            samples.office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "slides.pptx",
            samples.office("pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("bundle.zip", samples.zip_of({"a.txt": b"a", "dir/b.csv": b"b,c"}), "application/zip"),
    ],
)
def test_accepts_each_allowed_kind_with_our_mime_type(name: str, content: bytes, mime_type: str) -> None:
    checked = check(name, content)
    assert checked == CheckedUpload(
        name=name, extension=name.rsplit(".", 1)[1].lower(), mime_type=mime_type, size_bytes=len(content)
    )


def test_an_office_file_may_embed_another_but_not_elsewhere() -> None:
    embedded = samples.office("xlsx")
    assert (
        check("report.docx", samples.office("docx", **{"word/embeddings/sheet.xlsx": embedded})).extension
        == "docx"
    )
    with pytest.raises(FileUnsafe):
        check("report.docx", samples.office("docx", **{"word/media/sheet.dat": embedded}))


def test_refuses_types_not_allowed_and_names_without_an_extension() -> None:
    for name in ("tool.exe", "page.html", "image.svg", "archive.tar.gz", "README", ".pdf", "notes."):
        with pytest.raises(FileTypeNotAllowed) as refused:
            check(name, samples.TEXT)
        assert refused.value.code == "file_type_not_allowed"
    # Only what the setting lists, even among the kinds we know.
    with pytest.raises(FileTypeNotAllowed) as refused:
        check("bundle.zip", samples.zip_of({"a.txt": b"a"}), allowed=("pdf", "png"))
    assert refused.value.message == "Files of this type can't be shared. Allowed: pdf, png."


def test_refuses_a_file_over_the_limit_before_reading_it() -> None:
    assert check("notes.txt", b"a" * 1000, max_bytes=1000).size_bytes == 1000
    with pytest.raises(FileTooLarge) as refused:
        check("notes.txt", b"a" * 1001, max_bytes=1000)
    assert refused.value.code == "file_too_large"
    with pytest.raises(FileTooLarge) as refused:
        check("notes.txt", b"a" * (25 * MB + 1))
    assert refused.value.message == "This file is too large: files can be at most 25 MB."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("chart.png", samples.PDF),  # another kind's signature
        ("chart.png", samples.image("JPEG")),
        ("photo.jpg", samples.image("PNG")),
        ("report.pdf", samples.TEXT),
        ("report.pdf", b"junk before %PDF-1.4"),
        ("notes.txt", samples.PDF),  # a PDF is not text, even when its bytes are ASCII
        ("notes.txt", samples.image("PNG")),
        ("notes.txt", b"text with a \x00 NUL"),
        ("notes.csv", "Latin-1: caf\xe9".encode("latin-1")),
        ("report.docx", samples.TEXT),
        ("bundle.zip", samples.office("docx")[:-30]),  # cut short: no central directory
        ("chart.png", samples.image("PNG")[:-40]),  # cut short: does not decode
        ("chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),  # a signature and nothing behind it
    ],
)
def test_refuses_bytes_that_are_not_what_the_name_says(name: str, content: bytes) -> None:
    with pytest.raises(FileContentMismatch) as refused:
        check(name, content)
    assert refused.value.code == "file_content_mismatch"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.docx", samples.zip_of({"word/document.xml": b"<document/>"})),  # no [Content_Types].xml
        ("report.docx", samples.office("xlsx")),  # a spreadsheet named .docx
        ("budget.xlsx", samples.office("docx")),
        ("slides.pptx", samples.zip_of({"[Content_Types].xml": samples.CONTENT_TYPES})),
    ],
)
def test_refuses_fake_office_files(name: str, content: bytes) -> None:
    with pytest.raises(FileContentMismatch):
        check(name, content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bundle.zip", samples.ratio_bomb()),
        ("report.docx", samples.office("docx", **{"word/zeros.xml": bytes(20 * MB)})),
        ("bundle.zip", samples.nested_bomb()),
        ("bundle.zip", samples.zip_of({"inner.zip": b"named like an archive"})),
        ("bundle.zip", samples.zip_of({"data.bin": samples.zip_of({"a.txt": b"a"})})),  # one by its bytes
        ("bundle.zip", samples.zip_of({"data.bin": b"\x1f\x8b\x08\x00gzip"})),
        ("bundle.zip", samples.overlapping_bomb()),
        ("bundle.zip", samples.encrypted_zip()),
    ],
)
def test_refuses_zip_bombs_without_unpacking_them(name: str, content: bytes) -> None:
    assert len(content) < 2 * MB
    with pytest.raises(FileUnsafe) as refused:
        check(name, content)
    assert refused.value.code == "file_unsafe"
    assert refused.value.status == 400


def test_refuses_archives_past_the_totals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(upload_checks, "ZIP_MAX_ENTRIES", 3)
    with pytest.raises(FileUnsafe):
        check("bundle.zip", samples.zip_of({f"{n}.txt": b"a" for n in range(4)}))
    monkeypatch.setattr(upload_checks, "ZIP_MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(FileUnsafe):
        # Stored, not compressed: the ratio is 1, the total is what is too much.
        check("bundle.zip", samples.zip_of({"a.txt": b"a" * 1001}, compression=0))
    # Small archives compress as well as they like.
    assert check("bundle.zip", samples.zip_of({"a.txt": bytes(900)})).extension == "zip"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_images_past_pillows_pixel_limit_are_refused_not_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    assert check("small.png", samples.image("PNG", (40, 25))).extension == "png"
    for size in ((40, 26), (100, 100)):  # past the limit, and past twice the limit (Pillow's own error)
        with pytest.raises(FileUnsafe):
            check("big.png", samples.image("PNG", size))


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("  Agenda.pdf ", "Agenda.pdf"),
        ("Cafe\u0301.txt", "Café.txt"),  # NFC: one é, not e + combining accent
        ("invoice\u202etxt.exe", "invoicetxt.exe"),  # a right-to-left override would show "exe.txt"
        ("zero\u200bwidth.txt", "zerowidth.txt"),
        ("my..notes.txt", "my..notes.txt"),
    ],
)
def test_names_are_normalised(given: str, kept: str) -> None:
    assert upload_name_clean(given) == kept


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "\u200b",
        "../notes.txt",
        "..\\notes.txt",
        "docs/notes.txt",
        "C:notes.txt",
        "..",
        ".",
        "a\x00.txt",
        "a\nb.txt",
        "tab\t.txt",
        "c1\x85.txt",
    ],
)
def test_names_with_path_parts_or_control_characters_or_none_are_refused(name: str) -> None:
    with pytest.raises(FileNameInvalid) as refused:
        check(name, samples.TEXT)
    assert refused.value.code == "file_name_invalid"


def test_long_names_are_cut_to_255_keeping_the_extension() -> None:
    checked = check("x" * 300 + ".txt", samples.TEXT)
    assert checked.name == "x" * 251 + ".txt"
    assert len(checked.name) == 255
