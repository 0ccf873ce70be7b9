"""Files in the meeting chat, in real browsers (P2P, cameras and microphones off: media is not the
point). A guest shares a PDF and a PNG through "Attach file"; the host sees the picture's preview
and downloads the PDF through "Download ..." (the same bytes); the host removes the PDF and both
see "File removed by the host". Names as in docs/ui-contract.md ("Meeting room")."""

from __future__ import annotations

import io
import re
import secrets

from conftest import Browsers
from PIL import Image
from playwright.sync_api import Locator, Page, expect
from support import Server
from test_meeting_room import (
    GUEST_NAME,
    button,
    chat_list,
    host_and_guests_walk_in,
    open_chat,
)

PDF_NAME = "Agenda.pdf"
PNG_NAME = "chart.png"
REMOVED = "File removed by the host"


def pdf_bytes() -> bytes:
    """A small PDF of one page, with a random line so it is this run's own."""
    text = f"Agenda {secrets.token_hex(4)}".encode()
    stream = b"BT /F1 18 Tf 40 100 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources 6 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Font << /F1 5 0 R >> >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def attach(page: Page, name: str, mime_type: str, content: bytes) -> None:
    """Chat -> "Attach file" -> pick the file; waits until its message is in the chat."""
    open_chat(page)
    with page.expect_file_chooser() as chooser:
        button(page, "Attach file").click()
    chooser.value.set_files({"name": name, "mimeType": mime_type, "buffer": content})
    expect(file_message(page, name)).to_have_count(1)
    expect(page.get_by_role("progressbar", name=f"Uploading {name}")).to_have_count(0)


def file_message(page: Page, name: str) -> Locator:
    return chat_list(page).get_by_role("listitem").filter(has=button(page, f"Download {name}"))


def test_a_guest_shares_files_the_host_previews_downloads_and_removes_one(
    browsers: Browsers, server: Server
) -> None:
    host, [guest], _ = host_and_guests_walk_in(browsers, server, media=False)
    pdf, png = pdf_bytes(), png_bytes()

    attach(guest.page, PDF_NAME, "application/pdf", pdf)
    attach(guest.page, PNG_NAME, "image/png", png)

    # The host sees both, the picture as a preview that really loaded.
    open_chat(host.page)
    expect(file_message(host.page, PDF_NAME)).to_contain_text(GUEST_NAME)
    preview = chat_list(host.page).get_by_role("img", name=PNG_NAME)
    expect(preview).to_be_visible()
    host.page.wait_for_function(
        "img => img.complete && img.naturalWidth === 64 && img.naturalHeight === 48",
        arg=preview.element_handle(),
    )

    # Opened on its own (a tab of its own), the picture still shows under its sandboxing policy.
    opened = host.page.context.new_page()
    response = opened.goto(str(preview.get_attribute("src")))
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"].startswith("sandbox;")
    assert response.headers["content-disposition"] == f'inline; filename="{PNG_NAME}"'
    opened.wait_for_function("() => document.images.length === 1 && document.images[0].naturalWidth === 64")
    opened.close()

    # The host downloads the PDF through the UI: the bytes the guest sent.
    with host.page.expect_download() as download:
        button(host.page, f"Download {PDF_NAME}").click()
    assert download.value.suggested_filename == PDF_NAME
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == pdf

    # The host removes the PDF; everyone sees the message say so, and the file is gone.
    button(host.page, f"Remove {PDF_NAME}").click()
    dialog = host.page.get_by_role("dialog", name="Remove file?")
    button(dialog, "Remove").click()
    expect(dialog).to_be_hidden()
    for person in (host, guest):
        expect(chat_list(person.page).get_by_text(REMOVED, exact=True)).to_have_count(1)
        expect(button(person.page, f"Download {PDF_NAME}")).to_have_count(0)
        expect(button(person.page, f"Download {PNG_NAME}")).to_have_count(1)
    # The guest never had a way to remove anything.
    expect(guest.page.get_by_role("button", name=re.compile(r"^Remove "))).to_have_count(0)
