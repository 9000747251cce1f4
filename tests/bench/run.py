"""`make bench`: the whole system at national scale, one table of figures.

    .venv/bin/python -m tests.bench.run [--size 1000000] [--seed 7] [--seconds 30] [--clients 16]
                                        [--only empty,lifecycle,reads,sweep,live,pwa,floor] [--profile]

Databases (PostgreSQL on 127.0.0.1:5432): `bench_base` holds the demo state (made once
with `grievance demo --no-serve`); `bench_<size>_s<seed>` holds it plus SIZE generated
grievances (made once by `tests.bench.generate`, marked complete by a comment). Each
scenario runs on a fresh clone of one of them, so every run starts from the same data.
The servers are the real `grievance serve --workers N` and `grievance worker`
(production mode, Redis database 9) and the load comes from this process over
loopback, bounded in clients and time. Prints the table and writes it, with the raw
figures, to var/bench/.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import aiohttp
import asyncpg

from backend.db import close_db, init_db
from backend.settings import Settings, generate_vapid_keys
from tests.bench import floor, live, scenarios
from tests.bench import operations as ops
from tests.bench.actors import prepare
from tests.bench.harness import BIN, ROOT, SECRET, Client, Server, Target, sampling, start, summary, wait_ready

PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/9"
OUT = ROOT / "var" / "bench"
BASE = "bench_base"
RUN = "bench_run"
ALL = ("empty", "lifecycle", "reads", "sweep", "live", "pwa", "floor")


def _dsn(database: str) -> str:
    return f"{PG.replace('postgres://', 'postgresql://')}/{database}"


async def _admin(sql: str, *args: Any) -> Any:
    conn = await asyncpg.connect(_dsn("postgres"))
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def _marker(database: str) -> str | None:
    exists = await _admin("SELECT 1 FROM pg_database WHERE datname = $1", database)
    if not exists:
        return None
    value: str | None = await _admin("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
                                     database)
    return value or ""


async def ensure_databases(size: int, seed: int) -> str:
    """The base and the generated database, made when missing; returns the latter's name."""
    target = f"bench_{size}_s{seed}"
    if await _marker(BASE) != "bench base complete":
        print(f"making {BASE} (the demo state)", flush=True)
        await _admin(f'DROP DATABASE IF EXISTS "{BASE}" WITH (FORCE)')
        await _admin(f'CREATE DATABASE "{BASE}"')
        env = Target(f"{PG}/{BASE}", REDIS, OUT / "var", "", "").env()
        env.pop("GRIEVANCE_ENV")  # the demo loader runs in the embedded mode, on PostgreSQL
        subprocess.run([str(BIN / "grievance"), "demo", "--no-serve"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        await _admin(f"COMMENT ON DATABASE \"{BASE}\" IS 'bench base complete'")
    # The code's migrations (new indexes, say) are applied to both once, not to each clone;
    # the base's first, as the generator writes the rollup tables the code has.
    _migrate(BASE)
    wanted = f"generated size={size} seed={seed} complete"
    if await _marker(target) != wanted:
        print(f"making {target}: {size} grievances (once; several minutes)", flush=True)
        await _admin(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        await _admin(f'CREATE DATABASE "{target}" TEMPLATE "{BASE}"')
        subprocess.run([sys.executable, "-m", "tests.bench.generate", "--database-url", f"{PG}/{target}", "--size",
                        str(size), "--seed", str(seed)], cwd=ROOT, check=True)
        await _admin(f"COMMENT ON DATABASE \"{target}\" IS '{wanted}'")
    _migrate(target)
    return target


def _migrate(database: str) -> None:
    env = Target(f"{PG}/{database}", REDIS, OUT / "var", "", "").env()
    env.pop("GRIEVANCE_ENV")
    subprocess.run([str(BIN / "grievance"), "migrate"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


async def clone(template: str) -> str:
    await _admin(f'DROP DATABASE IF EXISTS "{RUN}" WITH (FORCE)')
    await _admin(f'CREATE DATABASE "{RUN}" TEMPLATE "{template}"')
    return f"{PG}/{RUN}"


async def flush_redis() -> None:
    import redis.asyncio as aioredis

    r = aioredis.from_url(REDIS)
    await r.flushdb()
    await r.aclose()


def _settings(target: Target) -> Settings:
    return Settings(environment="production", var_dir=target.var_dir, database_url=target.database_url,
                    redis_url=target.redis_url, secret_key=SECRET, vapid_private_key=target.vapid_private,
                    vapid_public_key=target.vapid_public, vapid_subject="mailto:bench@localhost", debug=False,
                    public_url="http://127.0.0.1:8100", allowed_origins=("http://127.0.0.1:8100",), sms_log_path=None)


class Stack:
    """API processes, one `serve` per port, and a worker."""

    def __init__(self, target: Target, label: str, ports: list[int], worker: bool = True) -> None:
        self.target, self.label, self.ports, self.worker = target, label, ports, worker
        self.servers: list[Server] = []

    def url(self, i: int = 0) -> str:
        return f"http://127.0.0.1:{self.ports[i]}"

    async def __aenter__(self) -> Stack:
        await flush_redis()
        logs = OUT / "logs" / self.label
        # Every API process accepts the first port's origin (the websocket handshake checks it).
        env = self.target.env(self.ports[0], GRIEVANCE_ALLOWED_ORIGINS=",".join(self.url(i) for i in range(len(self.ports))))
        for i, port in enumerate(self.ports):
            api = start(f"api-{port}", ["serve", "--host", "127.0.0.1", "--port", str(port)], env, logs)
            self.servers.append(api)
            await wait_ready(self.url(i), api)
        if self.worker:
            self.servers.append(start("worker", ["worker"], env, logs))
        return self

    async def __aexit__(self, *exc: object) -> None:
        for s in self.servers:
            s.stop()

    def reset(self) -> None:
        for s in self.servers:
            s.reset_peaks()

    def memory(self) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        for s in self.servers:
            out.setdefault("worker" if s.name == "worker" else "api", []).extend(s.peak_mb())
        return out


@contextmanager
def profiling(server: Server, label: str, enabled: bool, seconds: float) -> Iterator[None]:
    """py-spy on each API process for the timed part (collapsed stacks, for `tests.bench.profile`)."""
    if not enabled:
        yield
        return
    spies = [subprocess.Popen([str(BIN / "py-spy"), "record", "--format", "raw", "--rate", "200", "--duration",
                               str(int(seconds)), "--pid", str(pid), "--output", str(OUT / f"profile-{label}-{pid}.txt")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for pid in server.pids()]
    try:
        yield
    finally:
        for spy in spies:
            spy.wait(timeout=120)


async def sign_in(client: Client, username: str) -> str:
    data = await client.gql("sign_in", ops.SIGN_IN, {"u": username, "p": "demo-pass-2026"})
    token: str = data["authSignInPassword"]["token"]
    return token


async def table_writes(database_url: str) -> dict[str, tuple[int, int]]:
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await conn.fetch("SELECT relname, n_tup_ins, n_tup_upd FROM pg_stat_user_tables")
        return {r["relname"]: (r["n_tup_ins"], r["n_tup_upd"]) for r in rows}
    finally:
        await conn.close()


def _ports(args: argparse.Namespace) -> list[int]:
    """One `serve` per API process, each on its own port, the client going round robin
    over them per request, as nginx does over an upstream of one server per process.
    (`serve --workers N` shares one port: its processes get the client's keep-alive
    connections as they happen to accept them, 8/8 in one run and 13/3 in the next, and the
    lifecycle rate followed, 12-18/s.)"""
    return [8100 + i for i in range(args.api_processes)]


def _client(http: aiohttp.ClientSession, stack: Stack) -> Client:
    return Client(http, [stack.url(i) for i in range(len(stack.ports))])


async def lifecycle_case(template: str, label: str, args: argparse.Namespace, keys: tuple[str, str]) -> dict[str, Any]:
    target = Target(await clone(template), REDIS, OUT / "var", *keys)
    await init_db(target.database_url)
    world = await prepare(_settings(target), citizens=2000)
    await close_db()
    async with Stack(target, label, _ports(args)) as stack, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        client = _client(http, stack)
        staff = scenarios.Staff(*[await sign_in(client, u) for u in ("cell.operator", "nodal.revenue", "secretary.revenue")])
        # A short warm-up (imports, caches, connection pools), not counted.
        await scenarios.lifecycles(client, staff, world, clients=4, seconds=3, seed=1)
        client.latencies.clear()
        stack.reset()
        await asyncio.sleep(1.5)  # PostgreSQL's counters are flushed about once a second
        before = await table_writes(target.database_url)
        with sampling(stack.servers), profiling(stack.servers[0], label, args.profile, args.seconds):
            outcome = await scenarios.lifecycles(client, staff, world, clients=args.clients, seconds=args.seconds, seed=2)
        await asyncio.sleep(1.5)
        after = await table_writes(target.database_url)
        done = max(outcome.done, 1)
        writes = {t: [round((after[t][0] - before.get(t, (0, 0))[0]) / done, 2),
                      round((after[t][1] - before.get(t, (0, 0))[1]) / done, 2)]
                  for t in after if after[t] != before.get(t, (0, 0))}
        return {"scenario": f"lifecycle ({label})", "rate": outcome.rate, "done": outcome.done, "failed": outcome.failed,
                "errors": outcome.errors, "ops": {op: summary(client.latencies.get(op, [])) for op in scenarios.LIFECYCLE_OPS},
                "all": summary([v for op in scenarios.LIFECYCLE_OPS for v in client.latencies.get(op, [])]),
                "writes_per_lifecycle": writes, "memory": stack.memory()}


async def reads_case(template: str, args: argparse.Namespace, keys: tuple[str, str]) -> list[dict[str, Any]]:
    target = Target(await clone(template), REDIS, OUT / "var", *keys)
    results = []
    async with Stack(target, "reads", _ports(args)) as stack, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        client = _client(http, stack)
        officer, nodal, cell = [await sign_in(client, u) for u in ("bdo.bihta", "nodal.revenue", "cell.operator")]
        gob = await _admin_db(target.database_url, "SELECT id FROM org_unit WHERE code = 'GOB'")
        window = scenarios.month_window(datetime.now(UTC).date())
        cases = [
            ("inbox: a block officer's first page", ops.INBOX, {}, officer, "inbox"),
            ("inbox: a department's nodal officer, first page", ops.INBOX, {}, nodal, "inbox"),
            ("dashboard: the state's headline figures (30 days)", ops.DASHBOARD, {"u": str(gob), **window}, cell, "dashboard"),
            ("dashboard: the state's whole console screen", ops.DASHBOARD_SCREEN, {"u": str(gob), **window}, cell, "dashboard"),
        ]
        for name, query, variables, token, check in cases:
            await scenarios.repeat_query(client, "warm", query, variables, token, clients=2, seconds=2, check=check)
            client.latencies.clear()
            stack.reset()
            with sampling(stack.servers):
                outcome = await scenarios.repeat_query(client, name, query, variables, token, clients=args.read_clients,
                                                       seconds=args.read_seconds, check=check)
            results.append({"scenario": name, "rate": outcome.rate, "done": outcome.done, "failed": outcome.failed,
                            "errors": outcome.errors, "all": summary(client.latencies.get(name, [])),
                            "memory": stack.memory()})
    return results


async def _admin_db(database_url: str, sql: str) -> Any:
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


def _sweep(database_url: str, repeat: int) -> list[dict[str, Any]]:
    done = subprocess.run([sys.executable, "-m", "tests.bench.sweep", database_url, REDIS, "--repeat", str(repeat)],
                          cwd=ROOT, check=True, capture_output=True, text=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


async def sweep_case(template: str, overdue: int) -> list[dict[str, Any]]:
    url = await clone(template)
    await flush_redis()
    idle = _sweep(url, 20)[1:]  # the first pays for imports and connections
    idle_seconds = [r["seconds"] for r in idle]
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    marked = await conn.execute(
        "UPDATE grv_grievance SET escalation_due_at = now() - interval '1 minute' WHERE id IN (SELECT id FROM grv_grievance "
        "WHERE status NOT IN ('closed', 'rejected', 'awaiting_citizen') AND escalation_due_at IS NOT NULL "
        "ORDER BY escalation_level, md5(id::text) LIMIT $1)",
        overdue)
    await conn.execute("ANALYZE grv_grievance")
    await conn.close()
    busy = _sweep(url, 1)[0]
    return [{"scenario": "sweep: nothing due among all", "rate": None, "done": len(idle), "failed": 0,
             "all": summary(idle_seconds), "memory": {"worker": [max(r["peak_mb"] for r in idle)]}},
            {"scenario": f"sweep: {overdue} overdue ({marked.split()[-1]} marked)", "rate": busy["escalated"] / busy["seconds"],
             "done": busy["escalated"], "failed": overdue - busy["escalated"], "all": summary([busy["seconds"]]),
             "memory": {"worker": [busy["peak_mb"]]}}]


async def live_case(template: str, args: argparse.Namespace, keys: tuple[str, str]) -> dict[str, Any]:
    target = Target(await clone(template), REDIS, OUT / "var", *keys)
    # One single-process server holds every subscription.
    async with Stack(target, "live", [8100], worker=False) as stack, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        client = _client(http, stack)
        cell = await sign_in(client, "cell.operator")
        conn = await asyncpg.connect(target.database_url.replace("postgres://", "postgresql://", 1))
        ids = [str(r["id"]) for r in await conn.fetch(
            "SELECT id FROM grv_grievance WHERE status NOT IN ('closed', 'rejected') ORDER BY id DESC LIMIT $1",
            args.subscribers)]
        await conn.close()
        stack.reset()
        with sampling(stack.servers[:1]):
            out = await live.run(target.database_url, REDIS, stack.url(0), cell, ids, rate=args.update_rate)
        return {"scenario": f"live: {out.subscribers} subscriptions on one process, one update each",
                "rate": None,
                "done": len(out.delivered), "failed": out.missing, "all": summary(out.delivered),
                "connect_seconds": out.connect_seconds, "update_rate": args.update_rate,
                "memory": {"api": stack.servers[0].peak_mb()}}


async def pwa_case(template: str, keys: tuple[str, str]) -> dict[str, Any]:
    """The citizen PWA's first load in Debian's Chromium through the real server: every
    response the page fetches, and its size gzip-compressed as nginx sends it."""
    from playwright.async_api import async_playwright

    target = Target(await clone(template), REDIS, OUT / "var", *keys)
    async with Stack(target, "pwa", [8100], worker=False) as stack, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = await browser.new_page()
        fetched: dict[str, int] = {}

        async def on_response(response: Any) -> None:
            if response.url.startswith(stack.url()) and "/graphql" not in response.url:
                fetched[response.url] = len(gzip.compress(await response.body(), compresslevel=6))

        page.on("response", on_response)
        await page.goto(stack.url() + "/", wait_until="networkidle")
        await browser.close()
    total = sum(fetched.values())
    return {"scenario": "PWA first load", "rate": None, "done": len(fetched), "failed": 0,
            "bytes_gzip": total, "files": fetched, "all": {}, "memory": {}}


async def storage(database_url: str, grievances: int) -> dict[str, Any]:
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await conn.fetch("SELECT relname, pg_table_size(c.oid) AS t, pg_indexes_size(c.oid) AS i FROM pg_class c "
                                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' "
                                "ORDER BY pg_total_relation_size(c.oid) DESC")
        total_t, total_i = sum(r["t"] for r in rows), sum(r["i"] for r in rows)
        return {"grievances": grievances, "table_bytes": total_t, "index_bytes": total_i,
                "per_grievance_bytes": (total_t + total_i) / max(grievances, 1),
                "projection_10m_gb": (total_t + total_i) / max(grievances, 1) * 10_000_000 / 1e9,
                "tables": {r["relname"]: [r["t"], r["i"]] for r in rows[:12]}}
    finally:
        await conn.close()


def _fmt(v: float | None, digits: int = 1) -> str:
    return "-" if v is None or v != v else f"{v:.{digits}f}"


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| scenario | rate /s | n | failed | p50 ms | p95 ms | p99 ms | peak MB per process |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        a = r.get("all") or {}
        memory = "; ".join(f"{k} {', '.join(_fmt(x, 0) for x in v)}" for k, v in r.get("memory", {}).items())
        if "bytes_gzip" in r:
            lines.append(f"| {r['scenario']} | - | {r['done']} files | 0 | {r['bytes_gzip'] / 1024:.1f} KB gzip | | | |")
            continue
        lines.append(f"| {r['scenario']} | {_fmt(r.get('rate'))} | {r['done']} | {r['failed']} | {_fmt(a.get('p50_ms'))} | "
                     f"{_fmt(a.get('p95_ms'))} | {_fmt(a.get('p99_ms'))} | {memory} |")
        for op, s in (r.get("ops") or {}).items():
            lines.append(f"| &nbsp;&nbsp;{op} | | {s['n']} | | {_fmt(s['p50_ms'])} | {_fmt(s['p95_ms'])} | "
                         f"{_fmt(s['p99_ms'])} | |")
    return "\n".join(lines)


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=30, help="each lifecycle run")
    parser.add_argument("--clients", type=int, default=16, help="concurrent lifecycle clients")
    parser.add_argument("--api-processes", type=int, default=2)
    parser.add_argument("--read-clients", type=int, default=4)
    parser.add_argument("--read-seconds", type=float, default=10)
    parser.add_argument("--overdue", type=int, default=10_000)
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--update-rate", type=float, default=500, help="updates per second in the live scenario")
    parser.add_argument("--only", default=",".join(ALL))
    parser.add_argument("--profile", action="store_true", help="py-spy the API processes during lifecycles")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    OUT.mkdir(parents=True, exist_ok=True)
    random.seed(args.seed)
    keys = generate_vapid_keys()
    started = time.monotonic()
    big = await ensure_databases(args.size, args.seed)
    results: list[dict[str, Any]] = []
    if "empty" in only:
        results.append(await lifecycle_case(BASE, "empty database", args, keys))
    if "lifecycle" in only:
        results.append(await lifecycle_case(big, f"{args.size:,} grievances", args, keys))
    if "reads" in only:
        results += await reads_case(big, args, keys)
    if "sweep" in only:
        results += await sweep_case(big, args.overdue)
    if "live" in only:
        results.append(await live_case(big, args, keys))
    if "pwa" in only:
        results.append(await pwa_case(BASE, keys))
    extra: dict[str, Any] = {}
    if "floor" in only:
        url = await clone(big)
        extra["floor"] = await floor.run(url, seconds=args.seconds)
        extra["storage"] = await storage(f"{PG}/{big}", args.size)
    text = table(results)
    if "floor" in extra:
        f = extra["floor"]
        app = next((r for r in results if r["scenario"].startswith("lifecycle (") and "empty" not in r["scenario"]), None)
        ratio = f" - the API reaches {app['rate'] / f['rate']:.1%} of it" if app else ""
        text += (f"\n\nFloor (the same writes by plain SQL, one process, {f['connections']} connections, at {args.size:,}): "
                 f"{f['rate']:.0f} lifecycles/s{ratio}.")
        s = extra["storage"]
        text += (f"\nStorage at {args.size:,}: tables {s['table_bytes'] / 1e9:.2f} GB + indexes {s['index_bytes'] / 1e9:.2f} GB "
                 f"= {s['per_grievance_bytes'] / 1024:.1f} KB per grievance; 10 million: about {s['projection_10m_gb']:.0f} GB.")
    empty = next((r for r in results if "empty" in r["scenario"]), None)
    full = next((r for r in results if r["scenario"].startswith("lifecycle (") and "empty" not in r["scenario"]), None)
    if empty and full and empty["rate"]:
        text += f"\nLifecycle rate at {args.size:,} is {full['rate'] / empty['rate']:.0%} of the rate on an empty database."
    print(text)
    print(f"(took {time.monotonic() - started:.0f} s)", file=sys.stderr)
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S}"
    (OUT / f"result-{stamp}.json").write_text(json.dumps({"args": vars(args), "results": results, **extra}, default=str,
                                                         indent=1))
    (OUT / f"result-{stamp}.md").write_text(text + "\n")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
