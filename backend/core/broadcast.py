"""Live broadcasts for subscriptions: one port, two adapters.

Redis pub/sub in production, so a change made through one API process reaches a
subscriber connected to another; an in-process fan-out in the embedded default. The
database stays the system of record: a lost broadcast loses no data, only immediacy.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, Protocol

from redis.asyncio import Redis

Message = dict[str, Any]


class Broadcast(Protocol):
    async def publish(self, channel: str, message: Message) -> None: ...

    def subscribe(self, channel: str, ready: asyncio.Event | None = None) -> AsyncIterator[Message]:
        """Messages published on the channel from now on; `ready` is set once the
        subscription is registered (a message published after that is delivered)."""
        ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...


class InProcessBroadcast:
    def __init__(self, queue_size: int = 100) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[Message]]] = defaultdict(set)
        self._queue_size = queue_size

    async def publish(self, channel: str, message: Message) -> None:
        for queue in list(self._subscribers.get(channel, ())):
            # A subscriber that stopped reading must not stall the publisher: drop
            # its oldest message (it will re-read state from the database anyway).
            if queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(message)

    async def subscribe(self, channel: str, ready: asyncio.Event | None = None) -> AsyncIterator[Message]:
        queue: asyncio.Queue[Message] = asyncio.Queue(self._queue_size)
        self._subscribers[channel].add(queue)
        if ready is not None:
            ready.set()
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers[channel].discard(queue)
            if not self._subscribers[channel]:
                del self._subscribers[channel]

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        self._subscribers.clear()


class RedisBroadcast:
    def __init__(self, redis: Redis, prefix: str = "grievance:") -> None:
        self.redis = redis
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str) -> RedisBroadcast:
        return cls(Redis.from_url(url))

    async def publish(self, channel: str, message: Message) -> None:
        await self.redis.publish(self.prefix + channel, json.dumps(message, default=str))

    async def subscribe(self, channel: str, ready: asyncio.Event | None = None) -> AsyncIterator[Message]:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(self.prefix + channel)
        try:
            async for raw in pubsub.listen():
                if raw.get("type") == "subscribe" and ready is not None:
                    ready.set()  # the server has registered it
                elif raw.get("type") == "message":
                    yield json.loads(raw["data"])
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def ping(self) -> bool:
        return bool(await self.redis.ping())

    async def close(self) -> None:
        await self.redis.aclose()


async def prompts(broadcast: Broadcast, channel: str, every: float | None = None) -> AsyncIterator[Message | None]:
    """The channel's messages, and None every `every` seconds of silence (a prompt to
    re-read the database, in case a broadcast was lost). A task pumps the subscription
    into a queue, so that waiting with a timeout never cancels the subscription itself."""
    queue: asyncio.Queue[Message] = asyncio.Queue(1000)
    ready = asyncio.Event()

    async def pump() -> None:
        async for message in broadcast.subscribe(channel, ready):
            if queue.full():  # a slow reader re-reads state anyway: keep the newest
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(message)

    task = asyncio.create_task(pump())
    try:
        # Subscribed before the caller reads the state it will then keep up to date.
        waiter = asyncio.create_task(ready.wait())
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        yield None
        while True:
            if task.done():
                task.result()  # the subscription failed: raise its error to the subscriber
                return
            try:
                yield await asyncio.wait_for(queue.get(), timeout=every)
            except TimeoutError:
                yield None
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
