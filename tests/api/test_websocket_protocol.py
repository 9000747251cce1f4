"""The websocket protocol `grievance serve` gives uvicorn (backend/websocket.py) through
a real uvicorn server: messages both ways in order, large frames within the size
limit, keepalive pings answered, write flow control that pauses and resumes, and the
handshake objects dropped after the accept."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from websockets.asyncio.client import connect

from backend.websocket import LeanWebSocketsProtocol

seen: list[LeanWebSocketsProtocol] = []


async def echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "websocket":
        return
    assert (await receive())["type"] == "websocket.connect"
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message["text"]
        if text == "burst":  # many large sends at once: the write buffer fills and drains
            await asyncio.gather(*(send({"type": "websocket.send", "text": "x" * 200_000}) for _ in range(60)))
            await send({"type": "websocket.send", "text": "burst done"})
        else:
            await send({"type": "websocket.send", "text": text})


class Recording(LeanWebSocketsProtocol):
    pauses = 0

    def connection_made(self, transport: Any) -> None:
        seen.append(self)
        super().connection_made(transport)

    def pause_writing(self) -> None:
        self.pauses += 1
        super().pause_writing()


@contextlib.asynccontextmanager
async def server() -> AsyncIterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(echo, host="127.0.0.1", port=port, ws=Recording, ws_ping_interval=0.1,
                            ws_ping_timeout=5, ws_per_message_deflate=False, log_config=None, lifespan="off")
    instance = uvicorn.Server(config)
    task = asyncio.create_task(instance.serve())
    async with asyncio.timeout(10):
        while not instance.started:
            await asyncio.sleep(0.01)
    try:
        yield f"ws://127.0.0.1:{port}/"
    finally:
        instance.should_exit = True
        await asyncio.wait_for(task, 10)


async def test_messages_pings_and_flow_control_through_a_real_uvicorn() -> None:
    seen.clear()
    async with server() as url, connect(url, max_size=None, max_queue=1, ping_interval=None) as ws:
        for n in range(50):
            await ws.send(json.dumps({"n": n}))
        assert [json.loads(await ws.recv())["n"] for _ in range(50)] == list(range(50))
        big = "y" * 1_000_000  # well beyond any subscription payload, within ws_max_size
        await ws.send(big)
        assert await ws.recv() == big
        protocol = seen[-1]
        assert isinstance(protocol, Recording)
        assert protocol.request is None and protocol.response is None  # dropped after the accept
        # The server pings every 0.1 s; the client's pongs come back and are timed.
        async with asyncio.timeout(5):
            while protocol.last_ping_rtt == 0.0:
                await asyncio.sleep(0.05)
        await ws.send("burst")
        got = [await ws.recv() for _ in range(61)]
        assert got[-1] == "burst done" and all(len(m) == 200_000 for m in got[:-1])
        assert protocol.pauses > 0 and protocol.writable.is_set()  # it paused, and resumed
