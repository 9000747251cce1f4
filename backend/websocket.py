"""The websocket protocol `grievance serve` gives uvicorn: its sans-I/O `websockets`
implementation, holding less per connection once the handshake is done.

A held subscription costs the API process memory for as long as it is open, and one
process holds thousands (tests/bench/livemem.py measures it). uvicorn keeps the
handshake's parsed request and response (two header multidicts, a few KB) for the
connection's whole life, though nothing reads them after the accept: the ASGI scope
carries the request's headers. They are dropped once the accept is sent. (Replacing
uvicorn's per-connection asyncio.Queue and Event with lighter equivalents saves ~3 KB
more; the bench's delivery latency with it was inconclusive on a loaded machine - much
slower in some interleaved runs, no different in others - so it is not done.) Written against
uvicorn 0.54's WebSocketsSansIOProtocol; tests/api/test_websocket_protocol.py runs it
through a real uvicorn.
"""

from __future__ import annotations

from typing import Any

from uvicorn._types import ASGISendEvent
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class LeanWebSocketsProtocol(WebSocketsSansIOProtocol):
    async def send(self, message: ASGISendEvent) -> None:
        await super().send(message)
        if message["type"] == "websocket.accept" and self.handshake_complete:
            # Read only until the accept's response is written (uvicorn 0.54).
            dropped: Any = None
            self.request = dropped
            self.response = dropped
