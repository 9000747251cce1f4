"""Housekeeping jobs: removing credentials that can no longer be used."""

from __future__ import annotations

import logging
from typing import Any

from backend.accounts.sign_in import purge_expired
from backend.attachments.services import UNBOUND_LIFETIME, purge_unbound
from backend.attachments.storage import storage_for
from backend.core.clock import utcnow

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
