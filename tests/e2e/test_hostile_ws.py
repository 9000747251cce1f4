"""A websocket cannot hold open more operations than MAX_OPERATIONS_PER_SOCKET (issue 12)."""

from __future__ import annotations

from backend.api.limits import MAX_OPERATIONS_PER_SOCKET
from tests.e2e.support import LiveServer
from tests.e2e.test_live_api import receive, send, ws_connect

# Never completes by itself: a tick a minute until stopped.
FOREVER = "subscription { heartbeat(intervalSeconds: 60) { sequence } }"


async def test_operations_per_socket_are_capped(live_server: LiveServer) -> None:
    async with ws_connect(live_server) as ws:
        await send(ws, {"type": "connection_init", "payload": {}})
        assert (await receive(ws))["type"] == "connection_ack"
        for n in range(MAX_OPERATIONS_PER_SOCKET):
            await send(ws, {"id": f"s{n}", "type": "subscribe", "payload": {"query": FOREVER}})
        first_ticks = {(await receive(ws))["id"] for _ in range(MAX_OPERATIONS_PER_SOCKET)}
        assert first_ticks == {f"s{n}" for n in range(MAX_OPERATIONS_PER_SOCKET)}

        await send(ws, {"id": "one-too-many", "type": "subscribe", "payload": {"query": FOREVER}})
        refused = await receive(ws)
        assert refused["type"] == "error" and refused["id"] == "one-too-many", refused
        assert "limit" in refused["payload"][0]["message"].lower()

        # Stopping one frees its place; the socket stays usable.
        await send(ws, {"id": "s0", "type": "complete"})
        await send(ws, {"id": "again", "type": "subscribe", "payload": {"query": FOREVER}})
        assert (await receive(ws))["id"] == "again"
