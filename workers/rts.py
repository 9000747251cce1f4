"""The Right-to-Service automatic appeal, swept from its due index."""

from __future__ import annotations

import logging
from typing import Any

from backend.core.clock import utcnow
from backend.rts.sweeps import auto_appeal_due
from workers.live import publishes

log = logging.getLogger(__name__)


@publishes
async def sweep_rts_appeals(ctx: dict[str, Any]) -> int:
    """Idempotent: each appeal moves the case's level by compare-and-set."""
    filed = await auto_appeal_due(utcnow())
    if filed:
        log.info("filed %d automatic Right-to-Service appeals", filed)
    return filed
