"""The API process SIGKILLed in the middle of 1,000 concurrent filings, then restarted.

A real `grievance serve` on PostgreSQL (the per-run test database) and a private Redis;
64 clients over loopback file through `grievanceFile`, each filing with its own
idempotency key, as the offline PWA does. The process is killed once about a third of
the filings are acknowledged. Then, with it down:

- every filing a client saw acknowledged is stored, with the number it was told;
- no grievance is partial: each has its audit chain intact from a first `file` event
  (one event per version, the row's `version` counting them) and its acknowledgement in
  the outbox; numbers are unique.

The server is started again and the clients retry whatever got no answer with the same
key: in the end each key filed exactly one grievance, and a filing that had committed
before the kill but whose answer was lost comes back as `created: false`.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.audit.models import AuditEvent
from backend.audit.services import broken_chains
from backend.grievances.models import Grievance
from backend.notifications.models import OutboxMessage
from backend.settings import Settings
from tests.factories import lifecycle_world
from tests.faults.conftest import ApiFactory, needs_services
from tests.faults.processes import PrivateRedis, await_until, service_env
from tests.workers.test_escalation_workers import prepared_var_dir, stale_transactions
from tests.workers.test_live_across_processes import sign_in

pytestmark = pytest.mark.usefixtures("db")

FILINGS = 1_000
CLIENTS = 64
KILL_AFTER = 330  # acknowledged filings
KEY_PREFIX = "fault-kill-"
FILE = """mutation($input: GrievanceFileInput!) { grievanceFile(input: $input) { __typename
  ... on GrievanceFileSuccess { created grievance { id number } } ... on OperationError { code message } } }"""


@dataclass
class Filings:
    """What the clients saw, per filing index."""

    acked: dict[int, tuple[int, str]] = field(default_factory=dict)  # i -> (id, number)
    created: dict[int, bool] = field(default_factory=dict)
    cut_off: Counter[int] = field(default_factory=Counter)  # i -> attempts that got no answer
    refused: dict[int, Any] = field(default_factory=dict)   # i -> an answer that was not a success
    in_flight: int = 0
    halt: bool = False  # the test is over (failed): stop filing


def key_of(i: int) -> str:
    return f"{KEY_PREFIX}{i:04d}"


def filing(i: int, leaf_id: int) -> dict[str, Any]:
    return {"input": {
        "channel": "POST", "categoryId": str(leaf_id), "areaCode": "BR-A-1", "subject": f"Fault filing {i}",
        "description": "Filed while the API process is killed.", "reliefSought": "Act on it.",
        "citizenName": "Sita Devi", "citizenMobile": f"9{i:09d}", "idempotencyKey": key_of(i)}}


async def run_clients(url: str, token: str, leaf_id: int, filings: Filings, up: asyncio.Event) -> None:
    todo: asyncio.Queue[int] = asyncio.Queue()
    for i in range(FILINGS):
        todo.put_nowait(i)
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits,
                                 headers={"authorization": f"Bearer {token}"}) as client:

        async def file(i: int) -> None:
            variables = filing(i, leaf_id)
            while True:
                # A retry waits for the server to be back, as the PWA's offline queue does.
                await asyncio.wait_for(up.wait(), 120)
                if filings.halt:
                    return
                filings.in_flight += 1
                try:
                    response = await client.post("/graphql", json={"query": FILE, "variables": variables})
                except httpx.TransportError:
                    filings.cut_off[i] += 1
                    continue
                finally:
                    filings.in_flight -= 1
                body = response.json() if response.status_code == 200 else {"status": response.status_code}
                result = (body.get("data") or {}).get("grievanceFile") or {}
                if result.get("__typename") == "GrievanceFileSuccess":
                    filings.acked[i] = (int(result["grievance"]["id"]), result["grievance"]["number"])
                    filings.created[i] = bool(result["created"])
                else:
                    filings.refused[i] = body
                return

        async def client_loop() -> None:
            while not todo.empty():
                await file(todo.get_nowait())

        await asyncio.gather(*(client_loop() for _ in range(CLIENTS)))


async def assert_no_partial_grievance(context: str) -> list[dict[str, Any]]:
    """Every stored filing whole; returns the stored rows."""
    rows = await Grievance.filter(idempotency_key__contains=KEY_PREFIX).values(
        "id", "number", "idempotency_key", "version", "citizen_mobile")
    ids = [int(r["id"]) for r in rows]
    numbers = [r["number"] for r in rows]
    assert len(set(numbers)) == len(numbers), f"duplicate numbers{context}"
    events = await AuditEvent.filter(object_type="grievance", object_id__in=[str(i) for i in ids]).values(
        "object_id", "seq", "action")
    per_grievance: dict[int, list[tuple[int, str]]] = {}
    for e in events:
        per_grievance.setdefault(int(e["object_id"]), []).append((int(e["seq"]), str(e["action"])))
    no_file_event = [r["number"] for r in rows if (1, "file") not in per_grievance.get(int(r["id"]), [])]
    assert not no_file_event, f"{len(no_file_event)} grievances without their file event{context}"
    miscounted = [r["number"] for r in rows if len(per_grievance.get(int(r["id"]), [])) != r["version"]]
    assert not miscounted, f"{len(miscounted)} grievances whose events do not match their version{context}"
    # Nor anything written for a grievance that is not there (an event or message whose
    # filing rolled back would be one).
    existing = {str(i) for i in await Grievance.all().values_list("id", flat=True)}
    orphan_events = set(await AuditEvent.filter(object_type="grievance").values_list("object_id", flat=True))
    assert orphan_events <= existing, f"events of missing grievances {sorted(orphan_events - existing)[:5]}{context}"
    filed_keys = await OutboxMessage.filter(template="grievance_filed").values_list("idempotency_key", flat=True)
    orphan_acks = {str(k).split(":")[1] for k in filed_keys} - existing
    assert not orphan_acks, f"acknowledgements of missing grievances {sorted(orphan_acks)[:5]}{context}"
    checked, broken = await broken_chains("grievance")
    assert checked >= len(ids) and not broken, f"audit chains broken: {broken[:5]}{context}"
    acks = await OutboxMessage.filter(template="grievance_filed", idempotency_key__in=[
        f"grievance:{i}:filed:sms" for i in ids]).values_list("idempotency_key", "recipient")
    told = {key.split(":")[1]: recipient for key, recipient in acks}
    missing = [r["number"] for r in rows if told.get(str(r["id"])) != r["citizen_mobile"]]
    assert not missing, f"{len(missing)} grievances without their acknowledgement in the outbox{context}"
    return rows


def by_key(rows: list[dict[str, Any]]) -> dict[str, tuple[int, str]]:
    """Stored filings by the client's key (the intake prefixes it with the filer)."""
    return {r["idempotency_key"].rsplit(":", 1)[1]: (int(r["id"]), r["number"]) for r in rows}


@needs_services
async def test_killing_the_api_mid_burst_loses_no_acknowledged_filing_and_leaves_none_partial(
        settings: Settings, private_redis: PrivateRedis, api_server: ApiFactory, tmp_path: Path) -> None:
    started = time.monotonic()
    w = await lifecycle_world(settings)
    api = api_server(service_env(settings.database_url, private_redis.url, prepared_var_dir(tmp_path)), "api")
    api.start()
    token = await sign_in(api.url, "cell_op")

    filings, up = Filings(), asyncio.Event()
    up.set()
    clients = asyncio.create_task(run_clients(api.url, token, w.leaf.id, filings, up))
    try:
        async def enough() -> bool:
            assert not clients.done(), clients.exception() if clients.done() else None
            return len(filings.acked) >= KILL_AFTER

        await await_until(enough, 180, f"{KILL_AFTER} acknowledged filings\n{api.tail()}", interval=0.005)
        up.clear()
        api.kill()
        killed_at = time.monotonic()

        async def settled() -> bool:
            return filings.in_flight == 0

        # Every request in flight at the kill ends, with an answer or without one.
        await await_until(settled, 30, "the requests in flight at the kill to end")

        async def no_open_transaction() -> bool:
            return await stale_transactions() == 0

        # PostgreSQL rolls back what the dead process left open once it sees the socket
        # close (and finishes a COMMIT it had already received): look after that.
        await await_until(no_open_transaction, 30, "the killed API's transactions to end")
        acked_at_kill = dict(filings.acked)
        cut = sorted(filings.cut_off)
        context = f" (killed after {len(acked_at_kill)} acknowledgements, {len(cut)} requests cut off)"
        assert cut, f"the kill cut off no request in flight{context}"
        rows = await assert_no_partial_grievance(context)
        stored = by_key(rows)
        lost = [i for i, ack in acked_at_kill.items() if stored.get(key_of(i)) != ack]
        assert not lost, f"{len(lost)} acknowledged filings not stored as acknowledged, e.g. {lost[:5]}{context}"
        in_doubt = [i for i in cut if key_of(i) in stored and i not in acked_at_kill]
        unanswered = len(cut) - len(in_doubt)

        api.start()
        restarted_at = time.monotonic()
        up.set()
        await asyncio.wait_for(clients, 300)
    finally:
        # Not a cancellation: httpx's connect (anyio) can swallow one and retry forever.
        filings.halt = True
        up.set()
        await asyncio.wait_for(asyncio.gather(clients, return_exceptions=True), 60)

    context = f"{context}\n{api.tail()}"
    assert not filings.refused, f"{len(filings.refused)} filings refused: {list(filings.refused.items())[:3]}{context}"
    assert sorted(filings.acked) == list(range(FILINGS)), f"{FILINGS - len(filings.acked)} never acknowledged{context}"
    rows = await assert_no_partial_grievance(context)
    assert len(rows) == FILINGS, f"{len(rows)} grievances for {FILINGS} idempotency keys{context}"
    stored = by_key(rows)
    assert all(stored[key_of(i)] == ack for i, ack in filings.acked.items()), f"an answer names another grievance{context}"
    # Committed before the kill, answer lost: the retry found it instead of filing again.
    assert all(filings.created[i] is False for i in in_doubt), context
    assert sum(not c for c in filings.created.values()) == len(in_doubt), context
    # And a filing acknowledged before the kill, sent again, is answered with itself.
    async with httpx.AsyncClient(base_url=api.url, timeout=30, headers={"authorization": f"Bearer {token}"}) as client:
        for i in sorted(acked_at_kill)[:5]:
            body = (await client.post("/graphql", json={"query": FILE, "variables": filing(i, w.leaf.id)})).json()
            result = body["data"]["grievanceFile"]
            assert result["created"] is False and (int(result["grievance"]["id"]), result["grievance"]["number"]) == \
                acked_at_kill[i], body
    assert await Grievance.filter(idempotency_key__contains=KEY_PREFIX).count() == FILINGS
    print(f"\n{FILINGS} filings by {CLIENTS} clients; killed after {len(acked_at_kill)} acknowledgements "
          f"({killed_at - started:.1f} s in); {len(cut)} requests cut off: {len(in_doubt)} had committed "
          f"(their retry answered created: false), {unanswered} had not; restart to the last filing "
          f"{time.monotonic() - restarted_at:.1f} s; test {time.monotonic() - started:.1f} s")
