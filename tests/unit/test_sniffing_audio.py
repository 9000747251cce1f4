"""Call recordings (F7): MP3, WAV, Ogg and M4A are recognised by content, and lookalikes are not."""

from __future__ import annotations

import struct

import pytest

from backend.attachments.sniffing import M4A, MP3, OGG, WAV, sanitise_filename, sniff


def wav_bytes(samples: bytes = b"\x00\x00" * 8) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)  # PCM, mono, 8 kHz, 16-bit
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(samples)) + samples
    return b"RIFF" + struct.pack("<I", len(body)) + body


FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 60  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz


def mp3_bytes(tagged: bool = True) -> bytes:
    tag = b"ID3\x03\x00\x00\x00\x00\x00\x05" + b"\x00" * 5 if tagged else b""
    return tag + FRAME


def ogg_page(flags: int, payload: bytes = b"\x01vorbis") -> bytes:
    return b"OggS\x00" + bytes([flags]) + b"\x00" * 20 + b"\x01" + bytes([len(payload)]) + payload


def ogg_bytes() -> bytes:
    return ogg_page(0x02) + ogg_page(0x04)


def m4a_bytes(brand: bytes = b"M4A ", compatible: bytes = b"isomiso2") -> bytes:
    ftyp = brand + b"\x00\x00\x02\x00" + compatible
    return struct.pack(">I", len(ftyp) + 8) + b"ftyp" + ftyp + b"\x00\x00\x00\x08free"


@pytest.mark.parametrize(("data", "expected"), [
    (wav_bytes(), WAV),
    (mp3_bytes(), MP3),
    (mp3_bytes(tagged=False), MP3),
    (ogg_bytes(), OGG),
    (m4a_bytes(), M4A),
    (m4a_bytes(b"isom"), M4A),
])
def test_audio_is_recognised_by_content(data: bytes, expected: str) -> None:
    assert sniff(data) == expected


@pytest.mark.parametrize("data", [
    wav_bytes() + b"extra",  # RIFF size no longer matches
    wav_bytes()[:-1],
    b"RIFF" + struct.pack("<I", 36) + b"WAVE" + b"data" + struct.pack("<I", 24) + b"\x00" * 24,  # no fmt chunk
    b"ID3\x03\x00\x00\x00\x00\x00\x05" + b"\x00" * 5,  # a tag and no audio
    b"ID3\x03\x00\x00\x80\x00\x00\x05" + FRAME,  # size not syncsafe
    b"\xff\xfb\xf0\x64" + b"\x00" * 60,  # "bad" bitrate index
    b"\xff\xe9\x90\x64" + b"\x00" * 60,  # reserved MPEG version
    ogg_page(0x00) + ogg_page(0x04),  # first page not beginning-of-stream
    ogg_page(0x02),  # never ends
    m4a_bytes(b"qt  ")[:8] + b"qt  " + b"\x00" * 16,  # QuickTime, not M4A
    m4a_bytes(b"mp41", b"mp41avc1"),  # video MP4, no audio or ISO brand
    b"\x00\x00\x00\x08ftyp",
    mp3_bytes() + b"<html><script>alert(1)</script>",  # markup where legacy sniffers look
])
def test_audio_lookalikes_are_refused(data: bytes) -> None:
    assert sniff(data) is None


@pytest.mark.parametrize(("name", "content_type", "expected"), [
    ("call 42.WAV", WAV, "call 42.wav"),
    ("recording.mp3.exe", MP3, "recording.mp3.mp3"),
    ("voice.opus", OGG, "voice.opus"),
    ("memo.html", M4A, "memo.m4a"),
])
def test_audio_names_keep_their_own_extension(name: str, content_type: str, expected: str) -> None:
    assert sanitise_filename(name, content_type) == expected
