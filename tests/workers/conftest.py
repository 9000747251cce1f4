from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest_asyncio
from redis.asyncio import Redis

# A real Redis (the machine's, started by `make test` / `.ci/run`); database 15 is
# flushed by these tests, so keep nothing there.
REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest_asyncio.fixture
async def redis_url() -> AsyncIterator[str]:
    client = Redis.from_url(REDIS_URL)
    await client.flushdb()
    yield REDIS_URL
    await client.flushdb()
    await client.aclose()
