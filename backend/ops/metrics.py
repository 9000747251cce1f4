"""Prometheus metrics: what the process counts, and the service's state read at scrape.

Counted in-process on every request (no database on that path): HTTP requests and
their latency, GraphQL operations and their outcome, live websocket connections.
Read from the database and the queue only when /metrics is scraped, and then at most
once per `STATE_TTL` per process (so a 15 s scrape interval, or several scrapers,
cost one set of queries): the outbox backlog, overdue grievances (a range count on the
`due_at` index), the job queue's length.

Labels carry route templates, operation (root field) names, error codes and status
codes: never a path with an id in it, a number, a name or anything a citizen typed.

Several API processes: with PROMETHEUS_MULTIPROC_DIR set (`grievance serve --workers N`
sets it), prometheus_client keeps each process's counters in files there and a
scrape of any process sums them all; otherwise each process reports its own.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector
from tortoise.queryset import CountQuery

from backend.core.queue import ArqQueue, InProcessQueue, JobQueue

STATE_TTL = 30.0  # seconds a scrape reuses the last database and queue figures
MULTIPROCESS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"

HTTP_REQUESTS = Counter(
    "grievance_http_requests", "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "grievance_http_request_duration_seconds", "Time to answer an HTTP request, by method and route template.",
    ["method", "route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
GRAPHQL_OPERATIONS = Counter(
    "grievance_graphql_operations", "GraphQL operations by type, root field (`several` when more than one) and "
    "result: success, the OperationError code of a refusal, or error.",
    ["type", "operation", "result"],
)
WEBSOCKETS = Gauge(
    "grievance_websocket_connections", "Live (accepted) websocket connections.", multiprocess_mode="livesum",
)


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROCESS_DIR_ENV))


@dataclass(eq=False)  # hashable by identity: a registry keys its collectors
class ServiceState(Collector):
    """The figures read from the database and the queue, cached for STATE_TTL."""

    queue: JobQueue | None = None
    values: dict[str, float] = field(default_factory=dict)
    fetched_at: float = float("-inf")
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def refresh(self, now: datetime, *, clock: float | None = None) -> None:
        clock = time.monotonic() if clock is None else clock
        if clock - self.fetched_at < STATE_TTL:
            return
        async with self.lock:  # concurrent scrapes wait for one refresh
            if clock - self.fetched_at < STATE_TTL:
                return
            self.values = await read_state(self.queue, now)
            self.fetched_at = clock

    def collect(self) -> Iterable[GaugeMetricFamily]:
        if not self.values:
            return
        outbox = GaugeMetricFamily("grievance_outbox_messages", "Outbox messages waiting to be sent (pending) or "
                                   "given up on (dead).", labels=["status"])
        for status in ("pending", "dead"):
            outbox.add_metric([status], self.values[f"outbox_{status}"])
        yield outbox
        yield GaugeMetricFamily("grievance_overdue_grievances", "Grievances whose running stage is past its due time.",
                                value=self.values["overdue"])
        yield GaugeMetricFamily("grievance_job_queue_depth", "Background jobs waiting in the arq queue (Redis), or "
                                "running in this process (embedded).", value=self.values["queue_depth"])
        yield GaugeMetricFamily("grievance_state_age_seconds", "Age of the outbox, overdue and queue figures "
                                "(they are cached between scrapes).", value=time.monotonic() - self.fetched_at)


async def queue_depth(queue: JobQueue | None) -> int:
    if isinstance(queue, ArqQueue):
        from arq.constants import default_queue_name

        return int(await queue.pool.zcard(default_queue_name))
    if isinstance(queue, InProcessQueue):
        return queue.depth()
    return 0


def overdue_query(now: datetime) -> CountQuery:
    """A count over the `due_at` index's range (closed grievances have no due time), so
    no grievance row is read: the cost follows the overdue count, not the table."""
    from backend.grievances.models import Grievance

    return Grievance.filter(due_at__lt=now).count()


async def read_state(queue: JobQueue | None, now: datetime) -> dict[str, float]:
    from backend.notifications.models import OutboxMessage, OutboxStatus

    return {
        "outbox_pending": await OutboxMessage.filter(status=OutboxStatus.PENDING).count(),
        "outbox_dead": await OutboxMessage.filter(status=OutboxStatus.DEAD).count(),
        "overdue": await overdue_query(now),
        "queue_depth": await queue_depth(queue),
    }


def exposition(state: ServiceState) -> tuple[bytes, str]:
    """The text a scrape gets: this process's (or every process's) counters, then the state."""
    if multiprocess():
        from prometheus_client import multiprocess as mp

        counted = CollectorRegistry()
        mp.MultiProcessCollector(counted)  # type: ignore[no-untyped-call]
    else:
        counted = REGISTRY
    read = CollectorRegistry(auto_describe=False)
    read.register(state)
    return generate_latest(counted) + generate_latest(read), CONTENT_TYPE_LATEST


def mark_process_dead() -> None:
    """At shutdown in multiprocess mode: drop this process's live gauges from the sums."""
    if multiprocess():
        from prometheus_client import multiprocess as mp

        mp.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
