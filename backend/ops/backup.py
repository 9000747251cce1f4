"""`grievance backup`: the database and the attachments in one archive, online.

- SQLite: sqlite3's backup API copies the database in one step, which reads it in a
  single read transaction: a consistent snapshot, while the server (in WAL mode) keeps
  writing.
- PostgreSQL: pg_dump -Fc. The row counts in the manifest are taken in a
  repeatable-read transaction whose snapshot pg_dump then shares (--snapshot), so they
  describe exactly what the dump holds even while the service writes.

The attachments are copied after the database snapshot: every attachment row in the
snapshot had its bytes written before (uploads write the row, then the bytes, and a
row's bytes never change), so the archive lacks no file its database names; files of
later uploads that slip in are harmless extras.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from backend.attachments.storage import LocalDirectoryStorage, storage_for
from backend.ops import pg
from backend.ops.archive import DATABASE_MEMBERS, MANIFEST, Manifest, add_bytes, open_for_writing, sha256_file
from backend.settings import Settings

MIGRATIONS_TABLE = "tortoise_migrations"


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says why (the CLI prints it)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest


def engine_of(database_url: str) -> str:
    if database_url.startswith("sqlite://"):
        return "sqlite"
    if database_url.startswith(("postgres://", "postgresql://")):
        return "postgres"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {database_url.split(':', 1)[0]}")


def sqlite_path(database_url: str) -> Path:
    path = database_url.removeprefix("sqlite://").split("?", 1)[0]
    if not path or path == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(path)


def attachments_root(settings: Settings) -> Path | None:
    """The local directory the storage port keeps uploads in (None for another adapter,
    whose objects are backed up by that store's own means)."""
    storage = storage_for(settings)
    return storage.root if isinstance(storage, LocalDirectoryStorage) else None


def default_output(settings: Settings, now: datetime) -> Path:
    return settings.var_dir / "backups" / f"grievance-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def sqlite_inventory(conn: sqlite3.Connection) -> tuple[list[str], dict[str, int]]:
    """(applied migrations, rows per table) of a SQLite database."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    counts = {t: int(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]) for t in tables}
    migrations: list[str] = []
    if MIGRATIONS_TABLE in counts:
        migrations = [r[0] for r in conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE app = 'models' ORDER BY name")]
    return migrations, counts


def _sqlite_snapshot(source: Path, target: Path) -> tuple[list[str], dict[str, int]]:
    if not source.is_file():
        raise BackupError(f"{source}: no such database (run `grievance migrate` first?)")
    src = sqlite3.connect(source, timeout=60)
    dst = sqlite3.connect(target)
    try:
        # pages=-1 (the default): one step, so one read transaction; a stepwise copy
        # restarts whenever another connection writes, and might never finish.
        src.backup(dst)
        # A self-contained file: no -wal beside it to lose on the way.
        dst.execute("PRAGMA journal_mode=DELETE")
        return sqlite_inventory(dst)
    finally:
        dst.close()
        src.close()


async def _postgres_dump(database_url: str, target: Path) -> tuple[list[str], dict[str, int]]:
    pg_dump = pg.tool("pg_dump")
    where = pg.PgTarget.from_url(database_url)
    conn = await pg.connect(where)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await conn.fetchval("SELECT pg_export_snapshot()")
            tables = [r[0] for r in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]
            counts = {t: int(await conn.fetchval(f'SELECT COUNT(*) FROM "{t}"')) for t in tables}
            migrations: list[str] = []
            if MIGRATIONS_TABLE in counts:
                migrations = [r[0] for r in await conn.fetch(
                    f"SELECT name FROM {MIGRATIONS_TABLE} WHERE app = 'models' ORDER BY name")]
            # The transaction stays open until pg_dump has finished: the exported
            # snapshot lives only as long as it does.
            process = await asyncio.create_subprocess_exec(
                pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}", "--no-password",
                f"--dbname={where.dbname_arg()}", env=where.env(),
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
            )
            _, stderr = await process.communicate()
            if process.returncode != 0:
                raise BackupError(f"pg_dump failed (exit {process.returncode}): {stderr.decode(errors='replace').strip()}")
    finally:
        await conn.close()
    return migrations, counts


def _write_archive(output: Path, database: Path, manifest: Manifest, attachments: Path | None) -> Manifest:
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = output.with_name(output.name + ".partial")
    # The archive holds citizens' personal data: readable by the owner only.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, open_for_writing(output, raw) as tar:
            tar.add(database, arcname=manifest.database_member, recursive=False)
            if attachments is not None and attachments.is_dir():
                for fanout in sorted(p for p in attachments.iterdir() if p.is_dir() and len(p.name) == 2):
                    for path in sorted(fanout.iterdir()):
                        if path.name.startswith(".") or not path.name.startswith(fanout.name):
                            continue  # a temporary file of an upload in progress
                        try:
                            with path.open("rb") as fh:
                                info = tar.gettarinfo(arcname=f"attachments/{fanout.name}/{path.name}", fileobj=fh)
                                info.uid = info.gid = 0
                                info.uname = info.gname = ""
                                tar.addfile(info, fh)
                        except FileNotFoundError:
                            continue  # purged meanwhile: its row is gone from later snapshots too
                        manifest.attachment_files += 1
                        manifest.attachment_bytes += info.size
            add_bytes(tar, MANIFEST, manifest.to_json(), datetime.now().timestamp())
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
    return manifest


async def backup(settings: Settings, output: Path | None, *, now: datetime) -> BackupResult:
    engine = engine_of(settings.database_url)
    output = (output or default_output(settings, now)).resolve()
    if output.exists():
        raise BackupError(f"{output} exists; choose another name")
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Staged beside the output, not in /tmp: the copy is as large as the database.
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as staging:
        database = Path(staging) / DATABASE_MEMBERS[engine]
        if engine == "sqlite":
            migrations, tables = await asyncio.to_thread(
                _sqlite_snapshot, sqlite_path(settings.database_url), database)
        else:
            migrations, tables = await _postgres_dump(settings.database_url, database)
        manifest = Manifest(
            engine=engine, created_at=now.isoformat(), database_sha256=await asyncio.to_thread(sha256_file, database),
            database_bytes=database.stat().st_size, migrations=migrations, tables=tables,
        )
        root = attachments_root(settings)
        if root is None:
            manifest.notes.append("attachments are kept in an object store: back it up with its own tools")
        manifest = await asyncio.to_thread(_write_archive, output, database, manifest, root)
    return BackupResult(output, manifest)
