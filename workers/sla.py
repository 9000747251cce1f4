"""Clock jobs: reminders and the escalation ladder, swept from the due indexes."""

from __future__ import annotations

import logging
from typing import Any

from backend.core.clock import utcnow
from backend.sla.sweeps import escalate_due, remind_due
from workers.live import publishes

log = logging.getLogger(__name__)


@publishes
async def sweep_escalations(ctx: dict[str, Any]) -> int:
    """Idempotent: an escalation is unique per grievance, round and level."""
    done = await escalate_due(utcnow())
    if done:
        log.info("escalated %d grievances", done)
    return done


async def sweep_reminders(ctx: dict[str, Any]) -> int:
    """Idempotent: a reminder is unique per clock and kind."""
    done = await remind_due(utcnow())
    if done:
        log.info("sent %d reminders", done)
    return done
