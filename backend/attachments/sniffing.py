"""What an uploaded file is, judged by its bytes alone (pure, standard library only).

The name and the type a client declares are never trusted: a file is a PDF, JPEG, PNG
or WebP only when its content starts and ends the way that format does. Call
recordings (F7) may also be MP3, WAV, Ogg or M4A audio, judged by their headers and
container structure (audio has no end marker to check). Checking both
ends is cheap and rejects the common polyglots (an image or PDF with a ZIP, script or
HTML page appended, or a truncated upload). The first kilobyte is also searched for
HTML markers, because that is where a legacy content sniffer (a proxy, an old
browser ignoring `nosniff`) decides a response is a web page. Anything else about the
file (its pixels, its PDF objects) is left alone: it is served back with the sniffed
type, `nosniff` and a sandboxing CSP, so it is never rendered as HTML or executed.
"""

from __future__ import annotations

import re
import struct
import unicodedata

MAX_BYTES = 5 * 1024 * 1024
MAX_PER_GRIEVANCE = 5

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
MP3 = "audio/mpeg"
WAV = "audio/wav"
OGG = "audio/ogg"
M4A = "audio/mp4"
AUDIO = frozenset({MP3, WAV, OGG, M4A})

EXTENSIONS: dict[str, str] = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", WEBP: ".webp", MP3: ".mp3", WAV: ".wav",
                              OGG: ".ogg", M4A: ".m4a"}
# Extensions a client may already have used for the right type: kept as written.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",), JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"), PNG: (".png",), WEBP: (".webp",),
    MP3: (".mp3",), WAV: (".wav", ".wave"), OGG: (".ogg", ".oga", ".opus"), M4A: (".m4a", ".mp4"),
}

MAX_FILENAME = 120

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")
_PDF_TAIL = 1024  # readers look for %%EOF in the last kilobyte
_SNIFF_WINDOW = 1024
_HTML_MARKERS = (b"<html", b"<script", b"<body", b"<head", b"<iframe", b"<!doctype html", b"<svg", b"<object",
                 b"<embed", b"<meta", b"<a href", b"<img")


def sniff(data: bytes) -> str | None:
    """The content type of `data` when it is a well-formed PDF, JPEG, PNG, WebP, MP3, WAV,
    Ogg or M4A, else None."""
    if _looks_like_html(data):
        return None
    if data.startswith(_PNG_SIGNATURE):
        return PNG if _is_png(data) else None
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG if _is_jpeg(data) else None
    if data.startswith(b"RIFF"):
        if data[8:12] == b"WAVE":
            return WAV if _is_wav(data) else None
        return WEBP if _is_webp(data) else None
    if data.startswith(b"%PDF-"):
        return PDF if _is_pdf(data) else None
    if data.startswith(b"ID3") or data.startswith(b"\xff"):
        return MP3 if _is_mp3(data) else None
    if data.startswith(b"OggS"):
        return OGG if _is_ogg(data) else None
    if data[4:8] == b"ftyp":
        return M4A if _is_m4a(data) else None
    return None


def _looks_like_html(data: bytes) -> bool:
    head = data[:_SNIFF_WINDOW].lower()
    return any(marker in head for marker in _HTML_MARKERS)


def _is_png(data: bytes) -> bool:
    # Signature, then IHDR first (length 13, non-zero width and height), IEND last.
    if len(data) < len(_PNG_SIGNATURE) + 25 + len(_PNG_IEND):
        return False
    length, kind, width, height = struct.unpack(">I4sII", data[8:24])
    return length == 13 and kind == b"IHDR" and width > 0 and height > 0 and data.endswith(_PNG_IEND)


def _is_jpeg(data: bytes) -> bool:
    # SOI then a marker (APPn, DQT, SOF, ...), and EOI at the very end; some cameras pad
    # with NULs after EOI, which is harmless.
    if len(data) < 8 or not 0xC0 <= data[3] <= 0xFE:
        return False
    return data.rstrip(b"\x00").endswith(b"\xff\xd9")


def _is_webp(data: bytes) -> bool:
    # RIFF size counts everything after its own field: exactly the rest of the file.
    if len(data) < 20 or data[8:12] != b"WEBP":
        return False
    (riff_size,) = struct.unpack("<I", data[4:8])
    return riff_size + 8 == len(data) and data[12:16] in (b"VP8 ", b"VP8L", b"VP8X")


def _is_pdf(data: bytes) -> bool:
    return _PDF_HEADER.match(data) is not None and b"%%EOF" in data[-_PDF_TAIL:]


def _is_wav(data: bytes) -> bool:
    # RIFF size exactly the rest of the file, and its chunks tile it: a "fmt " chunk
    # (at least PCM's 16 bytes) and a "data" chunk, nothing trailing.
    if len(data) < 44:
        return False
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 != len(data):
        return False
    seen: set[bytes] = set()
    offset = 12
    while offset + 8 <= len(data):
        chunk_id = data[offset:offset + 4]
        (size,) = struct.unpack("<I", data[offset + 4:offset + 8])
        if chunk_id == b"fmt " and size < 16:
            return False
        seen.add(chunk_id)
        offset += 8 + size + (size & 1)
    return offset == len(data) and {b"fmt ", b"data"} <= seen


def _is_mp3(data: bytes) -> bool:
    if data.startswith(b"ID3"):
        # ID3v2: version 2-4, then a 28-bit "syncsafe" size (high bits clear); audio
        # frames follow the tag.
        if len(data) < 10 or data[3] not in (2, 3, 4) or any(b & 0x80 for b in data[6:10]):
            return False
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        return _is_mpeg_frame(data[10 + size:])
    return _is_mpeg_frame(data)


def _is_mpeg_frame(data: bytes) -> bool:
    # Frame sync (11 set bits), a real MPEG version and layer, a bitrate that is not
    # "bad" or "free" and a real sample rate.
    if len(data) < 4 or data[0] != 0xFF or data[1] & 0xE0 != 0xE0:
        return False
    version, layer = (data[1] >> 3) & 0x3, (data[1] >> 1) & 0x3
    bitrate, rate = data[2] >> 4, (data[2] >> 2) & 0x3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3


def _is_ogg(data: bytes) -> bool:
    # The first page: stream structure version 0, "beginning of stream" flag set; the
    # file ends with a page flagged "end of stream" somewhere in its last 64 KB.
    if len(data) < 28 or data[4] != 0 or not data[5] & 0x02:
        return False
    last = data.rfind(b"OggS", max(0, len(data) - 65536))
    return last >= 0 and len(data) >= last + 27 and bool(data[last + 5] & 0x04)


_M4A_BRANDS = (b"M4A ", b"isom")


def _is_m4a(data: bytes) -> bool:
    # An ISO media file: a sane "ftyp" box first whose major or a compatible brand says
    # MPEG-4 audio (M4A) or the base ISO format.
    if len(data) < 16:
        return False
    (size,) = struct.unpack(">I", data[0:4])
    if size < 16 or size > len(data) or size % 4:
        return False
    brands = [data[8:12]] + [data[i:i + 4] for i in range(16, size, 4)]
    return any(b in _M4A_BRANDS for b in brands)


# Dropped from names: anything that could separate a path, quote or break a header,
# or mean something to a shell or to Windows.
_UNSAFE = frozenset('/\\"\'`<>:|?*;$%&{}[]=#~')
# Zero-width joiners shape Devanagari conjuncts; every other format character (the
# right-to-left override that turns "gpj.exe" around among them) is dropped.
_KEPT_FORMAT = frozenset("\u200c\u200d")
_OLD_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
)


def sanitise_filename(name: str, content_type: str) -> str:
    """A safe display and download name: the last path component, without control,
    format, quote or separator characters, NFC-normalised (Devanagari kept), at most
    120 characters, always ending in the extension of the sniffed `content_type`.
    Falls back to `attachment.<ext>`."""
    extension = EXTENSIONS[content_type]
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _UNSAFE or (category.startswith("C") and ch not in _KEPT_FORMAT):
            kept.append(" ")
        elif category.startswith("Z"):
            kept.append(" ")
        else:
            kept.append(ch)
    text = " ".join("".join(kept).split())
    lowered = text.lower()
    synonym = next((s for s in _SYNONYMS[content_type] if lowered.endswith(s)), None)
    if synonym is not None:
        stem, extension = text[: -len(synonym)], text[-len(synonym):].lower()
    else:
        stem = _OLD_EXTENSION.sub("", text)
    stem = _trim(stem[: MAX_FILENAME - len(extension)])
    if not stem:
        stem = "attachment"
    if stem.upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    return stem + extension


def _trim(stem: str) -> str:
    # Leading dots hide a file, a leading dash reads as an option; trailing dots,
    # spaces and joiners look like nothing. Repeat until stable ("- .x" -> "x").
    while True:
        trimmed = stem.strip(" .\u200c\u200d").lstrip("-")
        if trimmed == stem:
            return stem
        stem = trimmed
