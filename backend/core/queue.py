"""Background jobs: one port, two adapters.

- `ArqQueue` (production): jobs go to Redis and run in `grievance worker` processes.
- `InProcessQueue` (embedded default): jobs run as asyncio tasks inside the API process.

Both run the same task functions and the same cron table (`workers.settings`), so a job
behaves the same whichever adapter runs it. Jobs may run more than once (arq retries,
crashes): every task is idempotent by its own design, and a `job_id` lets callers ask
for at most one queued copy at a time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.cron import CronJob

log = logging.getLogger(__name__)

TaskFunction = Callable[..., Awaitable[Any]]


class JobQueue(Protocol):
    async def enqueue(self, function: str, *args: Any, job_id: str | None = None,
                      defer_until: datetime | None = None) -> bool:
        """Queue `function(ctx, *args)`, to start no earlier than `defer_until`; False
        when a job with `job_id` is already queued (or running)."""
        ...

    async def close(self) -> None: ...


class ArqQueue:
    def __init__(self, pool: ArqRedis) -> None:
        self.pool = pool

    @classmethod
    async def connect(cls, redis_url: str) -> ArqQueue:
        return cls(await create_pool(RedisSettings.from_dsn(redis_url)))

    async def enqueue(self, function: str, *args: Any, job_id: str | None = None,
                      defer_until: datetime | None = None) -> bool:
        job = await self.pool.enqueue_job(function, *args, _job_id=job_id, _defer_until=defer_until)
        return job is not None

    async def close(self) -> None:
        await self.pool.aclose()


class InProcessQueue:
    """Runs jobs and cron entries inside this process.

    `ctx` mirrors what arq gives a job: a shallow copy per job with `job_id` and
    `job_try` set, so task functions cannot tell the adapters apart.
    """

    def __init__(
        self,
        functions: Sequence[TaskFunction],
        cron_jobs: Sequence[CronJob],
        ctx: dict[str, Any],
        clock: Callable[[], datetime],
    ) -> None:
        self.functions = {f.__name__: f for f in functions}
        self.cron_jobs = list(cron_jobs)
        self.ctx = ctx
        self.clock = clock
        self._running: dict[str, asyncio.Task[Any]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._cron_task: asyncio.Task[None] | None = None
        self._counter = 0

    async def enqueue(self, function: str, *args: Any, job_id: str | None = None,
                      defer_until: datetime | None = None) -> bool:
        if function not in self.functions:
            raise ValueError(f"unknown task {function!r}")
        if job_id is not None and job_id in self._running:
            return False
        self._counter += 1
        key = job_id or f"inproc:{self._counter}"
        # Deferral is by the wall clock, not `clock` (tests freeze that), and at most a
        # second: it only spaces wake-ups, it never schedules work for later.
        delay = min(1.0, max(0.0, (defer_until - datetime.now(UTC)).total_seconds())) if defer_until else 0.0
        task = asyncio.create_task(self._run(self.functions[function], key, args, delay))
        self._running[key] = task
        self._tasks.add(task)
        task.add_done_callback(lambda t: self._forget(t, key))
        return True

    def depth(self) -> int:
        """Jobs started and not yet finished (they start at once, so none wait)."""
        return len(self._tasks)

    def _forget(self, task: asyncio.Task[Any], key: str) -> None:
        self._tasks.discard(task)
        self._running.pop(key, None)

    async def _run(self, fn: TaskFunction, job_id: str, args: Sequence[Any], delay: float = 0.0) -> Any:
        ctx = dict(self.ctx, job_id=job_id, job_try=1, enqueue_time=self.clock())
        if delay:
            await asyncio.sleep(delay)
        try:
            return await fn(ctx, *args)
        except Exception:
            log.exception("background job %s (%s) failed", fn.__name__, job_id)
            return None

    async def run_due_cron(self, now: datetime) -> list[str]:
        """Start every cron entry due at `now`; returns their names. The loop calls
        this; tests call it with a chosen `now`."""
        started = []
        for job in self.cron_jobs:
            if job.next_run is None:
                job.calculate_next(now)
                if not job.run_at_startup:
                    continue
            elif job.next_run > now:
                continue
            job.calculate_next(now)
            if await self.enqueue(job.coroutine.__qualname__, job_id=f"cron:{job.name}"):
                started.append(job.name)
        return started

    def start_cron(self) -> None:
        async def loop() -> None:
            while True:
                await self.run_due_cron(self.clock())
                upcoming = [j.next_run for j in self.cron_jobs if j.next_run is not None]
                wait = (min(upcoming) - self.clock()) if upcoming else timedelta(seconds=60)
                await asyncio.sleep(min(max(wait.total_seconds(), 0.05), 60))

        self._cron_task = asyncio.create_task(loop())

    async def drain(self) -> None:
        """Wait for every job started so far (tests, and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        if self._cron_task is not None:
            self._cron_task.cancel()
            await asyncio.gather(self._cron_task, return_exceptions=True)
        await self.drain()
