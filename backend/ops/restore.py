"""`grievance restore`: an archive of `grievance backup` into the configured database
and attachment directory, then the checks of `backend.ops.verify` on the result.

Nothing is written until the archive has passed its checks (names, manifest, engine,
a migration level this code knows) and the target was found empty or `force` given.
The database goes first, the attachments after (staged beside the directory and
swapped in), so a failed database restore leaves the files as they were.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from tortoise.context import TortoiseContext

from backend.db import tortoise_config
from backend.ops import pg
from backend.ops.archive import ArchiveError, Manifest, Reader
from backend.ops.backup import MIGRATIONS_TABLE, BackupError, attachments_root, engine_of, sqlite_path
from backend.ops.verify import Verification, known_migrations, verify_restored
from backend.settings import Settings


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    verification: Verification


def _sqlite_has_rows(path: Path) -> bool:
    if not path.is_file() or path.stat().st_size == 0:
        return False
    conn = sqlite3.connect(path, timeout=60)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return any(conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() for t in tables if t != MIGRATIONS_TABLE)
    finally:
        conn.close()


def _sqlite_restore(reader: Reader, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".restore-") as staging:
        staged = Path(staging) / "database.sqlite3"
        reader.extract_database(staged)
        src = sqlite3.connect(staged)
        try:
            check = src.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"the archive's database fails SQLite's integrity check: {check}")
            # Through the backup API, not a file rename: SQLite's locking and the
            # target's WAL stay consistent, and a connection still open on the target
            # sees the restored content rather than a deleted file.
            dst = sqlite3.connect(target, timeout=60)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()


async def _pg_state(where: pg.PgTarget) -> bool:
    """Whether the target holds rows; creates the database when it does not exist."""
    import asyncpg

    try:
        conn = await pg.connect(where)
    except asyncpg.InvalidCatalogNameError:
        admin = await pg.connect(where.with_database("postgres"))
        try:
            await admin.execute(f'CREATE DATABASE "{where.database.replace(chr(34), chr(34) * 2)}"')
        finally:
            await admin.close()
        return False
    try:
        tables = [r[0] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        for table in tables:
            if table != MIGRATIONS_TABLE and await conn.fetchval(f'SELECT EXISTS (SELECT 1 FROM "{table}")'):
                return True
        return False
    finally:
        await conn.close()


async def _pg_restore(reader: Reader, where: pg.PgTarget) -> None:
    pg_restore = pg.tool("pg_restore")
    with tempfile.TemporaryDirectory(prefix="grievance-restore-") as staging:
        dump = Path(staging) / "database.pgdump"
        await asyncio.to_thread(reader.extract_database, dump)
        # One transaction: the target ends up as the backup or as it was. --clean
        # --if-exists drops what the dump recreates (an empty migrated database, or the
        # data --force agreed to replace); owners and grants are the target's own.
        process = await asyncio.create_subprocess_exec(
            pg_restore, "--single-transaction", "--exit-on-error", "--clean", "--if-exists", "--no-owner",
            "--no-privileges", "--no-password", f"--dbname={where.dbname_arg()}", str(dump), env=where.env(),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await process.communicate()
        if process.returncode != 0:
            raise BackupError(f"pg_restore failed (exit {process.returncode}); the target is unchanged: "
                              f"{stderr.decode(errors='replace').strip()}")


def _restore_attachments(reader: Reader, root: Path) -> None:
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=".attachments-restore-"))
    try:
        for fanout, key, content in reader.attachments():
            folder = staging / fanout
            folder.mkdir(exist_ok=True, mode=0o750)
            fd = os.open(folder / key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(content, out, 1 << 20)
        staging.chmod(0o750)
        replaced = None
        if root.exists():
            replaced = root.with_name(f".attachments-replaced-{uuid.uuid4().hex[:8]}")
            os.replace(root, replaced)
        os.replace(staging, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if replaced is not None:
        shutil.rmtree(replaced, ignore_errors=True)


def _has_files(root: Path | None) -> bool:
    return root is not None and root.is_dir() and any(p.is_file() for p in root.rglob("*"))


async def verify_database(settings: Settings, manifest: Manifest | None) -> Verification:
    """Run the checks against `settings.database_url` in a context of its own, so a
    caller's ORM context (a test's, the server's) is left as it was."""
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(settings.database_url))
        try:
            return await verify_restored(manifest, attachments_root(settings))
        finally:
            await ctx.close_connections()


async def restore(settings: Settings, archive: Path, *, force: bool = False) -> RestoreResult:
    engine = engine_of(settings.database_url)
    try:
        reader = Reader(archive)
    except ArchiveError as error:
        raise BackupError(str(error)) from None
    try:
        manifest = reader.manifest
        if manifest.engine != engine:
            raise BackupError(f"this is a {manifest.engine} backup; DATABASE_URL points at {engine}")
        unknown = sorted(set(manifest.migrations) - set(known_migrations()))
        if unknown:
            raise BackupError(f"the backup has migrations this code does not know ({', '.join(unknown)}): "
                              "restore it with the version that made it")
        root = attachments_root(settings)
        where = pg.PgTarget.from_url(settings.database_url) if engine == "postgres" else None
        if where is None:
            has_rows = await asyncio.to_thread(_sqlite_has_rows, sqlite_path(settings.database_url))
        else:
            pg.tool("pg_restore")  # before anything is created or changed
            has_rows = await _pg_state(where)
        if (has_rows or _has_files(root)) and not force:
            raise BackupError("the target already holds data (database rows or attachment files); "
                              "stop the service and give --force to replace it")
        try:
            if where is None:
                await asyncio.to_thread(_sqlite_restore, reader, sqlite_path(settings.database_url))
            else:
                await _pg_restore(reader, where)
            if root is not None:
                await asyncio.to_thread(_restore_attachments, reader, root)
        except ArchiveError as error:
            raise BackupError(str(error)) from None
    finally:
        reader.close()
    return RestoreResult(manifest, await verify_database(settings, manifest))
