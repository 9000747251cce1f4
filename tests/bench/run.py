"""`make bench`: the whole system at national scale, one table of figures.

    .venv/bin/python -m tests.bench.run [--size 1000000] [--seconds 30] [--clients 16]

Steps: a PostgreSQL database with the demo state only (the empty case) and one with
SIZE generated grievances (made once per seed and size by `tests.bench.generate`,
then cloned for each run so every run starts from the same data); the real servers
(`grievance serve --workers N` and `grievance worker`, production mode, Redis) on
each; the scenarios from this process over loopback; the plain-SQL floor. Prints the
table and writes it, with the raw figures, to var/bench/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from backend.db import close_db, init_db
from backend.settings import Settings, generate_vapid_keys
from tests.bench import operations as ops
from tests.bench import scenarios
from tests.bench.actors import prepare
from tests.bench.harness import ROOT, SECRET, Client, Server, Target, sampling, start, summary, wait_ready

PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/9"
OUT = ROOT / "var" / "bench"


def _settings(target: Target) -> Settings:
    return Settings(environment="production", var_dir=target.var_dir, database_url=target.database_url,
                    redis_url=target.redis_url, secret_key=SECRET, vapid_private_key=target.vapid_private,
                    vapid_public_key=target.vapid_public, vapid_subject="mailto:bench@localhost", debug=False,
                    public_url="http://127.0.0.1:8000", allowed_origins=("http://127.0.0.1:8000",), sms_log_path=None)


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(f"{PG.replace('postgres://', 'postgresql://')}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def clone(template: str, name: str) -> str:
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{PG}/{name}"


async def flush_redis() -> None:
    import redis.asyncio as aioredis

    r = aioredis.from_url(REDIS)
    await r.flushdb()
    await r.aclose()


class Stack:
    """The API processes and one worker on one database."""

    def __init__(self, target: Target, port: int, api_processes: int, label: str) -> None:
        self.target, self.port, self.api_processes, self.label = target, port, api_processes, label
        self.servers: list[Server] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> Stack:
        await flush_redis()
        env = self.target.env(self.port)
        logs = OUT / "logs" / self.label
        api = start("api", ["serve", "--host", "127.0.0.1", "--port", str(self.port),
                            "--workers", str(self.api_processes)], env, logs)
        self.servers.append(api)
        await wait_ready(self.base_url, api)
        self.servers.append(start("worker", ["worker"], env, logs))
        return self

    async def __aexit__(self, *exc: object) -> None:
        for s in self.servers:
            s.stop()

    def memory(self) -> dict[str, list[float]]:
        return {s.name: s.peak_mb() for s in self.servers}


@contextmanager
def profiling(server: Server, label: str, enabled: bool, seconds: float) -> Iterator[None]:
    """py-spy on each API process for the timed part (collapsed stacks, for `tests.bench.profile`)."""
    if not enabled:
        yield
        return
    spies = [subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw", "--rate", "200",
                               "--duration", str(int(seconds)), "--pid", str(pid), "--output",
                               str(OUT / f"profile-{label}-{pid}.txt")], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for pid in server.pids()]
    try:
        yield
    finally:
        for spy in spies:
            spy.wait(timeout=60)


async def sign_in_staff(client: Client) -> scenarios.Staff:
    tokens = []
    for username in ("cell.operator", "nodal.revenue", "secretary.revenue"):
        data = await client.gql("sign_in", ops.SIGN_IN, {"u": username, "p": "demo-pass-2026"})
        tokens.append(data["authSignInPassword"]["token"])
    return scenarios.Staff(*tokens)


async def lifecycle_case(target: Target, label: str, args: argparse.Namespace) -> dict[str, Any]:
    await init_db(target.database_url)
    world = await prepare(_settings(target), citizens=2000)
    await close_db()
    async with Stack(target, 8100, args.api_processes, label) as stack:
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as http:
            client = Client(http, [stack.base_url])
            staff = await sign_in_staff(client)
            # A short warm-up (imports, caches, connection pools), not counted.
            await scenarios.lifecycles(client, staff, world, clients=4, seconds=3, seed=1)
            client.latencies.clear()
            for s in stack.servers:
                s.reset_peaks()
            with sampling(stack.servers), profiling(stack.servers[0], label, args.profile, args.seconds):
                outcome = await scenarios.lifecycles(client, staff, world, clients=args.clients,
                                                     seconds=args.seconds, seed=2)
        return {"scenario": f"lifecycle ({label})", "rate": outcome.rate, "done": outcome.done,
                "failed": outcome.failed, "errors": outcome.errors,
                "ops": {op: summary(client.latencies.get(op, [])) for op in scenarios.LIFECYCLE_OPS},
                "all_ops": summary([v for op in scenarios.LIFECYCLE_OPS for v in client.latencies.get(op, [])]),
                "memory": stack.memory()}


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="bench_explore")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--api-processes", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="py-spy the API processes (needs py-spy)")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    private, public = generate_vapid_keys()
    url = await clone(args.database, "bench_run")
    target = Target(url, REDIS, OUT / "var", private, public)
    started = time.monotonic()
    result = await lifecycle_case(target, "explore", args)
    print(json.dumps(result, indent=1, default=str))
    print(f"took {time.monotonic() - started:.0f} s", file=sys.stderr)
    (OUT / f"result-{datetime.now(UTC):%Y%m%dT%H%M%S}.json").write_text(json.dumps(result, default=str))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
