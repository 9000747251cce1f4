"""Scenario 4: many open subscriptions on one API process, one update each.

Each subscriber is a websocket (graphql-transport-ws) on one API process watching its
own grievance (`grievanceUpdated`). Each update is what a committed transition does
after its transaction: the row's version moves on and the change is published on
Redis (`backend.grievances.live.publish`); here this process does both, at a bounded
rate, so that the figure is the delivery path alone - Redis, the API process's single
subscriber connection, the shared re-read, the access check and the websocket frame -
rather than the rate at which one process can run mutations. Latency is from the
publish to the moment the subscriber has the new version.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from backend.core.broadcast import RedisBroadcast
from backend.grievances.live import Change, Placement, publish
from tests.bench import operations as ops


@dataclass
class LiveOutcome:
    subscribers: int = 0
    connect_seconds: float = 0.0
    delivered: list[float] = field(default_factory=list)
    missing: int = 0


async def _open(url: str, origin: str, token: str, grievance_id: str, ready: asyncio.Semaphore) -> ClientConnection:
    async with ready:
        ws = await connect(url, subprotocols=[Subprotocol("graphql-transport-ws")], origin=Origin(origin),
                           open_timeout=60, ping_interval=None, max_queue=None)
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        ack = json.loads(await ws.recv())
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"no ack: {ack}")
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": ops.SUBSCRIBE, "variables": {"id": grievance_id}}}))
        first = json.loads(await ws.recv())  # the grievance as it is now
        if first.get("type") != "next":
            raise RuntimeError(f"subscription refused: {first}")
        return ws


async def open_all(sub_url: str, token: str, grievance_ids: list[str]) -> list[ClientConnection]:
    ws_url = sub_url.replace("http://", "ws://") + "/graphql"
    gate = asyncio.Semaphore(200)  # handshakes in flight at once
    return list(await asyncio.gather(*(_open(ws_url, sub_url, token, gid, gate) for gid in grievance_ids)))


async def run(database_url: str, redis_url: str, sub_url: str, token: str, grievance_ids: list[str], *,
              rate: float, timeout: float = 60.0,
              hold: Callable[[], Awaitable[None]] | None = None) -> LiveOutcome:
    """Several subscribers may watch one grievance (more subscriptions than grievances):
    each grievance is then updated once and every one of its subscribers must get it.
    `hold` runs once every subscription is open, before the updates (a memory probe)."""
    out = LiveOutcome(subscribers=len(grievance_ids))
    started = time.monotonic()
    sockets = await open_all(sub_url, token, grievance_ids)
    out.connect_seconds = time.monotonic() - started
    if hold is not None:
        await hold()
    sent_at: dict[str, float] = {}
    received: dict[int, float] = {}

    async def listen(ws: ClientConnection, i: int) -> None:
        async for raw in ws:
            message: dict[str, Any] = json.loads(raw)
            if message.get("type") == "next":
                received[i] = time.perf_counter()
                return

    listeners = [asyncio.create_task(listen(ws, i)) for i, ws in enumerate(sockets)]
    # This process holds the 5,000 client sockets: a full collection of its own heap took
    # up to half a second, counted as delivery latency. The load generator does not
    # collect while it measures (it allocates little in ten seconds).
    gc.collect()
    gc.disable()
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    broadcast = RedisBroadcast.from_url(redis_url)
    try:
        paced_from = time.perf_counter()
        for i, gid in enumerate(dict.fromkeys(grievance_ids)):
            # Paced: the i-th update leaves i / rate seconds after the first.
            delay = paced_from + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            row = await conn.fetchrow("UPDATE grv_grievance SET version = version + 1 WHERE id = $1 "
                                      "RETURNING version, status, unit_id, unit_path, assigned_officer_id, escalated_to_id",
                                      int(gid))
            place = Placement(row["status"], row["unit_id"], row["unit_path"], row["assigned_officer_id"],
                              row["escalated_to_id"])
            sent_at[gid] = time.perf_counter()
            await publish(broadcast, [Change(int(gid), row["version"], "comment", place, place)])
        _, late = await asyncio.wait(listeners, timeout=timeout)
    finally:
        gc.enable()
        await conn.close()
        await broadcast.close()
    for task in late:
        task.cancel()
    out.missing = len(late)
    out.delivered = [received[i] - sent_at[g] for i, g in enumerate(grievance_ids) if i in received and g in sent_at]
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return out
