"""Where attachment bytes live: a port with a local-directory adapter.

Keys are random (never derived from a user's filename), so a stored object's path says
nothing and cannot be guessed or steered; every key is still validated before it
touches the filesystem, so a bad row or caller cannot reach outside the root. An
object store (S3, MinIO) would be another adapter behind the same three calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol

from backend.settings import Settings

_KEY = re.compile(r"[A-Za-z0-9_-]{16,128}")


class MissingObject(LookupError):
    """No object is stored under the key."""


class Storage(Protocol):
    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes:
        """The bytes stored under `key`; MissingObject when there are none."""
        ...

    async def delete(self, key: str) -> None:
        """Idempotent: deleting a missing object is not an error."""
        ...


def new_key() -> str:
    return secrets.token_urlsafe(32)


def check_key(key: str) -> str:
    """The key itself, or ValueError: only URL-safe base64 characters, so no separators,
    dots or NULs can reach a path."""
    if not isinstance(key, str) or _KEY.fullmatch(key) is None:
        raise ValueError("invalid storage key")
    return key


class LocalDirectoryStorage:
    """Objects as files under `root`, fanned out by the key's first two characters."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, key: str) -> Path:
        check_key(key)
        path = self.root / key[:2] / key
        # Belt and braces: the pattern already excludes anything that could escape.
        if path.resolve().parent.parent != self.root.resolve():
            raise ValueError("invalid storage key")
        return path

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, self.path_for(key), data)

    async def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError as exc:
            raise MissingObject(key) from exc

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        with contextlib.suppress(FileNotFoundError):
            await asyncio.to_thread(path.unlink)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        # Written to a temporary file beside the target and renamed over it, so a
        # reader never sees half a file and a crash leaves no partial object.
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o640)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


def storage_for(settings: Settings) -> Storage:
    return LocalDirectoryStorage(settings.var_dir / "attachments")
