"""Subscriptions through the schema, fed by changes made through the HTTP API and by
jobs: in-process broadcast on SQLite, Redis pub/sub in the PostgreSQL suite."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from backend.accounts.sign_in import resolve_session
from backend.api.context import Context
from backend.api.schema import schema
from backend.authz.actors import Actor
from backend.core.clock import utcnow
from backend.orgs.models import EscalationLevel
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, sign_in
from tests.api.grievance_ops import act, file, filing, ok
from tests.factories import PASSWORD, actor_for, lifecycle_world
from workers import names

GRIEVANCE = "subscription($id: ID!) { grievanceUpdated(id: $id) { id status version unit { code } } }"
INBOX = "subscription { inboxChanged { kind grievanceId version grievance { status unit { code } } } }"


async def subscribe(runtime: Runtime, actor: Actor, query: str, variables: dict[str, Any] | None = None
                    ) -> AsyncGenerator[Any, None]:
    context = Context(request=None, response=None, runtime=runtime, actor=actor, now=utcnow())  # type: ignore[arg-type]
    stream = await schema.subscribe(query, variable_values=variables, context_value=context)
    assert not hasattr(stream, "errors"), stream
    return stream  # type: ignore[return-value]


async def next_result(stream: AsyncGenerator[Any, None], timeout: float = 2.0) -> Any:
    return await asyncio.wait_for(anext(stream), timeout)


async def test_the_citizen_follows_their_grievance_live(client: httpx.AsyncClient, settings: Settings,
                                                        runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    cell = await sign_in(client, "cell_op", PASSWORD)
    gid = ok(await file(client, cell, filing(w.leaf.id, citizenMobile="9812345678")))["id"]
    token = await citizen_sign_in(client, runtime, "9812345678")
    citizen = await resolve_session(settings, token, utcnow())
    stream = await subscribe(runtime, citizen, GRIEVANCE, {"id": gid})
    try:
        first = await next_result(stream)
        assert first.errors is None and first.data["grievanceUpdated"]["status"] == "FILED"
        # A change through the HTTP API reaches the subscriber.
        ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
        update = await next_result(stream, 1.0)
        assert update.data["grievanceUpdated"]["status"] == "ALLOTTED"
        assert update.data["grievanceUpdated"]["version"] == first.data["grievanceUpdated"]["version"] + 1
        # A refused action changes nothing and announces nothing.
        refused = await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)})
        assert refused["__typename"] == "OperationError"
        with pytest.raises(TimeoutError):
            await next_result(stream, 0.3)
    finally:
        await stream.aclose()


async def test_a_subscription_to_someone_elses_grievance_is_refused(client: httpx.AsyncClient, settings: Settings,
                                                                    runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    cell = await sign_in(client, "cell_op", PASSWORD)
    gid = ok(await file(client, cell, filing(w.leaf.id, citizenMobile="9812345678")))["id"]
    other = await resolve_session(settings, await citizen_sign_in(client, runtime, "9812300000"), utcnow())
    officer_b = await actor_for(w.users["officer_b"])  # another district's officer
    for actor in (other, officer_b):
        stream = await subscribe(runtime, actor, GRIEVANCE, {"id": gid})
        result = await next_result(stream)
        assert result.data is None and result.errors[0].message == "Grievance not found"
        await stream.aclose()
    anonymous = await resolve_session(settings, None, utcnow())
    stream = await subscribe(runtime, anonymous, INBOX)
    result = await next_result(stream)
    assert result.errors[0].message == "Sign in first"
    await stream.aclose()


async def test_the_inbox_hears_what_enters_leaves_and_is_escalated(
        client: httpx.AsyncClient, settings: Settings, runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    w = await lifecycle_world(settings)
    # The district's ladder: a missed deadline goes to the department first.
    await EscalationLevel.create(unit=w.tree.district_a, level=1, authority=w.tree.dept, window_hours=72)
    cell = await sign_in(client, "cell_op", PASSWORD)
    gid = ok(await file(client, cell, filing(w.leaf.id)))["id"]
    officer_stream = await subscribe(runtime, await actor_for(w.users["officer_a"]), INBOX)
    head_stream = await subscribe(runtime, await actor_for(w.users["head"]), INBOX)
    try:
        pending = asyncio.ensure_future(next_result(officer_stream))
        await asyncio.sleep(0.1)  # the subscriptions register on their first read
        head_pending = asyncio.ensure_future(next_result(head_stream, 3.0))
        await asyncio.sleep(0.1)
        ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
        entered = (await pending).data["inboxChanged"]
        assert (entered["kind"], entered["grievanceId"]) == ("ENTERED", gid)
        assert entered["grievance"] == {"status": "ALLOTTED", "unit": {"code": "BR-REV-A-1"}}
        # The department's head covers the department's subtree: it entered there too.
        assert (await head_pending).data["inboxChanged"]["kind"] == "ENTERED"

        # A job (the escalation sweep, as the worker runs it, two days on) is announced too.
        monkeypatch.setattr("workers.sla.utcnow", lambda: utcnow() + timedelta(days=2))
        await runtime.queue.enqueue(names.SWEEP_ESCALATIONS)
        await runtime.queue.drain()  # type: ignore[attr-defined]
        escalated = (await next_result(head_stream)).data["inboxChanged"]
        assert (escalated["kind"], escalated["grievanceId"]) == ("ESCALATED_TO_YOU", gid)
        assert (await next_result(officer_stream)).data["inboxChanged"]["kind"] == "CHANGED"

        officer = await sign_in(client, "officer_a", PASSWORD)
        ok(await act(client, officer, "grievanceNotOurs", {"id": gid, "rightAuthority": "The circle office"}))
        left = (await next_result(officer_stream)).data["inboxChanged"]
        # Back with the cell: it has left officer A's inbox (they still see it: they held it).
        assert (left["kind"], left["grievanceId"]) == ("LEFT", gid)
        assert left["grievance"]["status"] == "RETURNED"
    finally:
        await officer_stream.aclose()
        await head_stream.aclose()
