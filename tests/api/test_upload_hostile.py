"""Hostile uploads over HTTP (issue 12): lying names and types, markup, and filenames
built to traverse, hide or spoof; what comes back is always safe to serve."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import httpx
import pytest

from backend.attachments import http as attachment_http
from backend.attachments.models import Attachment
from backend.attachments.sniffing import EXTENSIONS, MAX_FILENAME
from backend.runtime import Runtime
from tests.api.conftest import citizen_sign_in
from tests.api.test_attachments_api import UPLOAD, assert_safe_headers
from tests.unit.test_sniffing import HTML, jpeg_bytes, pdf_bytes, png_bytes

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><script>' \
      b'alert(1)</script></svg>'
BOUNDARY = "hostile-boundary"


async def raw_upload(client: httpx.AsyncClient, token: str, filename: bytes, data: bytes,
                     declared_type: bytes = b"application/octet-stream") -> dict[str, Any]:
    """A multipart body written byte by byte, so the filename reaches the server exactly
    as a hostile client would send it (an HTTP library would escape it)."""
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None}}).encode()
    body = (b"--" + BOUNDARY.encode() + b'\r\nContent-Disposition: form-data; name="operations"\r\n\r\n' + operations
            + b"\r\n--" + BOUNDARY.encode() + b'\r\nContent-Disposition: form-data; name="map"\r\n\r\n'
            + b'{"0": ["variables.file"]}\r\n--' + BOUNDARY.encode()
            + b'\r\nContent-Disposition: form-data; name="0"; filename="' + filename + b'"\r\nContent-Type: '
            + declared_type + b"\r\n\r\n" + data + b"\r\n--" + BOUNDARY.encode() + b"--\r\n")
    response = await client.post("/graphql", content=body, headers={
        "authorization": f"Bearer {token}", "content-type": f"multipart/form-data; boundary={BOUNDARY}"})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["data"]["attachmentUpload"]
    return result


@pytest.mark.parametrize(("filename", "declared", "data"), [
    (b"photo.jpg", b"image/jpeg", HTML),                                  # a page with a photo's name and type
    (b"drawing.svg", b"image/svg+xml", SVG),                              # SVG runs script: never accepted
    (b"scan.png", b"image/png", SVG),
    (b"letter.pdf", b"application/pdf", b"%PDF-1.7\n" + SVG + b"\n%%EOF\n"),  # markup where sniffers look
    (b"page.html", b"text/html", HTML),
    (b"photo.png", b"image/png", png_bytes() + HTML),                     # polyglot: a page after IEND
    (b"photo.jpg", b"image/jpeg", jpeg_bytes(b"<script>alert(1)</script>")),
    (b"photo.gif", b"image/gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),  # a type we do not take
    (b"setup.exe", b"application/pdf", b"MZ\x90\x00" + b"\x00" * 60),
])
async def test_content_decides_and_markup_is_refused(
    client: httpx.AsyncClient, runtime: Runtime, filename: bytes, declared: bytes, data: bytes,
) -> None:
    token = await citizen_sign_in(client, runtime, "9876500001")
    client.cookies.clear()
    result = await raw_upload(client, token, filename, data, declared)
    assert (result["__typename"], result["code"], result["fields"][0]["field"]) == ("OperationError", "VALIDATION",
                                                                                    "file"), result
    assert await Attachment.all().count() == 0


_RLO = "\u202e".encode()
_LONG = ("शिकायत" * 60).encode()


@pytest.mark.parametrize(("filename", "data", "expected"), [
    (b"../../../../etc/cron.d/job.png", png_bytes(), "job.png"),
    (b"..\\..\\Windows\\System32\\drivers\\etc\\hosts.pdf", pdf_bytes(), "hosts.pdf"),
    (b"invoice" + _RLO + b"gnp.exe", png_bytes(), "invoice gnp.png"),     # shown as "invoiceexe.png" otherwise
    (b"receipt\x01\x07\x1b[31m.pdf", pdf_bytes(), "receipt 31m.pdf"),     # control characters (a terminal escape)
    (b"x%22%3B%20filename%3Devil.html.png", png_bytes(), "x 22 3B 20filename 3Devil.html.png"),
    (b"a;b=c;d.png", png_bytes(), "a b c d.png"),
    (_LONG + b".pdf", pdf_bytes(), None),                                  # capped at 120, extension kept
    (b"evil.html", png_bytes(), "evil.png"),                               # the sniffed type's extension
    (b"", jpeg_bytes(), "attachment.jpg"),
])
async def test_hostile_filenames_are_made_safe_and_so_is_the_download(
    client: httpx.AsyncClient, runtime: Runtime, filename: bytes, data: bytes, expected: str | None,
) -> None:
    token = await citizen_sign_in(client, runtime, "9876500001")
    client.cookies.clear()
    result = await raw_upload(client, token, filename, data, b"text/html")
    assert result["__typename"] == "AttachmentSuccess", result
    stored = result["attachment"]
    name = stored["filename"]
    if expected is not None:
        assert name == expected
    assert 0 < len(name) <= MAX_FILENAME and name.endswith(EXTENSIONS[stored["contentType"]])
    assert not set(name) & set('/\\"\'<>:;%*?|\r\n')
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in name)

    response = await client.get(stored["url"], headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.content == data
    assert response.headers["content-type"] == stored["contentType"]  # the sniffed type, never text/html
    assert_safe_headers(response)
    disposition = response.headers["content-disposition"]
    # Exactly one quoted ASCII name and one percent-encoded UTF-8 name: nothing to break out of.
    assert re.fullmatch(r"(inline|attachment); filename=\"[A-Za-z0-9._\- ]+\"; filename\*=UTF-8''[A-Za-z0-9._\-%]+",
                        disposition), disposition


def test_only_raster_images_are_ever_served_inline() -> None:
    """Everything else downloads as an attachment; SVG and HTML are never stored at all."""
    assert attachment_http._INLINE == {"image/jpeg", "image/png", "image/webp"}
    assert not {"image/svg+xml", "text/html", "application/xhtml+xml"} & set(EXTENSIONS)
    for content_type in EXTENSIONS:
        inline = content_type in attachment_http._INLINE
        assert inline == content_type.startswith("image/"), content_type
