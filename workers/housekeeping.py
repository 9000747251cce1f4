"""Housekeeping jobs: removing credentials that can no longer be used, uploads never
attached, and delivered messages past their retention."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from backend.accounts.sign_in import purge_expired
from backend.attachments.services import UNBOUND_LIFETIME, purge_unbound
from backend.attachments.storage import storage_for
from backend.core.clock import utcnow
from backend.notifications.outbox import purge_done

log = logging.getLogger(__name__)


async def purge_expired_credentials(ctx: dict[str, Any]) -> int:
    """Idempotent: deleting what is already gone deletes nothing."""
    removed = await purge_expired(utcnow())
    log.info("purged %d expired credentials", removed)
    return removed


async def purge_unbound_attachments(ctx: dict[str, Any]) -> int:
    """Uploads never attached to a filing within a day. Idempotent."""
    removed = await purge_unbound(storage_for(ctx["settings"]), UNBOUND_LIFETIME, utcnow())
    log.info("purged %d unbound attachments", removed)
    return removed


async def purge_delivered_messages(ctx: dict[str, Any]) -> int:
    """Sent and skipped outbox rows older than GRIEVANCE_OUTBOX_RETENTION_DAYS. Idempotent."""
    removed = await purge_done(utcnow(), timedelta(days=ctx["settings"].outbox_retention_days))
    log.info("purged %d delivered messages", removed)
    return removed
