"""A worker SIGKILLed in the middle of sending a batch of notifications, then restarted.

What is promised (and tested): **at-least-once delivery with a dedupe key**. A row is
claimed (pending -> sending) before it is handed to the gateway and marked sent after
the gateway accepted it; a worker that dies between the two leaves the row claimed, and
once the claim is stale (`STALE_CLAIM`) the next dispatch sends it again, with the same
`reference` (`outbox-<row id>`, the DLT operator's client reference). So nothing is lost;
only a message in flight at the moment of the kill can reach the operator twice, and then
under one reference, which an operator (or our fake) deduplicates. Exactly-once is not
possible without the operator's help: the worker cannot know whether a request that was
cut off was accepted.

A real `grievance worker` on the per-run PostgreSQL database and a private Redis sends
SMS through the HTTP (DLT) gateway to a fake operator in this process; the operator
holds its answer to the 15th message, and the worker is killed while it waits.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web

from backend.core.clock import utcnow
from backend.core.queue import ArqQueue
from backend.notifications.models import OutboxChannel, OutboxMessage, OutboxStatus
from backend.notifications.outbox import STALE_CLAIM, enqueue
from tests.faults.conftest import WorkerFactory, needs_services
from tests.faults.processes import PrivateRedis, await_until, service_env
from tests.workers.test_escalation_workers import prepared_var_dir
from tests.workers.test_live_across_processes import free_port
from workers import names

pytestmark = pytest.mark.usefixtures("db")

MESSAGES = 40
HOLD_FROM = 15  # the operator holds its answer from this message on


@dataclass
class FakeOperator:
    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    holding: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    hold: bool = True


@pytest_asyncio.fixture
async def operator() -> AsyncIterator[FakeOperator]:
    port = free_port()
    fake = FakeOperator(f"http://127.0.0.1:{port}/sms")

    async def receive(request: web.Request) -> web.Response:
        fake.received.append(await request.json())
        if fake.hold and len(fake.received) >= HOLD_FROM:
            # Accepted, but the answer is late: the worker is killed while it waits.
            fake.holding.set()
            await fake.release.wait()
        return web.json_response({"status": "accepted"})

    app = web.Application()
    app.router.add_post("/sms", receive)
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield fake
    finally:
        fake.release.set()
        await runner.cleanup()


def mobile(i: int) -> str:
    return f"98767{i:05d}"


@needs_services
async def test_a_worker_killed_mid_dispatch_loses_no_notification_and_resends_only_under_its_dedupe_key(
        private_redis: PrivateRedis, operator: FakeOperator, worker_process: WorkerFactory, tmp_path: Path,
        migrated: str) -> None:
    started = time.monotonic()
    now = utcnow()
    for i in range(MESSAGES):
        await enqueue(key=f"fault-dispatch:{i}:sms", channel=OutboxChannel.SMS, recipient=mobile(i),
                      template="grievance_filed", language="en",
                      payload={"number": f"BR/POST/2026/{i:07d}", "grievance_id": i, "status": "filed"}, now=now)
    env = service_env(migrated, private_redis.url, prepared_var_dir(tmp_path))
    env.update(GRIEVANCE_SMS_URL=operator.url, GRIEVANCE_SMS_API_KEY="key-1", GRIEVANCE_SMS_SENDER="BRGRVC",
               GRIEVANCE_SMS_ENTITY_ID="1101000000000001",
               GRIEVANCE_SMS_TEMPLATES=json.dumps({"grievance_filed": "1107000000000010", "otp": "1107000000000001"}))

    queue = await ArqQueue.connect(private_redis.url)
    try:
        assert await queue.enqueue(names.DISPATCH_OUTBOX, job_id="dispatch-before-kill")
        first = worker_process(env, "worker-killed")
        first.start()

        async def holding() -> bool:
            assert first.alive(), first.tail()
            return operator.holding.is_set()

        await await_until(holding, 90, f"the worker to reach message {HOLD_FROM}\n{first.tail()}")
        first.kill()
        operator.release.set()
        operator.hold = False

        rows = OutboxMessage.filter(idempotency_key__startswith="fault-dispatch:")
        at_kill = Counter(await rows.values_list("status", flat=True))
        in_flight = sorted(await rows.filter(status=OutboxStatus.SENDING).values_list("id", flat=True))
        received_at_kill = len(operator.received)
        context = f" (at the kill: {dict(at_kill)}, operator had {received_at_kill})\n{first.tail()}"
        # Marked sent only what the operator had accepted; claimed only what was in flight.
        assert at_kill[OutboxStatus.SENT] == HOLD_FROM - len(in_flight) and in_flight, context
        assert at_kill[OutboxStatus.SENT] + len(in_flight) == received_at_kill, context
        assert at_kill[OutboxStatus.PENDING] == MESSAGES - received_at_kill, context

        # The dead worker's claims go stale as time passes; pass it (the claim's time is
        # the dispatch's) rather than wait ten minutes.
        await rows.filter(status=OutboxStatus.SENDING).update(next_attempt_at=now - STALE_CLAIM - timedelta(minutes=1))
        assert await queue.enqueue(names.DISPATCH_OUTBOX, job_id="dispatch-after-restart")
        second = worker_process(env, "worker-restarted")
        second.start()

        async def all_sent() -> bool:
            assert second.alive(), second.tail()
            return await rows.filter(status=OutboxStatus.SENT).count() == MESSAGES

        await await_until(all_sent, 90, f"every notification sent after the restart\n{second.tail()}", interval=0.1)
    finally:
        await queue.close()

    references = Counter(str(body["reference"]) for body in operator.received)
    expected = {f"outbox-{i}" for i in await rows.values_list("id", flat=True)}
    assert set(references) == expected, f"references {sorted(set(references) ^ expected)} differ{context}"
    twice = sorted(int(r.removeprefix("outbox-")) for r, n in references.items() if n > 1)
    # Only what was in flight at the kill reached the operator twice, once more each, under
    # its own reference; the operator's view after deduplication: each message once.
    assert twice == in_flight and max(references.values()) == 2, f"sent twice: {twice}{context}"
    by_reference = {str(b["reference"]): (b["to"], b["text"]) for b in operator.received}
    assert sorted(to for to, _ in by_reference.values()) == sorted(f"91{mobile(i)}" for i in range(MESSAGES))
    assert all("has been received" in text for _, text in by_reference.values())
    print(f"\nkilled with {received_at_kill} of {MESSAGES} at the operator ({len(in_flight)} in flight); after the "
          f"restart all {MESSAGES} sent, {len(twice)} twice under the same reference; test "
          f"{time.monotonic() - started:.1f} s")
