"""Backup and restore against a real database: SQLite, or PostgreSQL (pg_dump /
pg_restore) when TEST_DATABASE_URL is set; the restore goes into a fresh target of the
same engine (a scratch database, dropped afterwards)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from tortoise import connections
from tortoise.context import TortoiseContext

from backend.attachments import services as attachments
from backend.attachments.storage import storage_for
from backend.audit.models import AuditEvent
from backend.db import tortoise_config
from backend.grievances import intake
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance, NumberSequence
from backend.ops import pg
from backend.ops.backup import BackupError, backup
from backend.ops.restore import restore
from backend.settings import Settings
from tests.conftest import NOW, TEST_DATABASE_URL, _pg_admin_dsn, scratch_pg_database
from tests.factories import LifecycleWorld, actor_for, lifecycle_world
from tests.unit.test_sniffing import pdf_bytes

REPO = Path(__file__).resolve().parents[2]
GRIEVANCE = Path(sys.executable).parent / "grievance"

# The backups record the migration they are at: the newest in the tree.
NEWEST_MIGRATION = max(p.stem for p in (REPO / "backend" / "migrations").glob("0*.py"))


@pytest_asyncio.fixture
async def target(settings: Settings, tmp_path: Path) -> AsyncIterator[Settings]:
    """Settings of an empty restore target of the test database's engine."""
    var = tmp_path / "restored"
    if not TEST_DATABASE_URL:
        yield replace(settings, var_dir=var, database_url=f"sqlite://{var}/grievance.sqlite3")
        return
    async with scratch_pg_database("grievance_restore") as url:
        yield replace(settings, var_dir=var, database_url=url)


def form(w: LifecycleWorld, i: int, **extra: Any) -> intake.FilingInput:
    return intake.FilingInput(
        channel=Channel.POST, category_id=w.leaf.id, area_code="BR-A-1", subject=f"Ration card {i} not issued",
        description="Applied for a new ration card in June at the block office; nothing since.",
        relief_sought="Issue the ration card.", citizen_name=f"Citizen {i}", citizen_mobile=f"9{i:09d}", **extra,
    )


async def filed_world(settings: Settings, count: int = 3) -> tuple[LifecycleWorld, bytes]:
    """Grievances filed through the intake (so their audit chains exist), one with an attachment."""
    w = await lifecycle_world(settings)
    cell = await actor_for(w.users["cell"])
    letter = pdf_bytes(3000)
    upload = await attachments.upload(storage_for(settings), cell, filename="letter.pdf", data=letter, now=NOW)
    for i in range(count):
        await intake.file_grievance(settings, cell, form(w, i, attachment_ids=[upload.id] if i == 0 else []), now=NOW)
    return w, letter


async def snapshot_of(url: str | None) -> dict[str, Any]:
    """What must survive a round trip: grievances, their audit events, attachment keys."""
    async def read() -> dict[str, Any]:
        from backend.attachments.models import Attachment

        return {
            "grievances": sorted(await Grievance.all().values_list("number", "subject", "status", "version")),
            "events": sorted(await AuditEvent.all().values_list("object_type", "object_id", "seq", "hash")),
            "attachments": sorted(await Attachment.all().values_list("storage_key", "sha256", "grievance_id")),
        }

    if url is None:
        return await read()
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        try:
            return await read()
        finally:
            await ctx.close_connections()


@pytest.mark.usefixtures("db")
async def test_a_backup_restores_into_a_fresh_target_with_the_same_rows_files_and_intact_chains(
        settings: Settings, target: Settings, tmp_path: Path) -> None:
    _, letter = await filed_world(settings)
    made = await backup(settings, tmp_path / "backups" / "first.tar.gz", now=NOW)
    assert made.manifest.tables["grv_grievance"] == 3 and made.manifest.attachment_files == 1
    assert oct(made.path.stat().st_mode & 0o777) == "0o600"

    restored = await restore(target, made.path)
    v = restored.verification
    assert v.ok, v.problems
    assert v.chains["grievance"] == (3, []) and v.tables == made.manifest.tables
    assert v.migrations == made.manifest.migrations and v.migrations[-1] == NEWEST_MIGRATION
    assert v.attachments_checked == 1 and not v.attachments_missing
    assert await snapshot_of(target.database_url) == await snapshot_of(None)
    key = (await snapshot_of(target.database_url))["attachments"][0][0]
    assert (target.var_dir / "attachments" / key[:2] / key).read_bytes() == letter

    with pytest.raises(BackupError, match="already holds data"):
        await restore(target, made.path)
    again = await restore(target, made.path, force=True)
    assert again.verification.ok and again.verification.tables == made.manifest.tables


@pytest.mark.usefixtures("db")
async def test_an_edited_audit_row_in_the_backup_fails_the_restore_s_verification(
        settings: Settings, target: Settings, tmp_path: Path) -> None:
    await filed_world(settings)
    first = await Grievance.all().order_by("id").first()
    assert first is not None
    # Someone with database access rewrites history; the backup faithfully keeps it.
    await AuditEvent.filter(object_type="grievance", object_id=str(first.id), seq=1).update(note="nothing happened")
    made = await backup(settings, tmp_path / "tampered.tar", now=NOW)
    restored = await restore(target, made.path)
    assert not restored.verification.ok
    assert restored.verification.chains["grievance"] == (3, [str(first.id)])
    assert any("altered grievance audit chain" in p for p in restored.verification.problems)


@pytest.mark.usefixtures("db")
async def test_a_backup_taken_while_grievances_are_being_filed_is_consistent(
        settings: Settings, target: Settings, tmp_path: Path) -> None:
    w = await lifecycle_world(settings)
    cell = await actor_for(w.users["cell"])
    stop = asyncio.Event()

    async def keep_filing() -> None:
        i = 100
        while not stop.is_set():
            await intake.file_grievance(settings, cell, form(w, i), now=NOW)
            i += 1

    async def filed_at_least(n: int) -> int:
        deadline = time.monotonic() + 60
        while (count := await Grievance.all().count()) < n:
            assert time.monotonic() < deadline, f"only {count} grievances filed"
            await asyncio.sleep(0)
        return count

    writer = asyncio.create_task(keep_filing())
    try:
        before = await filed_at_least(5)
        made = await backup(settings, tmp_path / "online.tar.gz", now=NOW)
        during = await Grievance.all().count()
        await filed_at_least(during + 3)  # the writes went on during and after the backup
    finally:
        stop.set()
        await writer
    in_backup = made.manifest.tables["grv_grievance"]
    assert before <= in_backup <= during

    restored = await restore(target, made.path)
    assert restored.verification.ok, restored.verification.problems
    assert restored.verification.chains["grievance"] == (in_backup, [])
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(target.database_url))
        try:
            # Each filing's grievance, number and audit event commit together: the
            # snapshot holds all three of every filing it holds at all.
            ids = {str(i) for i in await Grievance.all().values_list("id", flat=True)}
            audited = set(await AuditEvent.filter(object_type="grievance", seq=1).values_list("object_id", flat=True))
            issued = sum(await NumberSequence.all().values_list("last_value", flat=True))
        finally:
            await ctx.close_connections()
    assert len(ids) == in_backup and audited == ids and issued == in_backup


@pytest.mark.usefixtures("db")
async def test_restore_refuses_an_archive_of_the_other_engine_or_a_damaged_one(
        settings: Settings, target: Settings, tmp_path: Path) -> None:
    await filed_world(settings, count=1)
    made = await backup(settings, tmp_path / "b.tar", now=NOW)
    engine = made.manifest.engine
    damaged = tmp_path / "damaged.tar"
    rewrite(made.path, damaged, edit_database=lambda path: path.write_bytes(path.read_bytes()[:-10] + b"0" * 10),
            fix_checksum=False)
    with pytest.raises(BackupError, match="checksum differs"):
        await restore(target, damaged)
    other = "postgres" if engine == "sqlite" else "sqlite"
    other_url = "sqlite://" + str(tmp_path / "x.sqlite3") if other == "sqlite" else "postgres://postgres@127.0.0.1/x"
    with pytest.raises(BackupError, match=f"this is a {engine} backup"):
        await restore(replace(target, database_url=other_url), made.path)
    (tmp_path / "junk.tar").write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="not a tar archive"):
        await restore(target, tmp_path / "junk.tar")
    assert await connections.get("default").execute_query("SELECT 1")  # the test's own database untouched


def test_missing_postgres_tools_are_named_with_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(pg.ToolMissing, match=r"pg_dump not found.*postgresql-client"):
        pg.tool("pg_dump")


def test_the_dsn_reaches_the_tools_through_libpq_s_environment_not_the_command_line() -> None:
    where = pg.PgTarget.from_url("postgres://app:s%40cret@db.internal:6432/grievance?minsize=1&sslmode=require")
    env = where.env()
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"], env["PGSSLMODE"]) == (
        "db.internal", "6432", "app", "s@cret", "require")
    assert where.dbname_arg() == "dbname='grievance'" and "cret" not in where.dbname_arg()


# --- the real command ---------------------------------------------------------------


def rewrite(source: Path, target: Path, *, edit_database: Any, fix_checksum: bool) -> None:
    """Copy an archive, changing its database file (and the manifest's checksum, as a
    careful forger would)."""
    with tarfile.open(source) as tar, tarfile.open(target, "w") as out:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        for member in tar.getmembers():
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("database."):
                scratch = target.with_suffix(".db")
                scratch.write_bytes(data)
                edit_database(scratch)
                data = scratch.read_bytes()
                scratch.unlink()
                if fix_checksum:
                    manifest["database_sha256"] = hashlib.sha256(data).hexdigest()
            if member.name == "manifest.json":
                continue
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
        raw = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(raw)
        out.addfile(info, io.BytesIO(raw))


def grievance(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRIEVANCE_", "DATABASE_URL", "REDIS_URL"))}
    env["GRIEVANCE_VAR_DIR"] = str(var_dir)
    return subprocess.run([str(GRIEVANCE), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_the_grievance_command_backs_up_restores_and_catches_a_forged_archive(tmp_path: Path) -> None:
    source, archive = tmp_path / "source", tmp_path / "nightly.tar.gz"
    assert grievance(source, "migrate").returncode == 0
    assert grievance(source, "admin", "--username", "root.admin", "--full-name", "Root Admin").returncode == 0
    made = grievance(source, "backup", "--output", str(archive))
    assert made.returncode == 0 and f"wrote {archive}" in made.stdout, made.stderr
    default = grievance(source, "backup")
    assert default.returncode == 0 and len(list((source / "backups").glob("grievance-*.tar.gz"))) == 1

    restored = grievance(tmp_path / "fresh", "restore", str(archive))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "audit chains: unit         1 checked, 0 altered" in restored.stdout and "verified" in restored.stdout
    refused = grievance(tmp_path / "fresh", "restore", str(archive))
    assert refused.returncode != 0 and "--force" in refused.stderr
    assert grievance(tmp_path / "fresh", "restore", "--force", str(archive)).returncode == 0
    assert grievance(tmp_path / "fresh", "audit", "verify", "--object-type", "unit").returncode == 0

    def forge(path: Path) -> None:
        with sqlite3.connect(path) as db:
            db.execute("UPDATE audit_event SET note = 'edited' WHERE object_type = 'unit'")

    forged = tmp_path / "forged.tar"
    rewrite(archive, forged, edit_database=forge, fix_checksum=True)
    caught = grievance(tmp_path / "victim", "restore", str(forged))
    assert caught.returncode == 1, caught.stdout + caught.stderr
    assert "1 altered unit audit chain" in caught.stdout and "VERIFICATION FAILED" in caught.stdout


def test_an_archive_with_a_member_outside_the_known_names_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    from backend.ops.archive import ArchiveError, Manifest, Reader

    manifest = Manifest(engine="sqlite", created_at="2026-11-23T10:00:00+00:00", database_sha256="0" * 64,
                        database_bytes=0, migrations=[], tables={})
    evil = tmp_path / "evil.tar"
    with tarfile.open(evil, "w") as tar:
        for name, data in (("manifest.json", manifest.to_json()), ("database.sqlite3", b""),
                           ("attachments/ab/../../../../etc/cron.d/x", b"* * * * * root sh")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(ArchiveError, match="unexpected member"):
        Reader(evil)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")
def test_the_grievance_command_round_trips_a_postgres_database_into_one_it_creates(tmp_path: Path) -> None:
    base = TEST_DATABASE_URL.replace("postgresql://", "postgres://", 1).rpartition("/")[0]
    source, restored = (f"grievance_cli_{uuid.uuid4().hex[:8]}" for _ in range(2))

    def run(database: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GRIEVANCE_", "DATABASE_URL", "REDIS_URL"))}
        env.update(GRIEVANCE_VAR_DIR=str(tmp_path / database), DATABASE_URL=f"{base}/{database}")
        return subprocess.run([str(GRIEVANCE), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=180)

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(_pg_admin_dsn(TEST_DATABASE_URL, "postgres"))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{source}"'))
    try:
        assert run(source, "migrate").returncode == 0
        assert run(source, "admin", "--username", "root.admin", "--full-name", "Root Admin").returncode == 0
        archive = tmp_path / "pg.tar"
        made = run(source, "backup", "--output", str(archive))
        assert made.returncode == 0 and f"postgres database at migration {NEWEST_MIGRATION}" in made.stdout, made.stderr
        back = run(restored, "restore", str(archive))  # the database does not exist yet
        assert back.returncode == 0, back.stdout + back.stderr
        assert "audit chains: unit         1 checked, 0 altered" in back.stdout and "verified" in back.stdout
        assert run(restored, "audit", "verify", "--object-type", "staff_user").returncode == 0
    finally:
        for name in (source, restored):
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
