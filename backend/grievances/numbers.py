"""Grievance numbers `UNIT/CHANNEL/YYYY/NNNNNNN`, unique under concurrency.

One counter row per (unit, channel, year) bumped with `last_value = last_value + 1`:
on PostgreSQL the row lock serialises concurrent filers, on SQLite the database lock
does. The bump is one statement of its own (UPDATE ... RETURNING) before the filing's
transaction, so the lock is held for that statement and not for the whole filing; a
filing that then fails leaves a gap in the sequence, which is harmless (numbers are
unique, not dense).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.core.sql import placeholders
from backend.grievances.channels import Channel, format_number
from backend.grievances.models import NumberSequence

# The year in a number is India's calendar year, not UTC's.
NUMBER_TIME_ZONE = ZoneInfo("Asia/Kolkata")


async def next_number(unit_code: str, channel: Channel, now: datetime) -> str:
    year = now.astimezone(NUMBER_TIME_ZONE).year
    key: dict[str, Any] = {"unit_code": unit_code, "channel": channel.value, "year": year}
    table = NumberSequence._meta.db_table
    for _ in range(5):
        conn = NumberSequence._choose_db(for_write=True)
        marks = placeholders(conn.capabilities.dialect, 3)
        rows = await conn.execute_query_dict(
            f"UPDATE {table} SET last_value = last_value + 1 WHERE unit_code = {marks[0]} AND channel = {marks[1]} "
            f"AND year = {marks[2]} RETURNING last_value", [unit_code, channel.value, year])
        if rows:
            return format_number(unit_code, channel, year, int(rows[0]["last_value"]))
        try:
            async with in_transaction():
                await NumberSequence.create(**key, last_value=0)
        except IntegrityError:
            pass  # another filer created the row first: bump it on the next round
    raise RuntimeError(f"could not allocate a grievance number for {key}")
