"""Processes under test and what is measured of them.

The servers are the real `grievance serve` and `grievance worker` commands in
production mode on PostgreSQL and Redis; the load comes from this (separate) process
over loopback. Peak memory is each process's own high-water mark (VmHWM), read from
/proc while it runs, so a short spike between two polls is not missed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET = "bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Target:
    database_url: str
    redis_url: str
    var_dir: Path
    vapid_private: str
    vapid_public: str

    def env(self, port: int = 8000, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GRIEVANCE_")}
        env.update({
            "GRIEVANCE_ENV": "production",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "GRIEVANCE_SECRET_KEY": SECRET,
            "GRIEVANCE_VAPID_PRIVATE_KEY": self.vapid_private,
            "GRIEVANCE_VAPID_PUBLIC_KEY": self.vapid_public,
            "GRIEVANCE_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "GRIEVANCE_VAR_DIR": str(self.var_dir),
            # The load files many grievances per mobile number within a month.
            "GRIEVANCE_MONTHLY_FILING_CAP": "1000000",
        })
        env.update(extra)
        return env


def _rss_hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


@dataclass
class Server:
    """One `grievance` process (and, for `serve --workers N`, its worker children)."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    peaks: dict[int, float] = field(default_factory=dict)

    def pids(self) -> list[int]:
        kids = _children(self.process.pid)
        return kids or [self.process.pid]

    def sample(self) -> None:
        for pid in self.pids():
            self.peaks[pid] = max(self.peaks.get(pid, 0.0), _rss_hwm_mb(pid))

    def reset_peaks(self) -> None:
        # VmHWM can be reset by writing 5 to clear_refs (needs the process to be ours: it is).
        for pid in self.pids():
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                pass
        self.peaks.clear()

    def peak_mb(self) -> list[float]:
        self.sample()
        return [round(v, 1) for _, v in sorted(self.peaks.items())]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(name: str, args: list[str], env: dict[str, str], log_dir: Path) -> Server:
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(BIN / "grievance"), *args], env=env, stdout=out, stderr=subprocess.STDOUT,
                                   cwd=ROOT)
    return Server(name, process, log)


async def wait_ready(base_url: str, server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(f"{server.name} exited: {server.log.read_text()[-2000:]}")
            try:
                async with http.get(f"{base_url}/readyz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError(f"{server.name} not ready: {server.log.read_text()[-2000:]}")


@contextmanager
def sampling(servers: list[Server], every: float = 0.25) -> Iterator[None]:
    """Poll the servers' peak memory in a thread while the block runs."""
    import threading

    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            for s in servers:
                s.sample()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        for s in servers:
            s.sample()


class GraphQLError(Exception):
    pass


class Client:
    """GraphQL over HTTP with the latency of every call recorded by operation."""

    def __init__(self, http: aiohttp.ClientSession, base_urls: list[str]) -> None:
        self.http = http
        self.base_urls = base_urls
        self.latencies: dict[str, list[float]] = {}
        self._next = 0

    async def gql(self, op: str, query: str, variables: dict[str, Any] | None = None, *,
                  token: str | None = None, url: str | None = None) -> dict[str, Any]:
        if url is None:
            # Round robin over the API processes (as a load balancer would).
            url = self.base_urls[self._next % len(self.base_urls)]
            self._next += 1
        headers = {"authorization": f"Bearer {token}"} if token else {}
        started = time.perf_counter()
        async with self.http.post(f"{url}/graphql", json={"query": query, "variables": variables or {}},
                                  headers=headers) as response:
            body: dict[str, Any] = await response.json(content_type=None)
            status = response.status
        self.latencies.setdefault(op, []).append(time.perf_counter() - started)
        if status != 200 or body.get("errors"):
            raise GraphQLError(f"{op}: HTTP {status} {str(body)[:500]}")
        data: dict[str, Any] = body["data"]
        return data


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50_ms": percentile(values, 50) * 1000, "p95_ms": percentile(values, 95) * 1000,
            "p99_ms": percentile(values, 99) * 1000, "mean_ms": statistics.fmean(values) * 1000 if values else 0.0}
