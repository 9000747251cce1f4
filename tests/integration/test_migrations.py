"""The committed migrations build exactly the schema the models describe.

Two checks: the autodetector finds no model change without a migration, and the
database the migrations built (the test database) has the same tables, columns,
nullability, indexes and unique constraints as one built straight from the models.
Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from tortoise.context import TortoiseContext

from backend.db import pending_model_changes, tortoise_config
from tests.conftest import TEST_DATABASE_URL, _pg_admin_dsn

Schema = dict[str, dict[str, Any]]
RECORDER = "tortoise_migrations"


def _sqlite_schema(path: str) -> Schema:
    con = sqlite3.connect(path)
    try:
        schema: Schema = {}
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            if table.startswith("sqlite_") or table == RECORDER:
                continue
            columns = {(r[1], r[2].upper(), bool(r[3]), bool(r[5])) for r in con.execute(f"PRAGMA table_info({table})")}
            indexes = set()
            for _, name, unique, *_ in con.execute(f"PRAGMA index_list({table})"):
                cols = tuple(r[2] for r in con.execute(f"PRAGMA index_info('{name}')"))
                indexes.add((cols, bool(unique)))
            fks = {(r[3], r[2], r[4], r[6]) for r in con.execute(f"PRAGMA foreign_key_list({table})")}
            schema[table] = {"columns": columns, "indexes": indexes, "foreign_keys": fks}
        return schema
    finally:
        con.close()


async def _pg_schema(dsn: str) -> Schema:
    con = await asyncpg.connect(dsn)
    try:
        schema: Schema = {}
        rows = await con.fetch(
            "SELECT table_name, column_name, data_type, is_nullable, column_default IS NOT NULL AS has_default "
            "FROM information_schema.columns WHERE table_schema='public'"
        )
        for r in rows:
            if r["table_name"] == RECORDER:
                continue
            t = schema.setdefault(r["table_name"], {"columns": set(), "indexes": set(), "foreign_keys": set()})
            t["columns"].add((r["column_name"], r["data_type"], r["is_nullable"] == "NO", r["has_default"]))
        idx = await con.fetch(
            "SELECT t.relname AS table, ix.indisunique AS uniq, "
            "array_agg(a.attname ORDER BY array_position(ix.indkey, a.attnum)) AS cols "
            "FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey) "
            "WHERE n.nspname='public' GROUP BY t.relname, ix.indexrelid, ix.indisunique"
        )
        for r in idx:
            if r["table"] in schema:
                schema[r["table"]]["indexes"].add((tuple(r["cols"]), r["uniq"]))
        fks = await con.fetch(
            "SELECT tc.table_name, kcu.column_name, ccu.table_name AS ref, rc.delete_rule "
            "FROM information_schema.table_constraints tc "
            "JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name "
            "JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name "
            "JOIN information_schema.referential_constraints rc ON tc.constraint_name = rc.constraint_name "
            "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema='public'"
        )
        for r in fks:
            schema[r["table_name"]]["foreign_keys"].add((r["column_name"], r["ref"], r["delete_rule"]))
        return schema
    finally:
        await con.close()


async def _describe(url: str) -> Schema:
    if url.startswith("sqlite://"):
        return _sqlite_schema(url.removeprefix("sqlite://"))
    return await _pg_schema(url.replace("postgres://", "postgresql://", 1))


@pytest_asyncio.fixture
async def reference_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the same kind, to be built from the models directly."""
    if not TEST_DATABASE_URL:
        yield f"sqlite://{tmp_path / 'reference.sqlite3'}"
        return
    name = f"grievance_ref_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(_pg_admin_dsn(TEST_DATABASE_URL, "postgres"))
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    yield TEST_DATABASE_URL.replace("postgresql://", "postgres://", 1).rpartition("/")[0] + f"/{name}"
    admin = await asyncpg.connect(_pg_admin_dsn(TEST_DATABASE_URL, "postgres"))
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


MIGRATION_ONLY_INDEXES = [("grv_grievance", (("due_at", "id"), False)),
                          ("grv_grievance", (("escalation_due_at", "id"), False)),
                          ("grv_grievance", (("reminder_at", "id"), False))]


async def test_models_have_no_unmigrated_changes() -> None:
    assert await pending_model_changes() == []


async def test_migrations_build_exactly_the_models_schema(migrated: str, reference_url: str) -> None:
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(reference_url))
        await ctx.generate_schemas()
        await ctx.close_connections()
    migrated_schema = await _describe(migrated)
    reference_schema = await _describe(reference_url)
    # Partial indexes the ORM cannot declare are made by migrations alone (0016, 0021).
    for table, index in MIGRATION_ONLY_INDEXES:
        assert index in migrated_schema[table]["indexes"], (table, index)
        migrated_schema[table]["indexes"].discard(index)
    assert migrated_schema.keys() == reference_schema.keys()
    for table in reference_schema:
        assert migrated_schema[table] == reference_schema[table], table


@pytest.mark.parametrize("table", ["org_unit", "acct_membership", "audit_event"])
async def test_migrated_tables_exist(migrated: str, table: str) -> None:
    assert table in await _describe(migrated)


def test_the_pending_index_covers_exactly_the_pending_states() -> None:
    """The partial index serves the inbox only while its states are the inbox's (PENDING)."""
    import re

    from backend.grievances.states import PENDING

    source = (Path(__file__).resolve().parents[2] / "backend/migrations/0016_inbox_indexes.py").read_text()
    listed = set(re.findall(r"'([a-z_]+)'", source.split("grv_pending_by_due", 1)[1].split("reverse_sql", 1)[0]))
    assert listed == {s.value for s in PENDING}


def test_the_sweep_indexes_cover_exactly_the_swept_states() -> None:
    """The sweeps' partial indexes serve them only while their states are SWEPT."""
    from backend.migrations import __path__ as migrations_path
    from backend.sla.sweeps import SWEPT

    module = Path(migrations_path[0]) / "0021_sweep_indexes.py"
    namespace: dict[str, object] = {}
    exec(compile(module.read_text(), str(module), "exec"), namespace)
    listed = {part.strip().strip("'") for part in str(namespace["SWEPT"]).split(",")}
    assert listed == {s.value for s in SWEPT}
