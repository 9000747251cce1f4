"""Notification jobs: sending what the outbox holds."""

from __future__ import annotations

import functools
import logging
from typing import Any

from backend.core.clock import utcnow
from backend.feedback import links
from backend.notifications.channels import build_gateways
from backend.notifications.gateways import SmsDeliveries
from backend.notifications.models import OutboxChannel
from backend.notifications.outbox import dispatch_due

log = logging.getLogger(__name__)


async def dispatch_outbox(ctx: dict[str, Any]) -> int:
    """Woken after a commit and by cron; sending is claimed per row, so reruns are safe."""
    settings = ctx.get("settings")
    # Built once at start-up (worker, runtime); a bare context still sends SMS.
    gateways = ctx.get("gateways") or (build_gateways(settings, ctx["sms"]) if settings is not None
                                       else {OutboxChannel.SMS: SmsDeliveries(ctx["sms"])})
    enrich = functools.partial(links.enrich, settings) if settings is not None else None
    sent = await dispatch_due(gateways, utcnow(), enrich=enrich)
    if sent:
        log.info("outbox: sent %d", sent)
    return sent
