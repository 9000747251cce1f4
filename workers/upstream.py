"""The upstream portal's sync (no-ops until GRIEVANCE_UPSTREAM_URL is set): pull new
grievances every five minutes, push their progress every minute. Both resume from
stored state, so a failed run is simply repeated by the next."""

from __future__ import annotations

import logging
from typing import Any

from backend.core.clock import utcnow
from backend.upstream.sync import UpstreamUnavailable, pull, queue_updates, send_due, upstream_for

log = logging.getLogger(__name__)


async def upstream_pull(ctx: dict[str, Any]) -> int:
    upstream = upstream_for(ctx["settings"])
    if upstream is None:
        return 0
    try:
        filed = await pull(ctx["settings"], upstream, now=utcnow())
    except UpstreamUnavailable as failed:
        log.warning("upstream pull failed (the next run resumes from the cursor): %s", failed)
        return 0
    if filed:
        log.info("upstream pull filed %d grievances", filed)
    return filed


async def upstream_push(ctx: dict[str, Any]) -> int:
    upstream = upstream_for(ctx["settings"])
    if upstream is None:
        return 0
    now = utcnow()
    await queue_updates(now=now)
    return await send_due(upstream, now=now)
