"""The dashboard's rollups: read the event log and feedback past the cursors (idempotent:
each batch moves its cursor in the transaction that applies it)."""

from __future__ import annotations

import logging
from typing import Any

from backend.core.clock import utcnow
from backend.stats.refresh import refresh
from backend.stats.reports import generate_month
from backend.stats.spikes import detect_and_alert

log = logging.getLogger(__name__)
MAX_BATCHES = 20  # a run stays short; the next minute's run goes on where this one stopped


async def refresh_stats(ctx: dict[str, Any]) -> int:
    read = 0
    for _ in range(MAX_BATCHES):
        done = await refresh(utcnow())
        read += done
        if not done:
            break
    if read:
        log.info("stats refresh read %d rows", read)
    return read


async def detect_spikes(ctx: dict[str, Any]) -> int:
    """Weekly: the last complete week's unusual rises, stored and sent once."""
    now = utcnow()
    made = await detect_and_alert(now.date(), now)
    if made:
        log.info("spike detection raised %d alerts", made)
    return made


async def monthly_reports(ctx: dict[str, Any]) -> int:
    """On the first of the month: last month's report for every unit that gets one."""
    now = utcnow()
    made = await generate_month(now.date(), now)
    log.info("monthly reports: %d made", made)
    return made
