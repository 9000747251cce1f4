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


class Mailbox:
    """One subscriber's undelivered messages: bounded (a subscriber that stopped reading
    loses its oldest - it re-reads state from the database anyway) and waited on with an
    optional timeout. Lighter than what it replaces - an asyncio.Queue (three deques) per
    subscriber, and a pump task with a second queue so that a timed wait never cancelled
    the subscription: a held subscription's memory is mostly such per-connection objects
    (tests/bench/livemem.py)."""

    __slots__ = ("_error", "_messages", "_size", "_waiter")

    def __init__(self, size: int) -> None:
        self._messages: list[Message] = []
        self._size = size
        self._waiter: asyncio.Future[None] | None = None
        self._error: BaseException | None = None

    def put(self, message: Message) -> None:
        if len(self._messages) >= self._size:
            del self._messages[0]
        self._messages.append(message)
        self._wake()

    def fail(self, error: BaseException) -> None:
        """The subscription cannot go on: `get` raises this."""
        self._error = error
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get(self, at_most: float | None = None) -> Message | None:
        """The oldest undelivered message; None when `at_most` seconds pass without one."""
        if not self._messages and self._error is None:
            loop = asyncio.get_running_loop()
            self._waiter = loop.create_future()
            timer = loop.call_later(at_most, self._wake) if at_most is not None else None
            try:
                await self._waiter
            finally:
                self._waiter = None
                if timer is not None:
                    timer.cancel()
        if self._error is not None:
            raise self._error
        return self._messages.pop(0) if self._messages else None


class Broadcast(Protocol):
    async def publish(self, channel: str, message: Message) -> None: ...

    async def publish_many(self, items: list[tuple[str, Message]]) -> None:
        """`publish` for many (channel, message) pairs, in order, in as few round trips
        as the adapter allows (a sweep announces thousands of changes at once)."""
        ...

    async def listen(self, channel: str) -> Mailbox:
        """A mailbox for the channel's messages from now on: it returns once the
        subscription is registered (a message published after that is delivered).
        RESUBSCRIBED comes when it is registered again after a lost connection.
        Every mailbox is given back with `unlisten`."""
        ...

    async def unlisten(self, channel: str, mailbox: Mailbox) -> None: ...

    def subscribe(self, channel: str, ready: asyncio.Event | None = None) -> AsyncIterator[Message]:
        """The channel's messages as an iterator (`listen` and `unlisten` around it);
        `ready` is set once the subscription is registered."""
        ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...


async def _iterate(broadcast: Broadcast, channel: str, ready: asyncio.Event | None) -> AsyncIterator[Message]:
    mailbox = await broadcast.listen(channel)
    if ready is not None:
        ready.set()
    try:
        while True:
            message = await mailbox.get()
            if message is not None:
                yield message
    finally:
        await broadcast.unlisten(channel, mailbox)


class InProcessBroadcast:
    def __init__(self, queue_size: int = 100) -> None:
        self._subscribers: dict[str, set[Mailbox]] = defaultdict(set)
        self._queue_size = queue_size

    async def publish(self, channel: str, message: Message) -> None:
        for mailbox in list(self._subscribers.get(channel, ())):
            mailbox.put(message)  # never blocks: a slow subscriber loses its oldest

    async def publish_many(self, items: list[tuple[str, Message]]) -> None:
        for channel, message in items:
            await self.publish(channel, message)

    async def listen(self, channel: str) -> Mailbox:
        mailbox = Mailbox(self._queue_size)
        self._subscribers[channel].add(mailbox)
        return mailbox

    async def unlisten(self, channel: str, mailbox: Mailbox) -> None:
        listeners = self._subscribers.get(channel)
        if listeners is not None:
            listeners.discard(mailbox)
            if not listeners:
                del self._subscribers[channel]

    def subscribe(self, channel: str, ready: asyncio.Event | None = None) -> AsyncIterator[Message]:
        return _iterate(self, channel, ready)

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
        self._local: dict[str, set[Mailbox]] = defaultdict(set)
        # Set once the server has registered the channel (a future, not an Event: an
        # Event keeps a deque of waiters, and there is one per subscribed grievance).
        self._confirmed: dict[str, asyncio.Future[None]] = {}
        self._failed: BaseException | None = None
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

    async def listen(self, channel: str) -> Mailbox:
        mailbox = Mailbox(self._queue_size)
        self._local[channel].add(mailbox)
        try:
            await self._listen(channel)
            confirmed = self._confirmed[channel]
            if not confirmed.done():
                # Shielded: one subscriber giving up must not cancel the channel's future.
                await asyncio.shield(confirmed)  # the server has registered it
        except BaseException:
            await self.unlisten(channel, mailbox)
            raise
        if self._failed is not None:
            mailbox.fail(self._failed)
        return mailbox

    async def unlisten(self, channel: str, mailbox: Mailbox) -> None:
        listeners = self._local.get(channel)
        if listeners is not None:
            listeners.discard(mailbox)
            if not listeners:
                del self._local[channel]
                await self._forget(channel)

    def subscribe(self, channel: str, ready: asyncio.Event | None = None) -> AsyncIterator[Message]:
        return _iterate(self, channel, ready)

    async def _listen(self, channel: str) -> None:
        async with self._lock:
            if self._pubsub is None:
                self._pubsub = self.redis.pubsub()
            if channel not in self._confirmed:
                self._confirmed[channel] = asyncio.get_running_loop().create_future()
                await self._pubsub.subscribe(self.prefix + channel)
            if self._reader is None or self._reader.done():
                self._failed = None
                self._reader = asyncio.create_task(self._read())
                self._reader.add_done_callback(self._reader_done)

    def _reader_done(self, task: asyncio.Task[None]) -> None:
        """The reader gave up (not a lost connection: it retries those): every subscriber
        gets its error rather than waiting for messages that will never come."""
        error = None if task.cancelled() else task.exception()
        if error is None:
            return
        self._failed = error
        log.error("live broadcast reader failed", exc_info=error)
        for listeners in self._local.values():
            for mailbox in listeners:
                mailbox.fail(error)

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
                confirmed = self._confirmed.get(name)
                if confirmed is not None and not confirmed.done():
                    confirmed.set_result(None)
                if name in self._lost:
                    # Registered again: the subscribers re-read now rather than at their
                    # next periodic check (up to half a minute later).
                    self._lost.discard(name)
                    self._deliver(name, RESUBSCRIBED)
            elif raw["type"] == "message":
                self._deliver(name, json.loads(raw["data"]))

    def _deliver(self, name: str, message: Message) -> None:
        for mailbox in list(self._local.get(name, ())):
            # Never blocks: a subscriber that stopped reading loses its oldest message
            # (it re-reads state from the database anyway), the others are not stalled.
            mailbox.put(message)

    async def _resubscribe(self) -> None:
        async with self._lock:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
            self._pubsub = self.redis.pubsub()
            channels = list(self._local)
            for name in channels:
                self._confirmed.setdefault(name, asyncio.get_running_loop().create_future())
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
    subscription is registered again after a lost connection. The first None comes once
    the subscription is registered, so that the caller reads the state it will then keep
    up to date after that. The mailbox's own timed wait cancels nothing, so no task or
    second queue is needed between the subscription and the caller."""
    mailbox = await broadcast.listen(channel)
    try:
        yield None
        while True:
            message = await mailbox.get(every)
            yield None if message is None or message is RESUBSCRIBED else message
    finally:
        await broadcast.unlisten(channel, mailbox)
