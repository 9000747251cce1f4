"""What one held subscription costs the API process in memory, and what that memory is.

    .venv/bin/python -m tests.bench.livemem --database-url postgres://postgres@127.0.0.1:5432/<clone> \
        [--redis-url redis://127.0.0.1:6379/12] [--port 8300] [--counts 500,1000,2000] \
        [--tracemalloc 12] [--updates] [--env NAME=VALUE ...]

For each count, a fresh `grievance serve` (production mode, one process) on an already
generated database; N `grievanceUpdated` websockets (graphql-transport-ws, as
`tests.bench.live` opens them) are opened and held. Reported: the process's RSS and
high-water mark idle and with N held, per connection; and from inside the process
(`backend.ops.memprobe`, which only this sets up) the live Python objects by type and,
with --tracemalloc, the allocations that grew between the idle and the loaded probe.
Subscriptions cycle over the non-closed grievances when there are fewer than N (a
memory figure does not need distinct ones). With --updates, one update per distinct
grievance is then published (`tests.bench.live.run`), so the peak includes delivery.
It only reads the database it is given (apart from the version bumps of --updates),
and never creates or drops one.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import time
import tracemalloc
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from backend.settings import generate_vapid_keys
from tests.bench import live
from tests.bench import operations as ops
from tests.bench.harness import ROOT, Client, Server, Target, sampling, start, summary, wait_ready

OUT = ROOT / "var" / "bench" / "livemem"


def _status_kb(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon"):
            out[key] = int(value.split()[0])
    return out


async def probe(server: Server, directory: Path) -> tuple[dict[str, Any], Path | None]:
    """Signal the server to write a probe; its report and snapshot path (polled for)."""
    before = set(directory.glob("probe-*.json"))
    os.kill(server.process.pid, signal.SIGUSR1)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        new = set(directory.glob("probe-*.json")) - before
        if new:
            path = new.pop()
            await asyncio.sleep(0.2)  # the snapshot is written before the report
            snapshot = path.with_suffix(".snapshot")
            return json.loads(path.read_text()), snapshot if snapshot.exists() else None
        await asyncio.sleep(0.2)
    raise TimeoutError("no memory probe written")


def _top(before: Path, after: Path, n: int, key: str, per: int) -> list[str]:
    old = tracemalloc.Snapshot.load(str(before)).filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    new = tracemalloc.Snapshot.load(str(after)).filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    lines = []
    stats = new.compare_to(old, key)
    total = sum(s.size_diff for s in stats)
    lines.append(f"  traced growth {total / 1024 / 1024:.1f} MB = {total / per / 1024:.1f} KB per connection")
    for stat in stats[:n]:
        frames = stat.traceback.format(limit=4 if key == "traceback" else 1)
        where = " <- ".join(f.strip() for f in frames if not f.startswith("    "))
        lines.append(f"  {stat.size_diff / per:8.0f} B/conn {stat.count_diff / per:6.1f} blocks/conn  {where}")
    return lines


async def case(args: argparse.Namespace, count: int, keys: tuple[str, str]) -> dict[str, Any]:
    url = f"http://127.0.0.1:{args.port}"
    target = Target(args.database_url, args.redis_url, OUT / "var", *keys)
    probes = OUT / f"probes-{count}-{int(time.time())}"
    extra = {"GRIEVANCE_ALLOWED_ORIGINS": url, "GRIEVANCE_MEMORY_PROBE": str(probes)}
    if args.tracemalloc:
        extra["PYTHONTRACEMALLOC"] = str(args.tracemalloc)
    extra.update(dict(e.split("=", 1) for e in args.env))
    server = start(f"api-{args.port}", ["serve", "--host", "127.0.0.1", "--port", str(args.port), "--workers", "1"],
                   target.env(args.port, **extra), OUT / "logs")
    try:
        await wait_ready(url, server, timeout=120)
        async with aiohttp.ClientSession() as http:
            token = (await Client(http, [url]).gql("sign_in", ops.SIGN_IN, {"u": "cell.operator",
                                                                              "p": "demo-pass-2026"}))
        token = token["authSignInPassword"]["token"]
        conn = await asyncpg.connect(args.database_url.replace("postgres://", "postgresql://", 1))
        distinct = [str(r["id"]) for r in await conn.fetch(
            "SELECT id FROM grv_grievance WHERE status NOT IN ('closed', 'rejected') ORDER BY id DESC LIMIT $1", count)]
        await conn.close()
        ids = list(itertools.islice(itertools.cycle(distinct), count))
        # Warm up: the first subscription's imports, caches and pools are not per connection.
        warm = await live._open(url.replace("http://", "ws://") + "/graphql", url, token, ids[0], asyncio.Semaphore(1))
        await warm.close()
        idle = _status_kb(server.process.pid)
        idle_report, idle_snap = await probe(server, probes)
        server.reset_peaks()
        out: dict[str, Any] = {"n": count, "distinct": len(distinct), "idle_kb": idle}
        with sampling([server]):
            if args.updates:
                result = await live.run(args.database_url, args.redis_url, url, token, ids, rate=args.update_rate,
                                        hold=lambda: _loaded(server, probes, out))
                out["delivered"], out["missing"] = len(result.delivered), result.missing
                out["latency"] = {k: round(v, 1) for k, v in summary(result.delivered).items()}
                out["connect_seconds"] = round(result.connect_seconds, 1)
            else:
                sockets = await live.open_all(url, token, ids)
                await _loaded(server, probes, out)
                await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        out["peak_hwm_mb"] = server.peak_mb()[0]
        loaded = out["loaded_kb"]
        out["rss_per_conn_kb"] = round((loaded["VmRSS"] - idle["VmRSS"]) / count, 1)
        out["hwm_per_conn_kb"] = round((out["peak_hwm_mb"] * 1024 - idle["VmRSS"]) / count, 1)
        out["types_per_conn"] = {k: round((v - idle_report["types"].get(k, 0)) / count, 2)
                                 for k, v in out.pop("report")["types"].items()
                                 if (v - idle_report["types"].get(k, 0)) / count >= 0.5}
        full = out.pop("report_full")
        if "referrers" in full:
            out["referrers"] = full["referrers"]
        snap = out.pop("snapshot")
        if idle_snap is not None and snap is not None:
            out["top_lines"] = _top(idle_snap, snap, args.top, "lineno", count)
            out["top_tracebacks"] = _top(idle_snap, snap, 12, "traceback", count)
        return out
    finally:
        server.stop()


async def _loaded(server: Server, probes: Path, out: dict[str, Any]) -> None:
    await asyncio.sleep(1.0)  # let the last subscriptions settle into their wait
    out["loaded_kb"] = _status_kb(server.process.pid)
    out["report"], out["snapshot"] = await probe(server, probes)
    out["report_full"] = out["report"]


def _print(result: dict[str, Any]) -> None:
    idle, loaded = result["idle_kb"], result["loaded_kb"]
    print(f"N={result['n']} ({result['distinct']} distinct grievances): idle RSS {idle['VmRSS'] / 1024:.0f} MB, "
          f"held RSS {loaded['VmRSS'] / 1024:.0f} MB, peak VmHWM {result['peak_hwm_mb']:.0f} MB; "
          f"per connection RSS {result['rss_per_conn_kb']} KB, HWM {result['hwm_per_conn_kb']} KB", flush=True)
    if "delivered" in result:
        print(f"  delivered {result['delivered']}, missing {result['missing']}, connect {result['connect_seconds']} s, "
              f"latency {result['latency']}")
    print("  objects per connection: " + ", ".join(f"{k} {v}" for k, v in sorted(
        result["types_per_conn"].items(), key=lambda kv: -kv[1])))
    for name, holders in result.get("referrers", {}).items():
        print(f"  {name} held by: {holders}")
    for line in [*result.get("top_lines", []), "  -- by traceback --", *result.get("top_tracebacks", [])]:
        print(line)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--port", type=int, default=8300)
    parser.add_argument("--counts", default="500,1000,2000")
    parser.add_argument("--tracemalloc", type=int, default=0, help="frames kept per allocation (0: off)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--updates", action="store_true", help="publish one update per distinct grievance")
    parser.add_argument("--update-rate", type=float, default=500)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server's environment")
    args = parser.parse_args()
    keys = generate_vapid_keys()
    results = []
    for count in (int(c) for c in args.counts.split(",")):
        result = await case(args, count, keys)
        _print(result)
        results.append(result)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"livemem-{int(time.time())}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
