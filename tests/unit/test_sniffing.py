"""Attachment types by content, and safe filenames (pure)."""

from __future__ import annotations

import struct
import unicodedata
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.attachments.sniffing import EXTENSIONS, JPEG, MAX_FILENAME, PDF, PNG, WEBP, sanitise_filename, sniff

# Small but well-formed samples, shared with the integration and API tests.


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    rows = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _png_chunk(b"IDAT", zlib.compress(rows)) + _png_chunk(b"IEND", b""))


def jpeg_bytes(body: bytes = b"\x00" * 64) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xdb" + struct.pack(">H", 2 + len(body)) + body + b"\xff\xd9"


def webp_bytes() -> bytes:
    chunk = b"VP8L" + struct.pack("<I", 5) + b"\x2f\x00\x00\x00\x00" + b"\x00"
    riff = b"WEBP" + chunk
    return b"RIFF" + struct.pack("<I", len(riff)) + riff


def pdf_bytes(size: int = 0) -> bytes:
    """A minimal PDF, padded with a comment line to `size` bytes when that is larger."""
    head, tail = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    filler = size - len(head) - len(tail)
    return head + (b"%" + b"0" * (filler - 2) + b"\n" if filler >= 2 else b"") + tail


@pytest.mark.parametrize(("data", "expected"), [
    (png_bytes(), PNG), (jpeg_bytes(), JPEG), (webp_bytes(), WEBP), (pdf_bytes(), PDF),
    (jpeg_bytes() + b"\x00\x00\x00", JPEG),  # NUL padding after EOI, as some cameras write
])
def test_each_type_is_recognised_by_content(data: bytes, expected: str) -> None:
    assert sniff(data) == expected


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize("data", [
    b"",
    HTML,  # a page renamed photo.jpg: the name never matters
    b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    b"PK\x03\x04" + b"\x00" * 40,
    b"MZ\x90\x00" + b"\x00" * 60,
    png_bytes() + b"PK\x03\x04zip after IEND",  # polyglot: PNG + ZIP
    png_bytes()[:40],  # truncated
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 60,  # signature without IHDR
    jpeg_bytes() + HTML,  # page appended after EOI
    jpeg_bytes()[:-2],  # truncated: no EOI
    jpeg_bytes(b"<html><script>alert(1)</script>"),  # markup where legacy sniffers look
    b"\xff\xd8\xff",
    webp_bytes() + b"extra",  # RIFF size no longer matches
    webp_bytes()[:-1],
    b"RIFF" + struct.pack("<I", 4) + b"WAVE",
    pdf_bytes() + b"\x00" * 2048,  # %%EOF not near the end
    b"%PDF-1.7\n" + HTML,
    b"%PDF-x.y\n%%EOF",
    b"  %PDF-1.4\n%%EOF",
])
def test_anything_else_is_refused(data: bytes) -> None:
    assert sniff(data) is None


@pytest.mark.parametrize(("name", "content_type", "expected"), [
    ("../../etc/passwd", PDF, "passwd.pdf"),
    ("..\\..\\windows\\system32\\cmd.exe", PNG, "cmd.png"),
    ("C:\\Users\\sita\\Desktop\\scan.pdf", PDF, "scan.pdf"),
    ("<script>.pdf", PDF, "script.pdf"),
    ('<img src=x onerror="alert(1)">.png', PNG, "img src x onerror alert(1).png"),
    ("photo.html", JPEG, "photo.jpg"),
    ("photo.JPEG", JPEG, "photo.jpeg"),
    ("letter.pdf.exe", PDF, "letter.pdf.pdf"),
    ("शिकायत पत्र.pdf", PDF, "शिकायत पत्र.pdf"),
    ("राशन कार्ड (फोटो).jpg", JPEG, "राशन कार्ड (फोटो).jpg"),
    ("a\x00b\nc\td.png", PNG, "a b c d.png"),
    ("invoice\u202efdp.exe", PDF, "invoice fdp.pdf"),  # right-to-left override dropped
    ('say "hello" it\'s me.webp', WEBP, "say hello it s me.webp"),
    ("", PDF, "attachment.pdf"),
    ("...", PNG, "attachment.png"),
    ("../", WEBP, "attachment.webp"),
    (".htaccess", PDF, "htaccess.pdf"),
    ("CON.pdf", PDF, "_CON.pdf"),
])
def test_filenames_are_sanitised(name: str, content_type: str, expected: str) -> None:
    assert sanitise_filename(name, content_type) == expected


def test_names_are_nfc_and_capped_at_120_characters() -> None:
    assert sanitise_filename("Sure\u0301sh ka\u0304 patra.pdf", PDF) == "Sur\u00e9sh k\u0101 patra.pdf"
    # Devanagari nukta letters stay decomposed under NFC (composition exclusions): kept as NFC has them.
    assert sanitise_filename("\u0915\u093c\u093e\u0928\u0942\u0928\u0940.pdf", PDF) == "क़ानूनी.pdf"
    long = sanitise_filename("शिकायत" * 100 + ".pdf", PDF)
    assert len(long) == MAX_FILENAME and long.endswith(".pdf") and long.startswith("शिकायत")


_FORBIDDEN = set('/\\"\'<>:|?*')


@given(name=st.text(), content_type=st.sampled_from(sorted(EXTENSIONS)))
def test_sanitised_names_are_always_safe(name: str, content_type: str) -> None:
    clean = sanitise_filename(name, content_type)
    assert 0 < len(clean) <= MAX_FILENAME
    assert not _FORBIDDEN & set(clean)
    assert not any(unicodedata.category(c) == "Cc" for c in clean)
    assert not any(unicodedata.category(c) == "Cf" and c not in "\u200c\u200d" for c in clean)
    assert clean.lower().endswith(EXTENSIONS[content_type]) or (content_type == JPEG and clean.lower().endswith(
        (".jpeg", ".jpe", ".jfif")))
    assert not clean.startswith(".") and clean == unicodedata.normalize("NFC", clean)
    assert sanitise_filename(clean, content_type) == clean
