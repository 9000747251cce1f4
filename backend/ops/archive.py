"""The backup archive: one tar file (gzip when its name ends in .gz or .tgz) holding

    database.sqlite3 | database.pgdump   the database (a SQLite file, or pg_dump -Fc)
    attachments/<xx>/<key>               the uploaded files, as the storage keeps them
    manifest.json                        what is inside: engine, checksum, migrations, row counts

One file is easy to copy off the host and cannot be half-restored from mismatched
parts. Reading accepts only those names, as regular files, so an archive that is not
ours (or was made to escape the target directory) is refused before anything is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tarfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

FORMAT = "jan-shikayat-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgres": "database.pgdump"}
_ATTACHMENT = re.compile(r"attachments/([A-Za-z0-9_-]{2})/([A-Za-z0-9_-]{16,128})")


class ArchiveError(ValueError):
    """The file is not a usable backup; the message says why."""


@dataclass
class Manifest:
    engine: str
    created_at: str
    database_sha256: str
    database_bytes: int
    migrations: list[str]
    tables: dict[str, int]
    attachment_files: int = 0
    attachment_bytes: int = 0
    format: str = FORMAT
    version: int = VERSION
    notes: list[str] = field(default_factory=list)

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.engine]

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data: dict[str, Any] = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise ArchiveError("manifest.json is not JSON") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ArchiveError("not a Jan Shikayat backup (manifest format)")
        if data.get("version") != VERSION:
            raise ArchiveError(f"backup format version {data.get('version')!r}; this version reads {VERSION}")
        if data.get("engine") not in DATABASE_MEMBERS:
            raise ArchiveError(f"unknown database engine {data.get('engine')!r} in the manifest")
        try:
            manifest = cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except TypeError as error:
            raise ArchiveError(f"incomplete manifest: {error}") from None
        if not isinstance(manifest.tables, dict) or not isinstance(manifest.migrations, list):
            raise ArchiveError("manifest tables/migrations malformed")
        return manifest


def is_attachment_member(name: str) -> tuple[str, str] | None:
    match = _ATTACHMENT.fullmatch(name)
    if match is None or not match.group(2).startswith(match.group(1)):
        return None
    return match.group(1), match.group(2)


def open_for_writing(path: Path, raw: IO[bytes]) -> tarfile.TarFile:
    if path.name.endswith((".gz", ".tgz")):
        # Level 6: most of gzip's gain on a database at a fraction of level 9's time.
        return tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6)
    return tarfile.open(fileobj=raw, mode="w")


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), mtime, 0o600
    tar.addfile(info, io.BytesIO(data))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Reader:
    """An opened archive whose member names and manifest have been checked."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ArchiveError(f"{path}: no such file")
        try:
            self.tar = tarfile.open(path, "r:*")
            members = self.tar.getmembers()
        except (tarfile.TarError, OSError, EOFError) as error:
            raise ArchiveError(f"{path}: not a tar archive ({error})") from None
        try:
            self._check(path, members)
        except BaseException:
            self.tar.close()
            raise

    def _check(self, path: Path, members: list[tarfile.TarInfo]) -> None:
        self.members = {m.name: m for m in members}
        if MANIFEST not in self.members:
            raise ArchiveError(f"{path}: no manifest.json: not a Jan Shikayat backup")
        manifest_file = self.tar.extractfile(self.members[MANIFEST])
        assert manifest_file is not None
        self.manifest = Manifest.from_json(manifest_file.read())
        allowed = {MANIFEST, self.manifest.database_member}
        for member in members:
            if member.name in allowed or is_attachment_member(member.name):
                if not member.isfile():
                    raise ArchiveError(f"{member.name}: not a regular file")
                continue
            raise ArchiveError(f"unexpected member {member.name!r}: not a Jan Shikayat backup")
        if self.manifest.database_member not in self.members:
            raise ArchiveError(f"{self.manifest.database_member} missing from the archive")

    def extract_database(self, target: Path) -> None:
        """Write the database member to `target`, checking its checksum against the manifest."""
        source = self.tar.extractfile(self.members[self.manifest.database_member])
        assert source is not None
        digest = hashlib.sha256()
        with target.open("wb") as out:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != self.manifest.database_sha256:
            raise ArchiveError(f"{self.manifest.database_member}: checksum differs from the manifest (damaged copy?)")

    def attachments(self) -> Iterator[tuple[str, str, IO[bytes]]]:
        """(fan-out directory, key, content) of every attachment in the archive."""
        for name, member in self.members.items():
            parts = is_attachment_member(name)
            if parts is not None:
                content = self.tar.extractfile(member)
                assert content is not None
                yield parts[0], parts[1], content

    def close(self) -> None:
        self.tar.close()
