"""Fixtures of the fault tests: private Redis and PostgreSQL instances, API and worker
processes, each stopped at teardown even when the test fails.

The tests run in CI's PostgreSQL + Redis pass (`make test-postgres`) and are skipped
without TEST_DATABASE_URL and TEST_REDIS_URL: they file through the per-run PostgreSQL
database and need the machine's redis-server and PostgreSQL 15 binaries for their
private instances.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import TEST_DATABASE_URL, TEST_REDIS_URL
from tests.faults.processes import ApiServer, PrivatePostgres, PrivateRedis, WorkerProcess
from tests.workers.test_live_across_processes import free_port

needs_services = pytest.mark.skipif(
    not (TEST_DATABASE_URL and TEST_REDIS_URL),
    reason="fault tests need TEST_DATABASE_URL and TEST_REDIS_URL (PostgreSQL + Redis); run `make test-postgres`",
)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(free_port(), tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    pg = PrivatePostgres(free_port())
    try:
        pg.init()
        pg.start()
        yield pg
    finally:
        pg.destroy()


ApiFactory = Callable[[dict[str, str], str], ApiServer]
WorkerFactory = Callable[..., WorkerProcess]


@pytest.fixture
def api_server(tmp_path: Path) -> Iterator[ApiFactory]:
    """Makes (not starts) API servers; every one still running at the end is stopped."""
    made: list[ApiServer] = []

    def make(env: dict[str, str], name: str = "api") -> ApiServer:
        made.append(ApiServer(env, tmp_path / f"{name}.log"))
        return made[-1]

    yield make
    for server in made:
        server.stop()


@pytest.fixture
def worker_process(tmp_path: Path) -> Iterator[WorkerFactory]:
    made: list[WorkerProcess] = []

    def make(env: dict[str, str], name: str = "worker", *, burst: bool = False) -> WorkerProcess:
        made.append(WorkerProcess(env, tmp_path / f"{name}.log", burst=burst))
        return made[-1]

    yield make
    for worker in made:
        worker.stop()
