"""Scenario 3, in its own process like a worker: the escalation sweep as the worker
runs it (`workers.sla.sweep_escalations`), timed, with this process's peak memory.

    python -m tests.bench.sweep DATABASE_URL REDIS_URL [--repeat N]

Prints one JSON line per sweep: seconds, grievances escalated, peak RSS (MB)."""

from __future__ import annotations

import asyncio
import cProfile
import json
import os
import pstats
import resource
import sys
import time

from backend.core.broadcast import RedisBroadcast
from backend.db import close_db, init_db
from backend.ops import collector
from workers.sla import sweep_escalations

PROFILE = bool(os.environ.get("BENCH_PROFILE_SWEEP"))
PROFILE_LINES = int(os.environ.get("BENCH_PROFILE_LINES", "40"))


async def main(database_url: str, redis_url: str, repeat: int) -> None:
    await init_db(database_url)
    broadcast = RedisBroadcast.from_url(redis_url)
    collector.settle()  # as the worker's on_startup does
    try:
        for _ in range(repeat):
            profile = cProfile.Profile() if PROFILE else None
            started = time.perf_counter()
            if profile:
                profile.enable()
            done = await sweep_escalations({"broadcast": broadcast})
            seconds = time.perf_counter() - started
            if profile:
                profile.disable()
                pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(PROFILE_LINES)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(json.dumps({"seconds": seconds, "escalated": done, "peak_mb": round(peak, 1)}), flush=True)
    finally:
        await broadcast.close()
        await close_db()


if __name__ == "__main__":
    args = sys.argv[1:]
    repeat = int(args[args.index("--repeat") + 1]) if "--repeat" in args else 1
    asyncio.run(main(args[0], args[1], repeat))
