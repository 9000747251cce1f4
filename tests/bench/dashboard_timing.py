"""Time the dashboard screen's services directly (no HTTP, no GraphQL): the state's
headline figures, its breakdown by child unit, the ranking of its children, the trend,
the spike alerts and the monthly reports, each several times, as the state-level
official the benchmark signs in as (cell.operator, at GOB).

    .venv/bin/python -m tests.bench.dashboard_timing --database-url postgresql://... [--repeat 20]

Prints p50 and the minimum per call in milliseconds, and the whole screen's sum."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from backend.accounts.models import StaffUser
from backend.accounts.sign_in import grants_of
from backend.authz.actors import Actor, ActorKind
from backend.db import close_db, init_db
from backend.orgs.models import Unit
from backend.stats import dashboard, ranking, reports, spikes
from backend.stats.dashboard import NO_FILTER, Breakdown


async def _time(call: Callable[[], Awaitable[Any]], repeat: int) -> list[float]:
    await call()  # warm the caches and the connection
    spent = []
    for _ in range(repeat):
        started = time.perf_counter()
        await call()
        spent.append((time.perf_counter() - started) * 1000)
    return spent


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
