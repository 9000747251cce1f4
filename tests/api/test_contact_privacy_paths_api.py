"""The citizen's contact details on every path that returns them besides the grievance
query (tested in test_contact_privacy_api.py): inbox lists and their search, the
timeline, and the live streams - masked for officials not handling the case, and each
view in clear recorded."""

from __future__ import annotations

import asyncio
import time

import httpx

from backend.audit.models import AuditEvent
from backend.categories.models import Category
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.api.grievance_ops import act, file, filing, ok
from tests.api.test_live_subscriptions import subscribe
from tests.factories import PASSWORD, actor_for, lifecycle_world

INBOX = """query($s: String!) { inbox(first: 20, filter: {search: $s}) { ... on GrievancePage {
  items { id citizenName citizenMobile contactMasked } } } }"""
TIMELINE = "query($id: ID!) { grievance(id: $id) { timeline { action actorName } } }"
LIVE = "subscription($id: ID!) { grievanceUpdated(id: $id) { unit { code } citizenMobile contactMasked } }"


async def viewed(gid: str) -> list[str]:
    return [e.actor_id for e in await AuditEvent.filter(object_type="grievance_contact", object_id=gid,
                                                        action="contact_viewed").order_by("seq")]


async def test_inbox_lists_and_search_mask_for_officials_not_handling(client: httpx.AsyncClient,
                                                                      settings: Settings) -> None:
    w = await lifecycle_world(settings)
    cell = await sign_in(client, "cell_op", PASSWORD)
    gid = ok(await file(client, cell, filing(w.leaf.id)))["id"]
    ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(w.tree.district_a.id)}))
    nodal, head = await sign_in(client, "nodal_a", PASSWORD), await sign_in(client, "dept_head", PASSWORD)
    client.cookies.clear()
    before = await viewed(gid)  # the cell's own, filing it
    for search in ("", "9812345678"):  # the list, and a search by the citizen's own number
        masked = (await gql(client, INBOX, {"s": search}, token=head))["data"]["inbox"]["items"]
        assert masked == [{"id": gid, "citizenName": "Ramesh Kumar", "citizenMobile": "98XXXXXX78",
                           "contactMasked": True}]
    assert await viewed(gid) == before
    clear = (await gql(client, INBOX, {"s": ""}, token=nodal))["data"]["inbox"]["items"]
    assert [(i["id"], i["citizenMobile"], i["contactMasked"]) for i in clear] == [(gid, "9812345678", False)]
    assert await viewed(gid) == [*before, str(w.users["nodal_a"].id)]


async def test_the_timeline_shows_a_sensitive_grievance_citizen_by_initials(
        client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    await Category.filter(id=w.leaf.id).update(sensitive=True)
    cell = await sign_in(client, "cell_op", PASSWORD)
    gid = ok(await file(client, cell, filing(w.leaf.id)))["id"]
    ok(await act(client, cell, "grievanceRequestInfo", {"id": gid, "question": "Which circle office?"}))
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    ok(await act(client, citizen, "grievanceReply", {"id": gid, "text": "Bihta circle."}))
    head = await sign_in(client, "dept_head", PASSWORD)
    ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
    client.cookies.clear()

    def replies(body: dict[str, object]) -> list[str]:
        entries = body["data"]["grievance"]["timeline"]  # type: ignore[index]
        return [e["actorName"] for e in entries if e["action"] == "citizen_reply"]

    assert replies(await gql(client, TIMELINE, {"id": gid}, token=head)) == ["R. K."]
    officer = await sign_in(client, "officer_a", PASSWORD)
    assert replies(await gql(client, TIMELINE, {"id": gid}, token=officer)) == ["Ramesh Kumar"]


async def test_a_live_stream_decides_the_contact_details_afresh_on_each_update(
        client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    cell = await sign_in(client, "cell_op", PASSWORD)
    nodal = await sign_in(client, "nodal_a", PASSWORD)
    client.cookies.clear()
    gid = ok(await file(client, cell, filing(w.leaf.id)))["id"]
    ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(w.tree.district_a.id)}))
    before = await viewed(gid)  # the cell's own, filing it
    stream = await subscribe(runtime, await actor_for(w.users["nodal_a"]), LIVE, {"id": gid})
    try:
        first = (await asyncio.wait_for(anext(stream), 2.0)).data["grievanceUpdated"]
        # With the district: its nodal officer handles it, in clear, and the view is recorded.
        assert first == {"unit": {"code": "BR-REV-A"}, "citizenMobile": "9812345678", "contactMasked": False}
        assert await viewed(gid) == [*before, str(w.users["nodal_a"].id)]
        ok(await act(client, nodal, "grievanceTransfer", {"id": gid, "unitId": str(w.tree.block_a.id)}))
        # Down with the block now: the district still sees it but no longer handles it.
        moved = (await asyncio.wait_for(anext(stream), 2.0)).data["grievanceUpdated"]
        assert moved == {"unit": {"code": "BR-REV-A-1"}, "citizenMobile": "98XXXXXX78", "contactMasked": True}
        # Masked views are not views of the details: nothing more is recorded.
        assert await viewed(gid) == [*before, str(w.users["nodal_a"].id)]
    finally:
        await stream.aclose()


async def test_the_inbox_stream_decides_the_contact_details_afresh_on_each_event(
        client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    cell = await sign_in(client, "cell_op", PASSWORD)
    nodal = await sign_in(client, "nodal_a", PASSWORD)
    client.cookies.clear()
    gid = ok(await file(client, cell, filing(w.leaf.id)))["id"]
    ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(w.tree.district_a.id)}))
    query = "subscription { inboxChanged { kind grievance { unit { code } citizenMobile contactMasked } } }"
    stream = await subscribe(runtime, await actor_for(w.users["nodal_a"]), query)
    try:
        pending = asyncio.ensure_future(anext(stream))
        deadline = time.monotonic() + 10
        # The stream registers on its first read, some time after this: poll until it hears a change.
        while not pending.done():
            assert time.monotonic() < deadline, "the inbox stream heard nothing"
            ok(await act(client, nodal, "grievanceComment", {"id": gid, "text": "Looking into it."}))
            await asyncio.wait({pending}, timeout=0.2)
        first = pending.result().data["inboxChanged"]["grievance"]
        assert first == {"unit": {"code": "BR-REV-A"}, "citizenMobile": "9812345678", "contactMasked": False}
        ok(await act(client, nodal, "grievanceTransfer", {"id": gid, "unitId": str(w.tree.block_a.id)}))
        while True:  # comments sent while the stream was registering may still be queued
            event = (await asyncio.wait_for(anext(stream), 2.0)).data["inboxChanged"]["grievance"]
            if event["unit"]["code"] == "BR-REV-A-1":
                break
        assert event == {"unit": {"code": "BR-REV-A-1"}, "citizenMobile": "98XXXXXX78", "contactMasked": True}
    finally:
        await stream.aclose()
