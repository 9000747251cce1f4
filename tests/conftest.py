"""Shared fixtures: one event loop, one migrated database per run, clean tables per test.

SQLite by default; PostgreSQL when TEST_DATABASE_URL is set (CI sets it). The database
is built by the project's own migrations, so every test also exercises them.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from tortoise import Tortoise, connections

from backend.db import apply_migrations, init_db
from backend.settings import Settings, generate_vapid_keys

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _pg_admin_dsn(url: str, database: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base.replace('postgres://', 'postgresql://', 1)}/{database}"


@asynccontextmanager
async def scratch_pg_database(prefix: str) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database beside TEST_DATABASE_URL, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(_pg_admin_dsn(TEST_DATABASE_URL, "postgres"))
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    try:
        yield TEST_DATABASE_URL.replace("postgresql://", "postgres://", 1).rpartition("/")[0] + f"/{name}"
    finally:
        admin = await asyncpg.connect(_pg_admin_dsn(TEST_DATABASE_URL, "postgres"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest_asyncio.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    if TEST_DATABASE_URL:
        async with scratch_pg_database("grievance_test") as url:
            try:
                yield url
            finally:
                await Tortoise.close_connections()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite://{tmp}/test.sqlite3"
            await Tortoise.close_connections()


@pytest_asyncio.fixture(scope="session")
async def migrated(database_url: str) -> AsyncIterator[str]:
    await apply_migrations(database_url)
    await init_db(database_url)
    yield database_url
    await Tortoise.close_connections()


@pytest_asyncio.fixture
async def db(migrated: str) -> AsyncIterator[str]:
    yield migrated
    await truncate_all()


async def truncate_all() -> None:
    from backend.grievances.live import shared_reads

    shared_reads.clear()  # ids start again at 1 in the next test
    conn = connections.get("default")
    tables = [m._meta.db_table for m in Tortoise.apps.get_models_iterable()]
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    else:
        deletes = "".join(f"DELETE FROM {t};" for t in tables)
        await conn.execute_script(f"PRAGMA foreign_keys=OFF;{deletes}PRAGMA foreign_keys=ON;")


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


@pytest.fixture(scope="session")
def vapid() -> tuple[str, str]:
    return generate_vapid_keys()


@pytest.fixture
def settings(migrated: str, tmp_path: Path, vapid: tuple[str, str]) -> Iterator[Settings]:
    yield Settings(
        environment="embedded",
        var_dir=tmp_path,
        database_url=migrated,
        redis_url=TEST_REDIS_URL or None,
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        vapid_private_key=vapid[0],
        vapid_public_key=vapid[1],
        vapid_subject="mailto:test@localhost",
        debug=False,
        public_url="http://testserver",
        allowed_origins=("http://testserver",),
        sms_log_path=tmp_path / "sms.log",
    )


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Production argon2 parameters cost ~50 ms a hash; tests hash hundreds."""
    from argon2 import PasswordHasher

    from backend.accounts import passwords

    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = original
