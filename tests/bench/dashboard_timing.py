"""Time the dashboard screen's services directly (no HTTP, no GraphQL): the state's
headline figures, its breakdown by child unit, the ranking of its children, the trend,
the spike alerts and the monthly reports, each several times, as the state-level
official the benchmark signs in as (cell.operator, at GOB).

    .venv/bin/python -m tests.bench.dashboard_timing --database-url postgresql://... [--repeat 20]

Prints p50 and the minimum per call in milliseconds, and the whole screen's sum; then
the benchmark's two GraphQL documents (the headline, the whole screen) through the ASGI
app in this process (no network, no other load): the difference is GraphQL's share."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from backend.accounts.models import StaffUser
from backend.accounts.sign_in import _open_session, grants_of
from backend.app import create_app
from backend.authz.actors import Actor, ActorKind
from backend.core.broadcast import InProcessBroadcast
from backend.core.queue import InProcessQueue
from backend.db import close_db, init_db
from backend.notifications.sms import LogSmsGateway
from backend.orgs.models import Unit
from backend.runtime import Runtime
from backend.settings import load_settings
from backend.stats import dashboard, ranking, reports, spikes
from backend.stats.dashboard import NO_FILTER, Breakdown
from tests.bench import operations as ops


async def _time(call: Callable[[], Awaitable[Any]], repeat: int) -> list[float]:
    await call()  # warm the caches and the connection
    spent = []
    for _ in range(repeat):
        started = time.perf_counter()
        await call()
        spent.append((time.perf_counter() - started) * 1000)
    return spent


async def _graphql(url: str, staff: StaffUser, unit_id: int, since: date, until: date, repeat: int) -> None:
    settings = load_settings({"DATABASE_URL": url, "GRIEVANCE_VAR_DIR": "var/bench"})
    now = datetime.now(UTC)
    token = (await _open_session(settings, staff=staff, now=now, client_address="127.0.0.1",
                                 ttl=timedelta(hours=1))).token
    broadcast = InProcessBroadcast()
    sms = LogSmsGateway(settings.sms_log_path)
    queue = InProcessQueue({}, [], {"settings": settings, "sms": sms, "broadcast": broadcast}, lambda: now)
    app = create_app(settings, Runtime(settings, queue, broadcast, sms, owns_database=False))
    variables = {"u": str(unit_id), "s": since.isoformat(), "e": until.isoformat()}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        for name, document in (("graphql headline", ops.DASHBOARD), ("graphql screen", ops.DASHBOARD_SCREEN)):
            async def call(document: str = document) -> None:
                response = await client.post("/graphql", json={"query": document, "variables": variables},
                                             headers={"authorization": f"Bearer {token}"})
                body = response.json()
                assert response.status_code == 200 and not body.get("errors"), str(body)[:300]
                assert body["data"]["dashboard"]["__typename"] == "Dashboard", str(body)[:300]

            spent = await _time(call, repeat)
            print(f"{name:20s} p50 {statistics.median(spent):7.1f} ms   min {min(spent):7.1f} ms", flush=True)
    await queue.close()
    await broadcast.close()


async def run(url: str, repeat: int, today: date) -> None:
    await init_db(url)
    try:
        staff = await StaffUser.get(username="cell.operator")
        actor = Actor(ActorKind.STAFF, staff.id, staff.full_name, await grants_of(staff.id))
        gob = (await Unit.get(code="GOB")).id
        since, until = today - timedelta(days=30), today
        calls: dict[str, Callable[[], Awaitable[Any]]] = {
            "headline": lambda: dashboard.dashboard(actor, gob, since, until, NO_FILTER, today),
            "children breakdown": lambda: dashboard.breakdown(actor, gob, since, until, Breakdown.CHILD_UNIT,
                                                              NO_FILTER),
            "ranking": lambda: ranking.ranking(actor, gob, since, until, today),
            "trend": lambda: dashboard.trend(actor, gob, since, until, NO_FILTER),
            "spikes": lambda: spikes.alerts_for(actor, gob, since=since),
            "reports": lambda: reports.reports_for(actor, gob),
        }
        whole = 0.0
        for name, call in calls.items():
            spent = await _time(call, repeat)
            whole += statistics.median(spent)
            print(f"{name:20s} p50 {statistics.median(spent):7.1f} ms   min {min(spent):7.1f} ms", flush=True)
        print(f"{'whole screen (sum)':20s} p50 {whole:7.1f} ms")
        await _graphql(url, staff, gob, since, until, repeat)
    finally:
        await close_db()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--today", default=None, help="ISO date (default: today, UTC)")
    args = parser.parse_args(argv)
    today = date.fromisoformat(args.today) if args.today else datetime.now(UTC).date()
    asyncio.run(run(args.database_url, args.repeat, today))


if __name__ == "__main__":
    main(sys.argv[1:])
