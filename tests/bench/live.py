"""Scenario 4: many open subscriptions on one API process, one update each.

Each subscriber is a websocket (graphql-transport-ws) on API process A watching its own
grievance (`grievanceUpdated`). The updates are staff comments sent through API
process B at a bounded rate, so each crosses Redis as in production. Delivery latency
is from just before the update's mutation is sent to the moment the subscriber has the
new version; the mutation's own latency is reported beside it.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from tests.bench import operations as ops
from tests.bench.harness import Client


@dataclass
class LiveOutcome:
    subscribers: int = 0
    connect_seconds: float = 0.0
    delivered: list[float] = field(default_factory=list)
    missing: int = 0
    mutation: list[float] = field(default_factory=list)


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


async def run(client: Client, sub_url: str, mutate_url: str, token: str, grievance_ids: list[str], *,
              rate: float, timeout: float = 30.0) -> LiveOutcome:
    out = LiveOutcome(subscribers=len(grievance_ids))
    ws_url = sub_url.replace("http://", "ws://") + "/graphql"
    started = time.monotonic()
    gate = asyncio.Semaphore(200)  # handshakes in flight at once
    sockets = await asyncio.gather(*(_open(ws_url, sub_url, token, gid, gate) for gid in grievance_ids))
    out.connect_seconds = time.monotonic() - started
    sent_at: dict[str, float] = {}
    received: dict[str, float] = {}

    async def listen(ws: ClientConnection, gid: str) -> None:
        async for raw in ws:
            message: dict[str, Any] = json.loads(raw)
            if message.get("type") == "next":
                received[gid] = time.perf_counter()
                return

    listeners = [asyncio.create_task(listen(ws, gid)) for ws, gid in zip(sockets, grievance_ids, strict=True)]

    async def update(gid: str) -> None:
        sent_at[gid] = time.perf_counter()
        data = await client.gql("comment", ops.COMMENT, {"id": gid, "text": "Site inspection fixed for Monday."},
                                token=token, url=mutate_url)
        if data["grievanceComment"]["__typename"] != "GrievanceSuccess":
            raise RuntimeError(str(data)[:300])

    pending: set[asyncio.Task[None]] = set()
    paced_from = time.perf_counter()
    for i, gid in enumerate(grievance_ids):
        # Paced: the i-th update leaves i / rate seconds after the first.
        delay = paced_from + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(update(gid))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    _, late = await asyncio.wait(listeners, timeout=timeout)
    for task in late:
        task.cancel()
    out.missing = len(late)
    out.delivered = [received[g] - sent_at[g] for g in grievance_ids if g in received and g in sent_at]
    out.mutation = client.latencies.get("comment", [])
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return out
