"""Grievance numbers `UNIT/CHANNEL/YYYY/NNNNNNN`, unique under concurrency.

One counter row per (unit, channel, year) bumped with `last_value = last_value + 1`:
on PostgreSQL the row lock serialises concurrent filers, on SQLite the database lock
does. The bump runs in its own short transaction before the filing's, so the lock is
held for one statement and not for the whole filing; a filing that then fails leaves
a gap in the sequence, which is harmless (numbers are unique, not dense).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from backend.grievances.channels import Channel, format_number
from backend.grievances.models import NumberSequence

# The year in a number is India's calendar year, not UTC's.
NUMBER_TIME_ZONE = ZoneInfo("Asia/Kolkata")


async def next_number(unit_code: str, channel: Channel, now: datetime) -> str:
    year = now.astimezone(NUMBER_TIME_ZONE).year
    key: dict[str, Any] = {"unit_code": unit_code, "channel": channel.value, "year": year}
    for _ in range(5):
        async with in_transaction():
            if await NumberSequence.filter(**key).update(last_value=F("last_value") + 1):
                row = await NumberSequence.get(**key)
                return format_number(unit_code, channel, year, row.last_value)
        try:
            async with in_transaction():
                await NumberSequence.create(**key, last_value=0)
        except IntegrityError:
            pass  # another filer created the row first: bump it on the next round
    raise RuntimeError(f"could not allocate a grievance number for {key}")
