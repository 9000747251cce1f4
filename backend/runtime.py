"""The process's adapters, built once from settings: queue, broadcast, SMS gateway.

The API process and `grievance worker` both build one; tests build one directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from backend.core.broadcast import Broadcast, InProcessBroadcast, RedisBroadcast
from backend.core.clock import utcnow
from backend.core.queue import ArqQueue, InProcessQueue, JobQueue
from backend.db import close_db, init_db
from backend.notifications.channels import build_sms
from backend.notifications.sms import SmsGateway
from backend.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    queue: JobQueue
    broadcast: Broadcast
    sms: SmsGateway
    owns_database: bool = True


async def start_runtime(settings: Settings, *, init_database: bool = True, run_cron: bool = True) -> Runtime:
    if init_database:
        await init_db(settings.database_url)
    sms = build_sms(settings)
    broadcast: Broadcast
    queue: JobQueue
    if settings.redis_url:
        broadcast = RedisBroadcast.from_url(settings.redis_url)
        queue = await ArqQueue.connect(settings.redis_url)
    else:
        from workers.settings import CRON_JOBS, FUNCTIONS

        broadcast = InProcessBroadcast()
        in_process = InProcessQueue(FUNCTIONS, CRON_JOBS, {"settings": settings, "sms": sms, "broadcast": broadcast},
                                    utcnow)
        if run_cron:
            in_process.start_cron()
        queue = in_process
    runtime = Runtime(settings, queue, broadcast, sms, owns_database=init_database)
    log.info("runtime started: %s mode, queue=%s", settings.environment, type(queue).__name__)
    return runtime


async def stop_runtime(runtime: Runtime) -> None:
    await runtime.queue.close()
    await runtime.broadcast.close()
    if runtime.owns_database:
        await close_db()
