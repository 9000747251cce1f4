"""/metrics through the ASGI app: the counters move with requests, the state gauges
follow the data (cached between scrapes), and who may read it."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from tortoise import connections
from tortoise.transactions import in_transaction

from backend.app import create_app
from backend.core.clock import utcnow
from backend.core.queue import ArqQueue, InProcessQueue
from backend.grievances import intake
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.notifications.models import OutboxChannel, OutboxMessage, OutboxStatus
from backend.ops import metrics
from backend.ops.http import RequestMetrics
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import gql
from tests.conftest import TEST_REDIS_URL
from tests.factories import actor_for, lifecycle_world

pytestmark = pytest.mark.usefixtures("db")


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scraped(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(body) for s in family.samples}


async def scrape(client: httpx.AsyncClient, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return scraped(response.text)


@pytest_asyncio.fixture
async def remote(settings: Settings, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """A client that is not on this host."""
    app = create_app(settings, runtime)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def test_http_requests_are_counted_by_route_template_and_status(client: httpx.AsyncClient) -> None:
    def requests(method: str, route: str, status: str) -> float:
        return sample("grievance_http_requests_total", method=method, route=route, status=status)

    ok = requests("GET", "/healthz", "200")
    timed = sample("grievance_http_request_duration_seconds_count", method="GET", route="/healthz")
    assert (await client.get("/healthz")).status_code == 200
    status = str((await client.get("/attachments/987654")).status_code)
    missing = requests("GET", "/attachments/{id:int}", status)
    await client.get("/attachments/987655")
    body = (await client.get("/metrics")).text
    assert requests("GET", "/healthz", "200") == ok + 1
    assert sample("grievance_http_request_duration_seconds_count", method="GET", route="/healthz") == timed + 1
    assert requests("GET", "/attachments/{id:int}", status) == missing + 1
    # The raw path never becomes a label (a bare "98765" can occur in a timestamp's digits).
    assert 'route="/attachments/{id:int}"' in body and "/attachments/98765" not in body
    # A made-up method is one "other" series, not a new one per spelling.
    other = sum(v for (name, labels), v in scraped(body).items()
                if name == "grievance_http_requests_total" and ("method", "other") in labels)
    await client.request("BREW", "/healthz")
    await client.request("XYZZY", "/healthz")
    after = scraped((await client.get("/metrics")).text)
    assert sum(v for (name, labels), v in after.items()
               if name == "grievance_http_requests_total" and ("method", "other") in labels) == other + 2
    assert "BREW" not in str(after) and "XYZZY" not in str(after)


async def test_graphql_operations_are_counted_by_root_field_and_result(client: httpx.AsyncClient) -> None:
    def count(kind: str, operation: str, result: str) -> float:
        return sample("grievance_graphql_operations_total", type=kind, operation=operation, result=result)

    refused = count("mutation", "authSignInPassword", "INVALID_CREDENTIALS")
    fine = count("query", "__typename", "success")
    broken = count("unknown", "invalid", "error")
    body = await gql(client, """mutation { authSignInPassword(username: "nobody", password: "wrong-password") {
        __typename } }""")
    assert body["data"]["authSignInPassword"]["__typename"] == "OperationError"
    await gql(client, "query Whatever { __typename }")
    response = await client.post("/graphql", json={"query": "{ noSuchField }"})
    assert response.json()["errors"]
    assert count("mutation", "authSignInPassword", "INVALID_CREDENTIALS") == refused + 1
    assert count("query", "__typename", "success") == fine + 1
    assert count("unknown", "invalid", "error") == broken + 1


async def test_outbox_backlog_and_overdue_gauges_follow_the_data_and_are_cached(
        settings: Settings, client: httpx.AsyncClient, runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    cell = await actor_for(w.users["cell"])
    now = utcnow()
    ids = []
    for i in range(3):
        filed = await intake.file_grievance(settings, cell, intake.FilingInput(
            channel=Channel.POST, category_id=w.leaf.id, area_code="BR-A-1", subject=f"Pension {i} stopped",
            description="My pension has not come for three months.", relief_sought="Restore it.",
            citizen_name=f"Citizen {i}", citizen_mobile=f"98765432{i:02d}"), now=now)
        ids.append(filed.grievance.id)
    await Grievance.filter(id=ids[0]).update(due_at=now - timedelta(hours=1))
    await Grievance.filter(id=ids[1]).update(due_at=now + timedelta(days=3))
    await Grievance.filter(id=ids[2]).update(due_at=None)
    await OutboxMessage.all().delete()
    for i, status in enumerate([OutboxStatus.PENDING, OutboxStatus.PENDING, OutboxStatus.DEAD, OutboxStatus.SENT]):
        await OutboxMessage.create(idempotency_key=f"k{i}", channel=OutboxChannel.SMS, recipient="9876500001",
                                   template="grievance_filed", status=status, next_attempt_at=now, created_at=now)
    first = await scrape(client)
    assert first[("grievance_overdue_grievances", ())] == 1
    assert first[("grievance_outbox_messages", (("status", "pending"),))] == 2
    assert first[("grievance_outbox_messages", (("status", "dead"),))] == 1
    assert first[("grievance_job_queue_depth", ())] >= 0

    await Grievance.filter(id=ids[1]).update(due_at=now - timedelta(minutes=1))
    cached = await scrape(client)
    assert cached[("grievance_overdue_grievances", ())] == 1  # within STATE_TTL: no new queries
    state: metrics.ServiceState = client._transport.app.state.metrics_state  # type: ignore[attr-defined]
    state.fetched_at -= metrics.STATE_TTL
    assert (await scrape(client))[("grievance_overdue_grievances", ())] == 2


async def test_the_overdue_count_reads_the_due_at_index_not_the_table() -> None:
    query = metrics.overdue_query(utcnow())
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        _, rows = await conn.execute_query("EXPLAIN QUERY PLAN " + query.sql(params_inline=True))
        plan = " ".join(str(r["detail"]) for r in rows)
        assert "COVERING INDEX" in plan and "due_at" in plan, plan
    else:
        async with in_transaction() as tx:
            # A tiny test table would be scanned anyway; what matters is that the
            # index can answer the count alone.
            await tx.execute_script("SET LOCAL enable_seqscan = off")
            _, rows = await tx.execute_query("EXPLAIN " + query.sql(params_inline=True))
        plan = " ".join(str(next(iter(dict(r).values()))) for r in rows)
        assert "Seq Scan" not in plan and "Index Cond: (due_at <" in plan, plan


async def test_queue_depth_counts_waiting_or_running_jobs() -> None:
    release = asyncio.Event()

    async def blocker(ctx: dict[str, Any]) -> None:
        await release.wait()

    queue = InProcessQueue([blocker], [], {}, utcnow)
    await queue.enqueue("blocker")
    await queue.enqueue("blocker")
    assert await metrics.queue_depth(queue) == 2
    release.set()
    await queue.drain()
    assert await metrics.queue_depth(queue) == 0
    if TEST_REDIS_URL:
        arq = await ArqQueue.connect(TEST_REDIS_URL)
        try:
            await arq.pool.delete("arq:queue")
            await arq.enqueue("metrics_probe", job_id="metrics-probe-1")
            assert await metrics.queue_depth(arq) == 1
        finally:
            await arq.pool.delete("arq:queue", "arq:job:metrics-probe-1")
            await arq.close()


async def test_live_websockets_are_counted_while_open() -> None:
    seen: list[float] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "websocket.accept"})
        seen.append(sample("grievance_websocket_connections"))
        await send({"type": "websocket.close", "code": 1000})

    async def send(message: Any) -> None:
        return None

    before = sample("grievance_websocket_connections")
    await RequestMetrics(app)({"type": "websocket", "path": "/graphql"}, None, send)  # type: ignore[arg-type]
    assert seen == [before + 1] and sample("grievance_websocket_connections") == before


async def test_metrics_are_for_loopback_only_unless_a_token_is_configured(
        settings: Settings, runtime: Runtime, client: httpx.AsyncClient, remote: httpx.AsyncClient) -> None:
    assert (await remote.get("/metrics")).status_code == 403
    # nginx on the same host forwards outsiders from 127.0.0.1: still refused.
    assert (await client.get("/metrics", headers={"x-forwarded-for": "203.0.113.9"})).status_code == 403
    assert (await client.get("/metrics")).status_code == 200

    token = "metrics-token-0123456789abcdef"
    runtime.settings = replace(settings, metrics_token=token)
    for who in (remote, client):
        assert (await who.get("/metrics")).status_code == 401
        assert (await who.get("/metrics", headers={"authorization": "Bearer wrong"})).status_code == 401
        assert (await who.get("/metrics", headers={"authorization": f"Bearer {token}"})).status_code == 200


async def test_no_label_carries_personal_data(settings: Settings, client: httpx.AsyncClient) -> None:
    w = await lifecycle_world(settings)
    cell = await actor_for(w.users["cell"])
    filed = await intake.file_grievance(settings, cell, intake.FilingInput(
        channel=Channel.POST, category_id=w.leaf.id, area_code="BR-A-1", subject="Road washed away",
        description="The village road was washed away in the rains.", relief_sought="Rebuild it.",
        citizen_name="Radha Kumari", citizen_mobile="9812345678"), now=utcnow())
    await client.get(f"/attachments/{filed.grievance.id}")
    body = (await client.get("/metrics")).text
    for secret in ("Radha", "9812345678", filed.grievance.number, "Road washed"):
        assert secret not in body
    assert not re.search(r'route="[^"]*/\d{3,}', body)  # an id as a path segment (not "open311")
