"""The shape every due-time sweep shares: read a batch of due rows (locked with SKIP
LOCKED on PostgreSQL, so that several workers share the work instead of waiting on each
other), act on each in one transaction, and stop when a batch is short or changed
nothing - a batch in which nothing moved holds only rows another actor is changing right
now, which the next sweep picks up, rather than rows to read again and again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tortoise import connections
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

T = TypeVar("T")


async def locked_batch(query: QuerySet[Any]) -> list[Any]:
    if connections.get("default").capabilities.dialect == "postgres":
        query = query.select_for_update(skip_locked=True)
    return list(await query)


async def sweep(fetch: Callable[[], Awaitable[list[T]]], handle: Callable[[T], Awaitable[str]], *, batch: int,
                counted: str, skipped: str) -> int:
    """How many rows ended with the `counted` outcome."""
    done = 0
    while True:
        moved = 0
        async with in_transaction():
            rows = await fetch()
            for row in rows:
                outcome = await handle(row)
                done += outcome == counted
                moved += outcome != skipped
        if len(rows) < batch or moved == 0:
            return done


async def sweep_batches(fetch: Callable[[], Awaitable[list[T]]], handle: Callable[[list[T]], Awaitable[list[str]]], *,
                        batch: int, counted: str, skipped: str) -> int:
    """`sweep` for a handler that acts on a whole batch at once (one outcome per row)."""
    done = 0
    while True:
        async with in_transaction():
            rows = await fetch()
            outcomes = await handle(rows) if rows else []
        done += sum(o == counted for o in outcomes)
        if len(rows) < batch or all(o == skipped for o in outcomes):
            return done
