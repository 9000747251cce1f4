from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta
from typing import Any

import pytest
from arq.connections import RedisSettings
from arq.worker import Worker

from backend.accounts.models import OtpChallenge, OtpPurpose
from backend.core.broadcast import InProcessBroadcast, RedisBroadcast
from backend.core.clock import utcnow
from backend.core.queue import ArqQueue, InProcessQueue
from backend.notifications.sms import LogSmsGateway
from tests.conftest import NOW
from workers import names
from workers.housekeeping import purge_expired_credentials
from workers.settings import CRON_JOBS, FUNCTIONS

pytestmark = pytest.mark.usefixtures("db")


async def _otp(age: timedelta) -> None:
    # The task reads the real clock (as the cron does), so ages count from it, not from NOW.
    now = utcnow()
    await OtpChallenge.create(mobile="9876543210", purpose=OtpPurpose.CITIZEN_SIGN_IN, code_hash="x",
                              created_at=now - age, expires_at=now - age + timedelta(minutes=5))


def test_every_task_name_constant_is_a_registered_function() -> None:
    registered = {f.__name__ for f in FUNCTIONS}
    constants = {v for k, v in vars(names).items() if k.isupper()}
    assert constants == registered
    assert {c.coroutine.__name__ for c in CRON_JOBS} <= registered


async def test_purge_is_idempotent() -> None:
    await _otp(timedelta(days=3))
    await _otp(timedelta(minutes=1))
    assert await purge_expired_credentials({}) == 1
    assert await purge_expired_credentials({}) == 0
    assert await OtpChallenge.all().count() == 1


async def test_in_process_queue_runs_jobs_and_dedupes_by_job_id() -> None:
    await _otp(timedelta(days=3))
    queue = InProcessQueue(FUNCTIONS, CRON_JOBS, {}, lambda: NOW)
    assert await queue.enqueue(names.PURGE_EXPIRED_CREDENTIALS, job_id="purge")
    assert not await queue.enqueue(names.PURGE_EXPIRED_CREDENTIALS, job_id="purge")
    await queue.drain()
    assert await OtpChallenge.all().count() == 0
    with pytest.raises(ValueError, match="unknown task"):
        await queue.enqueue("no_such_task")
    await queue.close()


async def test_in_process_cron_runs_at_the_scheduled_minute() -> None:
    queue = InProcessQueue(FUNCTIONS, CRON_JOBS, {"sms": LogSmsGateway()}, lambda: NOW)
    start = NOW.replace(minute=0, second=0, microsecond=0)
    assert await queue.run_due_cron(start) == []  # schedules, does not run at start-up
    # The outbox and clock sweeps run every minute; the purge only at minute 17.
    first = await queue.run_due_cron(start + timedelta(minutes=16))
    await queue.drain()
    every_minute = [names.DISPATCH_OUTBOX, names.SWEEP_ESCALATIONS, names.SWEEP_REMINDERS, names.SWEEP_RTS_APPEALS,
                    names.REFRESH_STATS, names.UPSTREAM_PUSH]
    # ...the reconciliation every five minutes (its minute 13 fell due before 16), and the
    # upstream pull (minute 16).
    assert sorted(first) == sorted(names.cron_name(n) for n in [*every_minute, names.RECONCILE_FEEDBACK,
                                                                 names.UPSTREAM_PULL])
    due = await queue.run_due_cron(start + timedelta(minutes=17, seconds=6))
    await queue.drain()
    assert names.cron_name(names.PURGE_EXPIRED_CREDENTIALS) in due
    assert names.cron_name(names.PURGE_EXPIRED_CREDENTIALS) not in await queue.run_due_cron(start + timedelta(minutes=18))
    await queue.drain()
    await queue.close()


async def test_arq_burst_worker_runs_the_same_task_on_real_redis(redis_url: str) -> None:
    await _otp(timedelta(days=3))
    queue = await ArqQueue.connect(redis_url)
    assert await queue.enqueue(names.PURGE_EXPIRED_CREDENTIALS, job_id="purge-1")
    assert not await queue.enqueue(names.PURGE_EXPIRED_CREDENTIALS, job_id="purge-1")
    worker = Worker(functions=FUNCTIONS, redis_settings=RedisSettings.from_dsn(redis_url), burst=True,
                    poll_delay=0, handle_signals=False)
    try:
        await worker.async_run()
    finally:
        await worker.close()
    assert worker.jobs_complete == 1 and worker.jobs_failed == 0
    assert await OtpChallenge.all().count() == 0
    await queue.close()




async def test_redis_broadcast_crosses_connections(redis_url: str) -> None:
    """Two clients stand for two API processes: what one publishes, the other hears."""
    publisher, subscriber = RedisBroadcast.from_url(redis_url), RedisBroadcast.from_url(redis_url)
    pubsub = subscriber.redis.pubsub()
    await pubsub.subscribe("grievance:unit:7")
    await asyncio.wait_for(pubsub.get_message(timeout=2), 3)  # the subscribe confirmation
    await publisher.publish("unit:7", {"event": "changed", "id": 7})
    message = None
    async with asyncio.timeout(5):
        while message is None:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
    assert message["data"] == b'{"event": "changed", "id": 7}'
    await pubsub.aclose()
    assert await publisher.ping()
    await publisher.close()
    await subscriber.close()


async def test_redis_broadcast_subscribe_iterator(redis_url: str) -> None:
    publisher, subscriber = RedisBroadcast.from_url(redis_url), RedisBroadcast.from_url(redis_url)
    stream = subscriber.subscribe("heartbeat")
    first = asyncio.ensure_future(stream.__anext__())
    async with asyncio.timeout(5):
        while not await publisher.redis.pubsub_numsub("grievance:heartbeat") or \
                (await publisher.redis.pubsub_numsub("grievance:heartbeat"))[0][1] == 0:
            await asyncio.sleep(0.01)
    await publisher.publish("heartbeat", {"n": 1})
    assert await asyncio.wait_for(first, 5) == {"n": 1}
    await stream.aclose()
    await publisher.close()
    await subscriber.close()


async def test_redis_broadcast_publish_many_pipelines_in_order(redis_url: str) -> None:
    """A sweep's thousands of announcements go out in pipelined chunks, each message
    once and in order, also across a chunk boundary."""
    publisher, subscriber = RedisBroadcast.from_url(redis_url), RedisBroadcast.from_url(redis_url)
    publisher.PIPELINE = 3
    pubsub = subscriber.redis.pubsub()
    await pubsub.subscribe("grievance:a", "grievance:b")
    for _ in range(2):
        await asyncio.wait_for(pubsub.get_message(timeout=2), 3)  # the subscribe confirmations
    items = [("a" if i % 2 else "b", {"n": i}) for i in range(7)]
    await publisher.publish_many(items)
    got: list[tuple[str, dict[str, int]]] = []
    async with asyncio.timeout(5):
        while len(got) < len(items):
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            if message is not None:
                got.append((message["channel"].decode().removeprefix("grievance:"), json.loads(message["data"])))
    assert got == items
    await pubsub.aclose()
    await publisher.close()
    await subscriber.close()


async def test_in_process_broadcast_fans_out() -> None:
    broadcast = InProcessBroadcast()
    a, b = broadcast.subscribe("c"), broadcast.subscribe("c")
    fa, fb = asyncio.ensure_future(a.__anext__()), asyncio.ensure_future(b.__anext__())
    await asyncio.sleep(0)
    await broadcast.publish("c", {"x": 1})
    assert await asyncio.wait_for(fa, 1) == {"x": 1} and await asyncio.wait_for(fb, 1) == {"x": 1}
    await a.aclose()
    await b.aclose()


async def test_an_outbox_wake_up_in_a_second_already_woken_queues_one_more_just_after_it() -> None:
    """The second's dispatch may already be past its query when this action commits;
    without the extra wake-up the change waited for the cron, up to a minute."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from backend.api.grievances.resolvers import wake_outbox

    class Queue:
        def __init__(self, free: int) -> None:
            self.free, self.calls = free, []  # how many enqueues find no such job yet

        async def enqueue(self, function: str, *args: object, job_id: str | None = None,
                          defer_until: datetime | None = None) -> bool:
            self.calls.append((function, job_id, defer_until))
            self.free -= 1
            return self.free >= 0

    info: Any = SimpleNamespace(context=SimpleNamespace(runtime=SimpleNamespace(queue=Queue(free=1))))
    await wake_outbox(info)
    assert [(f, d) for f, _, d in info.context.runtime.queue.calls] == [(names.DISPATCH_OUTBOX, None)]

    info.context.runtime.queue = Queue(free=0)
    await wake_outbox(info)
    (_, first, no_defer), (function, second, defer) = info.context.runtime.queue.calls
    assert first is not None and second is not None and no_defer is None and function == names.DISPATCH_OUTBOX
    s = int(first.rsplit(":", 1)[1])
    assert second == f"{names.DISPATCH_OUTBOX}:{s + 1}" and defer == datetime.fromtimestamp(s + 1, UTC)


async def test_once_the_next_seconds_wake_up_is_queued_the_rest_of_the_second_asks_redis_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from backend.api.grievances import resolvers

    class Queue:
        def __init__(self) -> None:
            self.jobs: list[str | None] = []

        async def enqueue(self, function: str, *args: object, job_id: str | None = None,
                          defer_until: datetime | None = None) -> bool:
            fresh = job_id not in self.jobs
            self.jobs.append(job_id)
            return fresh

    clock = [datetime(2026, 12, 6, 10, 0, 0, 100_000, tzinfo=UTC)]
    monkeypatch.setattr(resolvers, "utcnow", lambda: clock[0])
    info: Any = SimpleNamespace(context=SimpleNamespace(runtime=SimpleNamespace(queue=Queue())))
    s = int(clock[0].timestamp())
    for _ in range(5):
        await resolvers.wake_outbox(info)
    # This second's wake-up, then (it may be running) the next second's; then nothing.
    key = names.DISPATCH_OUTBOX
    assert info.context.runtime.queue.jobs == [f"{key}:{s}", f"{key}:{s}", f"{key}:{s + 1}"]
    clock[0] = clock[0].replace(second=1)  # a new second: asked again
    await resolvers.wake_outbox(info)
    assert info.context.runtime.queue.jobs[3:] == [f"{key}:{s + 1}", f"{key}:{s + 2}"]
    # Another process (another queue) knows nothing of this one's.
    other: Any = SimpleNamespace(context=SimpleNamespace(runtime=SimpleNamespace(queue=Queue())))
    await resolvers.wake_outbox(other)
    assert other.context.runtime.queue.jobs == [f"{key}:{s + 1}"]


async def test_in_process_queue_defers_a_job_by_at_most_a_second() -> None:
    from datetime import UTC, datetime

    ran: list[float] = []

    async def job(ctx: dict[str, object]) -> None:
        ran.append(time.monotonic())

    queue = InProcessQueue([job], [], {}, lambda: NOW)  # a frozen clock must not stretch the wait
    asked = time.monotonic()
    assert await queue.enqueue("job", job_id="soon", defer_until=datetime.now(UTC) + timedelta(seconds=0.3))
    assert await queue.enqueue("job", job_id="far", defer_until=datetime.now(UTC) + timedelta(days=1))
    await asyncio.wait_for(queue.drain(), 5)
    assert len(ran) == 2 and all(0.25 < t - asked < 2 for t in ran), [t - asked for t in ran]
    await queue.close()
