"""Notification jobs: sending what the outbox holds."""

from __future__ import annotations

import logging
from typing import Any

from backend.core.clock import utcnow
from backend.notifications.gateways import SmsDeliveries
from backend.notifications.models import OutboxChannel
from backend.notifications.outbox import dispatch_due

log = logging.getLogger(__name__)


async def dispatch_outbox(ctx: dict[str, Any]) -> int:
    """Woken after a commit and by cron; sending is claimed per row, so reruns are safe."""
    gateways = ctx.get("gateways") or {OutboxChannel.SMS: SmsDeliveries(ctx["sms"])}
    sent = await dispatch_due(gateways, utcnow())
    if sent:
        log.info("outbox: sent %d", sent)
    return sent
