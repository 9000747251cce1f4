"""Private services for the fault tests: a Redis, a PostgreSQL, API and worker processes
that one test owns, so that it may kill, stop and restart them without touching the
machine's shared PostgreSQL (5432) and Redis (6379), which other suites are using.

Every wait polls with a deadline; every process is stopped by the fixture that made it,
whatever the test's outcome (see `tests/faults/conftest.py`).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from tests.workers.test_live_across_processes import free_port

REPO = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def wait_until(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


async def await_until(check: Callable[[], Awaitable[bool]], timeout: float, what: str,
                      interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(interval)


def _stop(proc: subprocess.Popen[bytes] | None, *, kill: bool = False, grace: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    if kill:
        proc.kill()
    else:
        proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class PrivateRedis:
    """A throw-away redis-server without persistence: a restart comes back empty, as a
    Redis that lost its memory does."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port, self.workdir = port, workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        return subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout.strip() == b"PONG"

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.workdir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.ping, 10, "the private redis to start")

    def stop(self) -> None:
        _stop(self.proc, kill=True)


class PrivatePostgres:
    """A PostgreSQL 15 cluster in a temporary directory on its own port.

    initdb refuses to run as root, so the cluster belongs to the `postgres` OS user (the
    directory too: pytest's tmp_path lives under a root-only directory). fsync is off:
    the cluster is thrown away, and a fast stop still writes everything out cleanly."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="grievance-pg-", dir="/tmp"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        shutil.chown(self.dir, "postgres", "postgres")

    def _as_postgres(self, *args: str, timeout: float = 60) -> None:
        result = subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True, timeout=timeout)
        assert result.returncode == 0, f"{args[0]} failed: {result.stderr.decode()}\n{self.tail()}"

    def init(self) -> None:
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-N")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log),
                          "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        result = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres",
                                 "-v", "ON_ERROR_STOP=1", "-c", f'CREATE DATABASE "{name}"'],
                                capture_output=True, timeout=30)
        assert result.returncode == 0, result.stderr.decode()

    def tail(self, lines: int = 30) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def destroy(self) -> None:
        try:
            if self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def service_env(database_url: str, redis_url: str, var_dir: Path) -> dict[str, str]:
    """The environment of a production-shaped process (PostgreSQL + Redis), nothing
    inherited from the caller's GRIEVANCE_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRIEVANCE_", "DATABASE_URL", "REDIS_URL"))}
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, GRIEVANCE_VAR_DIR=str(var_dir))
    return env


def grievance_command(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    """Run `grievance ...` to completion (migrate, say); returns its output."""
    result = subprocess.run([sys.executable, "-m", "backend.cli", *args], cwd=REPO, env=env, capture_output=True,
                            timeout=timeout)
    assert result.returncode == 0, f"grievance {' '.join(args)} failed:\n{result.stdout.decode()}{result.stderr.decode()}"
    return result.stdout.decode()


class ApiServer:
    """A real `grievance serve` (uvicorn) on a fixed port, so that a restart comes back
    at the address its clients know."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, *, ready: str = "/readyz", timeout: float = 60) -> None:
        """Start and wait until `ready` answers 200 (`/healthz` when a dependency is
        meant to be down)."""
        self.starts += 1
        with self.log.open("ab") as out:
            out.write(f"\n===== start {self.starts} =====\n".encode())
            out.flush()
            self.proc = subprocess.Popen([sys.executable, "-m", "backend.cli", "serve", "--host", "127.0.0.1",
                                          "--port", str(self.port)], cwd=REPO, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT)

        def answers() -> bool:
            assert self.proc is not None and self.proc.poll() is None, f"the API exited\n{self.tail()}"
            try:
                return httpx.get(self.url + ready, timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(answers, timeout, f"the API to answer {ready}\n{self.tail()}", interval=0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, open transactions are cut off mid-way."""
        assert self.proc is not None and self.proc.poll() is None, "the API is not running"
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        _stop(self.proc)

    def tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class WorkerProcess:
    """A real `grievance worker` (arq); long-running unless `burst`."""

    def __init__(self, env: dict[str, str], log: Path, *, burst: bool = False) -> None:
        self.env, self.log, self.burst = env, log, burst
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        args = [sys.executable, "-m", "backend.cli", "worker"] + (["--burst"] if self.burst else [])
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(args, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_started(self, timeout: float = 60) -> None:
        """Until arq has connected and run the start-up (it logs its Redis's version)."""
        def started() -> bool:
            assert self.alive(), f"the worker exited\n{self.tail()}"
            return "redis_version=" in self.log.read_text(errors="replace")

        wait_until(started, timeout, f"the worker to start\n{self.tail()}", interval=0.1)

    def kill(self) -> None:
        assert self.proc is not None and self.proc.poll() is None, f"the worker is not running\n{self.tail()}"
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        _stop(self.proc)

    def tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
