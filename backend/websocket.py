"""The websocket protocol `grievance serve` gives uvicorn: its sans-I/O `websockets`
implementation, holding less per connection.

A held subscription costs the API process memory for as long as it is open, and one
process holds thousands (tests/bench/livemem.py measures it). Per connection uvicorn
keeps an asyncio.Queue for the ASGI receive events (three deques and an Event: four
deques of ~760 bytes for what is almost always zero or one event), an asyncio.Event for
write flow control (another deque), and the handshake's parsed request and response
(two header multidicts) for the connection's whole life, though nothing reads them
after the accept - the ASGI scope carries the request's headers. Here the queue and the
event are list- and future-based equivalents with the same behaviour, and the handshake
objects are dropped once the accept is sent. Written against uvicorn 0.54's
WebSocketsSansIOProtocol (what it calls on them: put_nowait / get / empty, and set /
clear / wait); tests/api/test_websocket_protocol.py runs it through a real server.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn._types import ASGIReceiveEvent, ASGISendEvent
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class _Flag:
    """asyncio.Event's set / clear / is_set / wait, with no waiter deque: waiters share
    one future, made only while the flag is clear (the write buffer is full)."""

    __slots__ = ("_cleared",)

    def __init__(self) -> None:
        self._cleared: asyncio.Future[None] | None = None

    def is_set(self) -> bool:
        return self._cleared is None

    def set(self) -> None:
        if self._cleared is not None:
            if not self._cleared.done():
                self._cleared.set_result(None)
            self._cleared = None

    def clear(self) -> None:
        if self._cleared is None:
            self._cleared = asyncio.get_running_loop().create_future()

    async def wait(self) -> bool:
        while self._cleared is not None:
            # Shielded: one cancelled waiter must not cancel the future the others share.
            await asyncio.shield(self._cleared)
        return True


class _Events:
    """An unbounded FIFO of receive events: asyncio.Queue's put_nowait / get / empty."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[ASGIReceiveEvent] = []
        self._waiter: asyncio.Future[None] | None = None

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)

    def put_nowait(self, item: ASGIReceiveEvent) -> None:
        self._items.append(item)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get(self) -> ASGIReceiveEvent:
        while not self._items:
            if self._waiter is None or self._waiter.done():
                self._waiter = asyncio.get_running_loop().create_future()
            await asyncio.shield(self._waiter)
        return self._items.pop(0)


class LeanWebSocketsProtocol(WebSocketsSansIOProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue: Any = _Events()
        self.writable: Any = _Flag()

    async def send(self, message: ASGISendEvent) -> None:
        await super().send(message)
        if message["type"] == "websocket.accept" and self.handshake_complete:
            # Read only until the accept's response is written (uvicorn 0.54).
            dropped: Any = None
            self.request = dropped
            self.response = dropped
