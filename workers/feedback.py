"""Feedback jobs: reconciling disposals with what citizens say (seed 002)."""

from __future__ import annotations

import logging
from typing import Any

from backend.core.clock import utcnow
from backend.feedback.reconcile import reconcile_disputes
from workers.live import publishes

log = logging.getLogger(__name__)


@publishes
async def reconcile_feedback(ctx: dict[str, Any]) -> int:
    """Idempotent: a disputed grievance is no longer CLOSED, so it is not found again."""
    disputed = await reconcile_disputes(utcnow())
    if disputed:
        log.info("reconciliation disputed %d grievances", disputed)
    return disputed
