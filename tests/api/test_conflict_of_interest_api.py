"""Conflict of interest (F13): a grievance against an officer or an office is routed one
level above them, is never assigned to or moved back under them, and does not exist for
them on any read path - even where their grants would otherwise cover it."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from backend.accounts.models import Membership
from backend.accounts.roles import Role
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.api.grievance_ops import act, file, filing, get, ok, refused
from tests.api.test_grievance_refusals_api import INBOX
from tests.api.test_live_subscriptions import subscribe
from tests.factories import PASSWORD, LifecycleWorld, actor_for, lifecycle_world, staff

RULE = """mutation($i: RoutingRuleInput!) { routingRuleSet(input: $i) { __typename ... on OperationError { code } } }"""
BY_NUMBER = "query($n: String!) { grievanceByNumber(number: $n) { id } }"
UPDATED = "subscription($id: ID!) { grievanceUpdated(id: $id) { id } }"
INBOX_CHANGED = "subscription { inboxChanged { kind grievanceId } }"


async def _world(client: httpx.AsyncClient, settings: Settings) -> tuple[LifecycleWorld, dict[str, str]]:
    """The lifecycle world with a routing rule: the leaf in block A-1 goes to officer A."""
    w = await lifecycle_world(settings)
    tokens = {name: await sign_in(client, user.username, PASSWORD) for name, user in w.users.items()}
    client.cookies.clear()
    rule = await gql(client, RULE, {"i": {"categoryId": str(w.leaf.id), "unitId": str(w.tree.block_a.id),
                                          "areaCode": "BR-A-1", "officerId": str(w.users["officer_a"].id)}},
                     token=tokens["stateadmin"])
    assert rule["data"]["routingRuleSet"]["__typename"] == "RoutingRuleSuccess", rule
    return w, tokens


async def _inbox_numbers(client: httpx.AsyncClient, token: str, search: str = "") -> list[str]:
    body = await gql(client, INBOX, {"first": 50, "f": {"search": search}}, token=token)
    return [i["number"] for i in body["data"]["inbox"]["items"]]


async def _sees_nothing(client: httpx.AsyncClient, runtime: Runtime, w: LifecycleWorld, who: str, token: str,
                        g: dict[str, Any]) -> None:
    """Every read path: the grievance, by number, the inbox and its search, the live stream."""
    assert await get(client, token, g["id"]) is None
    assert (await gql(client, BY_NUMBER, {"n": g["number"]}, token=token))["data"]["grievanceByNumber"] is None
    assert g["number"] not in await _inbox_numbers(client, token)
    assert await _inbox_numbers(client, token, g["number"]) == []
    assert await _inbox_numbers(client, token, "9812345678") == []
    refused(await act(client, token, "grievanceComment", {"id": g["id"], "text": "Let me see."}), "NOT_FOUND")
    stream = await subscribe(runtime, await actor_for(w.users[who]), UPDATED, {"id": g["id"]})
    try:
        first = await asyncio.wait_for(anext(stream), 2.0)
        assert first.data is None and first.errors[0].message == "Grievance not found"
    finally:
        await stream.aclose()


async def test_against_an_officer_it_skips_them_and_they_cannot_see_it(
        client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w, t = await _world(client, settings)
    # The rule would give it to officer A; it is against officer A: it goes to the district above.
    g = ok(await file(client, t["cell"], filing(w.leaf.id, againstOfficerId=str(w.users["officer_a"].id))))
    assert (g["status"], g["unit"]["code"], g["assignedOfficerName"]) == ("ALLOTTED", "BR-REV-A", "")
    # Without the marker the same filing reaches officer A (the rule works).
    plain = ok(await file(client, t["cell"], filing(w.leaf.id, citizenMobile="9812345600")))
    assert (plain["unit"]["code"], plain["assignedOfficerName"]) == ("BR-REV-A-1", "Officer_A")

    await _sees_nothing(client, runtime, w, "officer_a", t["officer_a"], g)
    marked = await gql(client, "query($id: ID!) { grievance(id: $id) { againstUnit { code } againstOfficerName } }",
                       {"id": g["id"]}, token=t["nodal_a"])
    assert marked["data"]["grievance"] == {"againstUnit": None, "againstOfficerName": "Officer_A"}
    # The district, one level up, holds it; it may not send it back down to officer A's office.
    assert g["number"] in await _inbox_numbers(client, t["nodal_a"])
    back = refused(await act(client, t["nodal_a"], "grievanceTransfer",
                             {"id": g["id"], "unitId": str(w.tree.block_a.id)}), "CONFLICT_OF_INTEREST")
    assert back["fields"][0]["field"] == "unitId"
    assert (await get(client, t["nodal_a"], g["id"]) or {})["unit"] == {"code": "BR-REV-A"}


async def test_against_a_supervisor_they_never_see_it_in_their_subtree(
        client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w, t = await _world(client, settings)
    # Against the department's head: officer A still handles it, but the head, whose
    # grant covers the whole department, never sees it.
    g = ok(await file(client, t["cell"], filing(w.leaf.id, againstOfficerId=str(w.users["head"].id))))
    assert (g["unit"]["code"], g["assignedOfficerName"]) == ("BR-REV-A-1", "Officer_A")
    plain = ok(await file(client, t["cell"], filing(w.leaf.id, citizenMobile="9812345600")))
    assert await get(client, t["head"], plain["id"]) is not None
    await _sees_nothing(client, runtime, w, "head", t["head"], g)
    assert await get(client, t["officer_a"], g["id"]) is not None
    # A look-alike filed later names it as a suspected duplicate - but not to the head.
    later = ok(await file(client, t["cell"], filing(w.leaf.id, citizenMobile="9812345601")))
    assert g["number"] in later["suspectedDuplicates"]
    seen_by_head = await get(client, t["head"], later["id"])
    assert seen_by_head is not None and g["number"] not in seen_by_head["suspectedDuplicates"]
    assert plain["number"] in seen_by_head["suspectedDuplicates"]

    # Live: changes to it never reach the head's inbox stream; the other grievance's do.
    stream = await subscribe(runtime, await actor_for(w.users["head"]), INBOX_CHANGED)
    try:
        pending = asyncio.ensure_future(anext(stream))
        deadline = time.monotonic() + 10
        # The stream registers on its first read, some time after this: poll until it
        # hears something, each round changing the hidden grievance first.
        while not pending.done():
            assert time.monotonic() < deadline, "the head's inbox stream heard nothing"
            ok(await act(client, t["officer_a"], "grievanceComment", {"id": g["id"], "text": "Site visited."}))
            ok(await act(client, t["officer_a"], "grievanceComment", {"id": plain["id"], "text": "Site visited."}))
            await asyncio.wait({pending}, timeout=0.2)
        assert pending.result().data["inboxChanged"]["grievanceId"] == plain["id"]
    finally:
        await stream.aclose()


async def test_against_an_office_nobody_there_or_below_sees_it(
        client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w, t = await _world(client, settings)
    # An official holding a role above the block and one in it: the block's role wins.
    dual = await staff(settings, "dual", (w.tree.dept, Role.REVIEWER), (w.tree.block_a, Role.OFFICER))
    w.users["dual"] = dual
    dual_token = await sign_in(client, "dual", PASSWORD)
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    client.cookies.clear()
    g = ok(await file(client, citizen, filing(w.leaf.id, channel="WEB", againstUnitId=str(w.tree.block_a.id))))
    assert (g["status"], g["unit"]["code"], g["assignedOfficerName"]) == ("ALLOTTED", "BR-REV-A", "")
    assert await get(client, citizen, g["id"]) is not None
    for who in ("officer_a", "officer_a2", "dual"):
        await _sees_nothing(client, runtime, w, who, dual_token if who == "dual" else t[who], g)
    # The district above sees and handles it; the department's reviewer sees it too.
    assert await get(client, t["nodal_a"], g["id"]) is not None
    assert await get(client, t["dept_reviewer"], g["id"]) is not None
    marked = await gql(client, "query($id: ID!) { grievance(id: $id) { againstUnit { code } againstOfficerName } }",
                       {"id": g["id"]}, token=t["nodal_a"])
    assert marked["data"]["grievance"] == {"againstUnit": {"code": "BR-REV-A-1"}, "againstOfficerName": ""}
    refused(await act(client, t["nodal_a"], "grievanceTransfer", {"id": g["id"], "unitId": str(w.tree.block_a.id)}),
            "CONFLICT_OF_INTEREST")
    # The cell may not allot it back into the office either (from the district's return).
    ok(await act(client, t["nodal_a"], "grievanceNotOurs", {"id": g["id"], "rightAuthority": "The state cell"}))
    refused(await act(client, t["cell"], "grievanceAllot", {"id": g["id"], "unitId": str(w.tree.block_a.id)}),
            "CONFLICT_OF_INTEREST")
    ok(await act(client, t["cell"], "grievanceAllot", {"id": g["id"], "unitId": str(w.tree.block_b.id)}))


async def test_a_named_officer_posted_to_the_office_later_is_not_assigned(
        client: httpx.AsyncClient, settings: Settings) -> None:
    w, t = await _world(client, settings)
    g = ok(await file(client, t["cell"], filing(w.leaf.id, againstOfficerId=str(w.users["officer_b"].id))))
    assert g["unit"]["code"] == "BR-REV-A-1"  # officer B's office is another block: no conflict here
    await Membership.create(user_id=w.users["officer_b"].id, unit_id=w.tree.block_a.id, role=Role.OFFICER,
                            active=True, created_at=w.users["officer_b"].created_at)
    bad = refused(await act(client, t["nodal_a"], "grievanceAssign",
                            {"id": g["id"], "officerId": str(w.users["officer_b"].id)}), "CONFLICT_OF_INTEREST")
    assert bad["fields"] == [{"field": "officerId", "message": "the grievance is against this officer"}]
    ok(await act(client, t["nodal_a"], "grievanceAssign", {"id": g["id"], "officerId": str(w.users["officer_a2"].id)}))


async def test_the_marker_names_an_existing_official_and_office(client: httpx.AsyncClient, settings: Settings) -> None:
    w, t = await _world(client, settings)
    bad = await file(client, t["cell"], filing(w.leaf.id, againstOfficerId="999999", againstUnitId="888888"))
    assert bad["code"] == "VALIDATION"
    assert {f["field"] for f in bad["fields"]} == {"againstOfficerId", "againstUnitId"}
