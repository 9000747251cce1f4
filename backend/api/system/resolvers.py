"""Service health and the heartbeat subscription."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from backend import __version__
from backend.api.context import Context
from backend.core.clock import utcnow

Info = strawberry.Info[Context, None]
SERVER_ID = f"{socket.gethostname()}:{os.getpid()}"


@strawberry.type
class Health:
    status: str
    version: str
    environment: str


@strawberry.type(description="A tick proving the live channel works end to end.")
class Heartbeat:
    sequence: int
    at: datetime
    server_id: str


@strawberry.type
class SystemQueries:
    @strawberry.field
    def health(self, info: Info) -> Health:
        return Health(status="ok", version=__version__, environment=info.context.settings.environment)


@strawberry.type
class SystemSubscriptions:
    @strawberry.subscription(description="Ticks every `intervalSeconds` (0.1-60), `count` times (0 = until closed).")
    async def heartbeat(
        self, info: Info, interval_seconds: float = 10, count: int = 0
    ) -> AsyncGenerator[Heartbeat, None]:
        interval = min(max(interval_seconds, 0.1), 60)
        sequence = 0
        while count <= 0 or sequence < count:
            sequence += 1
            yield Heartbeat(sequence=sequence, at=utcnow(), server_id=SERVER_ID)
            if count <= 0 or sequence < count:
                await asyncio.sleep(interval)
