"""The arq worker: task functions and the cron table, shared with the in-process queue.

`grievance worker` runs `WorkerSettings` against Redis; the embedded default runs the
same FUNCTIONS and CRON_JOBS through `backend.core.queue.InProcessQueue`.
"""

from __future__ import annotations

import logging
import os
from typing import Any, ClassVar

from arq.connections import RedisSettings
from arq.cron import CronJob, cron
from arq.worker import Worker, get_kwargs
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from backend.core.broadcast import RedisBroadcast
from backend.db import close_db, init_db
from backend.notifications.channels import build_gateways, build_sms
from backend.ops import collector
from backend.settings import load_settings
from workers import names
from workers.feedback import reconcile_feedback
from workers.housekeeping import purge_delivered_messages, purge_expired_credentials, purge_unbound_attachments
from workers.notifications import dispatch_outbox
from workers.rts import sweep_rts_appeals
from workers.sla import sweep_escalations, sweep_reminders
from workers.stats import detect_spikes, monthly_reports, refresh_stats
from workers.upstream import upstream_pull, upstream_push

log = logging.getLogger(__name__)

FUNCTIONS: list[Any] = [purge_expired_credentials, purge_unbound_attachments, purge_delivered_messages,
                        dispatch_outbox, sweep_escalations, sweep_reminders, sweep_rts_appeals, reconcile_feedback,
                        refresh_stats, detect_spikes, monthly_reports, upstream_pull, upstream_push]


def _sweep_minutes() -> set[int]:
    raw = os.environ.get("GRIEVANCE_SWEEP_MINUTES", "1").strip()
    every = int(raw) if raw.isdigit() and 1 <= int(raw) <= 60 else 1
    return set(range(0, 60, every))


SWEEP_MINUTES = _sweep_minutes()

CRON_JOBS: list[CronJob] = [
    cron(purge_expired_credentials, name=names.cron_name(names.PURGE_EXPIRED_CREDENTIALS), minute={17}, unique=True),
    cron(purge_unbound_attachments, name=names.cron_name(names.PURGE_UNBOUND_ATTACHMENTS), hour={2}, minute={41}, unique=True),
    cron(purge_delivered_messages, name=names.cron_name(names.PURGE_DELIVERED_MESSAGES), hour={3}, minute={11}, unique=True),
    # The clocks: every SWEEP_MINUTES (GRIEVANCE_SWEEP_MINUTES, default 1), at seconds
    # apart from each other and from the outbox sweep.
    cron(sweep_escalations, name=names.cron_name(names.SWEEP_ESCALATIONS), minute=SWEEP_MINUTES, second={20}, unique=True),
    cron(sweep_reminders, name=names.cron_name(names.SWEEP_REMINDERS), minute=SWEEP_MINUTES, second={40}, unique=True),
    cron(sweep_rts_appeals, name=names.cron_name(names.SWEEP_RTS_APPEALS), minute=SWEEP_MINUTES, second={50},
         unique=True),
    # The safety net behind disputes raised when feedback is recorded: every 5 minutes.
    cron(reconcile_feedback, name=names.cron_name(names.RECONCILE_FEEDBACK), minute=set(range(3, 60, 5)),
         second={30}, unique=True),
    # The dashboard's rollups, a minute behind the event log at most.
    cron(refresh_stats, name=names.cron_name(names.REFRESH_STATS), second={45}, unique=True),
    # Spikes in the last complete week: Mondays, after the night's rollups.
    cron(detect_spikes, name=names.cron_name(names.DETECT_SPIKES), weekday={0}, hour={1}, minute={15}, unique=True),
    # Last month's reports, on the first of the month.
    cron(monthly_reports, name=names.cron_name(names.MONTHLY_REPORTS), day={1}, hour={2}, minute={30}, unique=True),
    # The upstream portal (when configured): pull every five minutes, push every minute.
    cron(upstream_pull, name=names.cron_name(names.UPSTREAM_PULL), minute=set(range(1, 60, 5)), second={10},
         unique=True),
    cron(upstream_push, name=names.cron_name(names.UPSTREAM_PUSH), second={55}, unique=True),
    # The safety net behind the after-commit wake-up.
    cron(dispatch_outbox, name=names.cron_name(names.DISPATCH_OUTBOX), second={5}, unique=True),
]


async def on_startup(ctx: dict[str, Any]) -> None:
    settings = load_settings()
    await init_db(settings.database_url)
    ctx["settings"] = settings
    ctx["sms"] = build_sms(settings)
    ctx["gateways"] = build_gateways(settings, ctx["sms"])
    # Grievances changed by a job reach the subscribers of every API process.
    ctx["broadcast"] = RedisBroadcast.from_url(settings.redis_url) if settings.redis_url else None
    collector.settle()  # backend/ops/collector.py


async def on_shutdown(ctx: dict[str, Any]) -> None:
    if ctx.get("broadcast") is not None:
        await ctx["broadcast"].close()
    await close_db()


def redis_settings() -> RedisSettings:
    settings = load_settings()
    if not settings.redis_url:
        raise SystemExit("grievance worker needs REDIS_URL (the embedded default runs jobs in-process)")
    return RedisSettings.from_dsn(settings.redis_url)


class WorkerSettings:
    functions: ClassVar[list[Any]] = FUNCTIONS
    # No task returns anything worth keeping, and a kept result would stop a job id
    # (the outbox wake-up's) from being queued again until it expired.
    keep_result = 0
    cron_jobs: ClassVar[list[CronJob]] = CRON_JOBS
    on_startup = on_startup
    on_shutdown = on_shutdown
    max_tries = 5
    # Jobs one worker process runs at once (GRIEVANCE_WORKER_MAX_JOBS, default 10): with
    # 1, queued sweeps spread over processes instead of all running in the first to poll.
    max_jobs = int(os.environ.get("GRIEVANCE_WORKER_MAX_JOBS", "10") or 10)


# Redis going away (restarted, failed over, a network blip) shows up as these.
REDIS_LOST = (RedisConnectionError, RedisTimeoutError, OSError)


class RedisTolerantWorker(Worker):
    """arq's worker, except that losing Redis does not end it.

    arq lets the first Redis error of its polling loop escape, and the process exits:
    every worker would stop at the first Redis restart and stay down until a supervisor
    noticed. The database holds all the work (the outbox, the clocks), and Redis only
    wakes it, so the worker keeps polling instead and carries on when Redis answers
    again; the cron table's dispatch then sends whatever waited. (Overrides two of arq
    0.28's internal methods; arq is pinned.)"""

    redis_lost = False

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
        except REDIS_LOST as error:
            if not self.redis_lost:
                log.warning("Redis unreachable (%s); polling until it is back", error)
            self.redis_lost = True
            return
        if self.redis_lost:
            log.warning("Redis is back; picking up jobs again")
            self.redis_lost = False

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        for job_id in job_ids:
            counted = self.job_counter
            try:
                await super().start_jobs([job_id])
            except REDIS_LOST:
                # arq takes a job slot before asking Redis whether the job is free; when
                # that question fails no task will ever give the slot back, so do it here.
                if self.job_counter > counted and job_id.decode() not in self.tasks:
                    self.job_counter -= 1
                    self.sem.release()
                raise


def run(burst: bool = False) -> None:
    """`grievance worker`: the worker on this deployment's Redis."""
    RedisTolerantWorker(**{**get_kwargs(WorkerSettings), "redis_settings": redis_settings(),  # type: ignore[arg-type]
                           "burst": burst}).run()
