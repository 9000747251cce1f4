"""Live broadcasts for subscriptions: one port, two adapters.

Redis pub/sub in production, so a change made through one API process reaches a
subscriber connected to another; an in-process fan-out in the embedded default. The
database stays the system of record: a lost broadcast loses no data, only immediacy.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

Message = dict[str, Any]
log = logging.getLogger(__name__)
# Given to a channel's subscribers once it is subscribed again after a lost connection:
# whatever was published meanwhile is gone, so re-read. `prompts` turns it into None.
RESUBSCRIBED: Message = {"resubscribed": True}


class Broadcast(Protocol):
    async def publish(self, channel: str, message: Message) -> None: ...

    async def publish_many(self, items: list[tuple[str, Message]]) -> None:
        """`publish` for many (channel, message) pairs, in order, in as few round trips
        as the adapter allows (a sweep announces thousands of changes at once)."""
        ...

    def subscribe(self, channel: str, ready: asyncio.Event | None = None) -> AsyncIterator[Message]:
        """Messages published on the channel from now on; `ready` is set once the
        subscription is registered (a message published after that is delivered), and
        RESUBSCRIBED comes when it is registered again after a lost connection."""
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

    async def publish_many(self, items: list[tuple[str, Message]]) -> None:
        for channel, message in items:
            await self.publish(channel, message)

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
    """Redis pub/sub with ONE subscriber connection per process, fanned out to local
    queues: a process serving thousands of live subscriptions holds one Redis connection
    and decodes each message once, instead of one connection per subscription
    (tests/bench: 5,000 subscriptions on one API process). When the connection drops
    (Redis restarted) the reader reconnects with back-off and subscribes again to every
    channel that still has listeners; what was published meanwhile is lost to the
    broadcast, not to the database, which the subscribers re-read."""

    RECONNECT_MAX_SECONDS = 5.0

    def __init__(self, redis: Redis, prefix: str = "grievance:", queue_size: int = 100) -> None:
        self.redis = redis
        self.prefix = prefix
        self._queue_size = queue_size
        self._local: dict[str, set[asyncio.Queue[Message]]] = defaultdict(set)
        self._confirmed: dict[str, asyncio.Event] = {}
        self._lost: set[str] = set()  # subscribed again after a drop, not yet confirmed
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def from_url(cls, url: str) -> RedisBroadcast:
        return cls(Redis.from_url(url))

    async def publish(self, channel: str, message: Message) -> None:
        await self.redis.publish(self.prefix + channel, json.dumps(message, default=str))

    # Commands per pipeline: bounded, so that one sweep's announcements do not build one
    # huge buffer; each chunk is one round trip instead of one per message.
    PIPELINE = 1000

    async def publish_many(self, items: list[tuple[str, Message]]) -> None:
        for start in range(0, len(items), self.PIPELINE):
            async with self.redis.pipeline(transaction=False) as pipe:
                for channel, message in items[start:start + self.PIPELINE]:
                    pipe.publish(self.prefix + channel, json.dumps(message, default=str))
                await pipe.execute()

    async def subscribe(self, channel: str, ready: asyncio.Event | None = None) -> AsyncIterator[Message]:
        queue: asyncio.Queue[Message] = asyncio.Queue(self._queue_size)
        self._local[channel].add(queue)
        try:
            await self._listen(channel)
            if ready is not None:
                await self._confirmed[channel].wait()  # the server has registered it
                ready.set()
            while True:
                if self._reader is not None and self._reader.done() and not self._reader.cancelled():
                    self._reader.result()  # the reader gave up: raise its error to the subscriber
                yield await queue.get()
        finally:
            listeners = self._local.get(channel)
            if listeners is not None:
                listeners.discard(queue)
                if not listeners:
                    del self._local[channel]
                    await self._forget(channel)

    async def _listen(self, channel: str) -> None:
        async with self._lock:
            if self._pubsub is None:
                self._pubsub = self.redis.pubsub()
            if channel not in self._confirmed:
                self._confirmed[channel] = asyncio.Event()
                await self._pubsub.subscribe(self.prefix + channel)
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read())

    async def _forget(self, channel: str) -> None:
        async with self._lock:
            if channel in self._local:  # someone subscribed again meanwhile
                return
            self._confirmed.pop(channel, None)
            if self._pubsub is not None:
                with contextlib.suppress(Exception):  # a dropped connection forgets it anyway
                    await self._pubsub.unsubscribe(self.prefix + channel)

    async def _read(self) -> None:
        delay = 0.1
        while self._local:
            try:
                raw = await self._pubsub.get_message(ignore_subscribe_messages=False, timeout=1.0)
                delay = 0.1
            except (ConnectionError, OSError, RedisError, RuntimeError):
                # RuntimeError: redis-py's "connection not set" after a failed reconnect.
                log.warning("live broadcast connection lost; reconnecting in %.1f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.RECONNECT_MAX_SECONDS)
                await self._resubscribe()
                continue
            if raw is None:
                continue
            channel = raw["channel"].decode() if isinstance(raw["channel"], bytes) else str(raw["channel"])
            name = channel.removeprefix(self.prefix)
            if raw["type"] == "subscribe":
                event = self._confirmed.get(name)
                if event is not None:
                    event.set()
                if name in self._lost:
                    # Registered again: the subscribers re-read now rather than at their
                    # next periodic check (up to half a minute later).
                    self._lost.discard(name)
                    self._deliver(name, RESUBSCRIBED)
            elif raw["type"] == "message":
                self._deliver(name, json.loads(raw["data"]))

    def _deliver(self, name: str, message: Message) -> None:
        for queue in list(self._local.get(name, ())):
            # A subscriber that stopped reading must not stall the others: drop its
            # oldest message (it re-reads state from the database anyway).
            if queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(message)

    async def _resubscribe(self) -> None:
        async with self._lock:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
            self._pubsub = self.redis.pubsub()
            channels = list(self._local)
            for name in channels:
                self._confirmed.setdefault(name, asyncio.Event())
            self._lost = set(channels)
            with contextlib.suppress(ConnectionError, OSError, RedisError):
                if channels:
                    await self._pubsub.subscribe(*(self.prefix + c for c in channels))

    async def ping(self) -> bool:
        return bool(await self.redis.ping())

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
        await self.redis.aclose()


async def prompts(broadcast: Broadcast, channel: str, every: float | None = None) -> AsyncIterator[Message | None]:
    """The channel's messages, and None every `every` seconds of silence (a prompt to
    re-read the database, in case a broadcast was lost), and None at once when the
    subscription is registered again after a lost connection. A task pumps the
    subscription into a queue, so that waiting with a timeout never cancels the
    subscription itself."""
    queue: asyncio.Queue[Message | None] = asyncio.Queue(1000)
    ready = asyncio.Event()

    async def pump() -> None:
        async for message in broadcast.subscribe(channel, ready):
            if queue.full():  # a slow reader re-reads state anyway: keep the newest
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(None if message is RESUBSCRIBED else message)

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
