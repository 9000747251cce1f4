"""Tortoise configuration: one app, every domain's models, built-in migrations."""

from __future__ import annotations

import os
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url

MODEL_MODULES: list[str] = [
    "backend.orgs.models",
    "backend.accounts.models",
    "backend.audit.models",
    "backend.categories.models",
    "backend.routing.models",
    "backend.grievances.models",
    "backend.attachments.models",
    "backend.notifications.models",
    "backend.sla.models",
    "backend.feedback.models",
    "backend.callcentre.models",
    "backend.rts.models",
    "backend.stats.models",
    "backend.open311.models",
    "backend.upstream.models",
]
MIGRATIONS_MODULE = "backend.migrations"


# Connections per process: enough for the requests one process interleaves (tests/bench
# runs 8-16 clients over two processes) and for PostgreSQL's default 100 connections
# to serve several API processes and workers. GRIEVANCE_DB_POOL_SIZE overrides it.
DEFAULT_POOL_SIZE = 10


async def _keep_session(connection: Any) -> None:
    """asyncpg resets each connection returned to the pool (`pg_advisory_unlock_all()`,
    and more): one extra round trip after every query the ORM runs outside a
    transaction - 40 % of all statements of a grievance's lifecycle (tests/bench). Nothing
    here takes advisory locks, LISTENs or changes session settings, and the ORM ends its
    transactions itself, so there is nothing to reset."""


def connection_config(database_url: str, pool_size: int | None = None) -> str | dict[str, Any]:
    if not database_url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        return database_url
    config: dict[str, Any] = expand_db_url(database_url.replace("postgresql://", "postgres://", 1))
    size = pool_size or int(os.environ.get("GRIEVANCE_DB_POOL_SIZE") or DEFAULT_POOL_SIZE)
    config["credentials"].update({"reset": _keep_session, "minsize": 1, "maxsize": max(size, 1)})
    return config


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(database_url)},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(database_url: str) -> None:
    # The global fallback makes the ORM context visible to request handlers started
    # outside the task that ran the lifespan (Starlette, uvicorn workers, arq jobs).
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    # Restructuring the tree carries pending grievances along (see orgs.pending_work).
    from backend.grievances.pending import register

    register()


async def close_db() -> None:
    await Tortoise.close_connections()


async def apply_migrations(database_url: str) -> list[str]:
    """Apply every pending migration; returns the names applied (for the CLI to print)."""
    from tortoise.migrations.api import migrate

    applied: list[str] = []

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            applied.append(f"{app_label}.{name}")

    try:
        await migrate(config=tortoise_config(database_url), progress=progress)
    finally:
        await Tortoise.close_connections()
    return applied


async def pending_model_changes() -> list[str]:
    """Names of the migrations `makemigrations` would write now; empty when the
    committed migrations describe the models exactly."""
    writers = await _migration_writers()
    return [w.name for w in writers]


async def make_migrations(name: str | None = None) -> list[str]:
    from tortoise.migrations.writer import format_migration_name

    written = []
    for writer in await _migration_writers():
        if name:
            writer.name = format_migration_name(int(writer.name.split("_", 1)[0]), name)
        written.append(str(writer.write()))
    return written


async def _migration_writers() -> list[Any]:
    from tortoise.context import TortoiseContext
    from tortoise.migrations.autodetector import MigrationAutodetector

    config = tortoise_config("sqlite://:memory:")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        assert ctx.apps is not None
        writers: list[Any] = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    return writers
