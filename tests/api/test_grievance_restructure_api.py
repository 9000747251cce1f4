"""Seed 000 through GraphQL: a redundant office and its account are folded away and
their pending grievances land with the right office and officer, previewed first."""

from __future__ import annotations

import httpx

from backend.settings import Settings
from tests.api.conftest import gql, sign_in
from tests.api.grievance_ops import act, file, filing, get, ok
from tests.factories import PASSWORD, lifecycle_world

MERGE = """mutation($s: ID!, $t: ID!, $d: Boolean!) { unitMerge(sourceId: $s, targetId: $t, dryRun: $d) { __typename
  ... on RestructurePlan { pendingItemsMoved pendingItems } ... on OperationError { code message } } }"""
DEACTIVATE = """mutation($a: ID!, $s: ID, $d: Boolean!) {
  accountDeactivate(accountId: $a, successorAccountId: $s, dryRun: $d) { __typename
  ... on AccountDeactivationPlan { pendingItemsMoved pendingItems } ... on OperationError { code message } } }"""


async def test_merge_and_deactivation_carry_pending_grievances(client: httpx.AsyncClient, settings: Settings) -> None:
    w = await lifecycle_world(settings)
    t = w.tree
    cell = await sign_in(client, "cell_op", PASSWORD)
    admin = await sign_in(client, "stateadmin", PASSWORD)
    nodal_a = await sign_in(client, "nodal_a", PASSWORD)
    at_b = ok(await file(client, cell, filing(w.leaf.id)))
    ok(await act(client, cell, "grievanceAllot", {"id": at_b["id"], "unitId": str(t.block_b.id)}))
    at_a = ok(await file(client, cell, filing(w.leaf.id, citizenMobile="9812345670")))
    ok(await act(client, cell, "grievanceAllot", {"id": at_a["id"], "unitId": str(t.block_a.id)}))
    ok(await act(client, nodal_a, "grievanceAssign", {"id": at_a["id"], "officerId": str(w.users["officer_a"].id)}))

    preview = (await gql(client, MERGE, {"s": str(t.block_b.id), "t": str(t.block_a.id), "d": True},
                         token=admin))["data"]["unitMerge"]
    assert preview == {"__typename": "RestructurePlan", "pendingItemsMoved": 1, "pendingItems": [at_b["number"]]}
    done = (await gql(client, MERGE, {"s": str(t.block_b.id), "t": str(t.block_a.id), "d": False},
                      token=admin))["data"]["unitMerge"]
    assert done["pendingItemsMoved"] == 1
    moved = await get(client, nodal_a, at_b["id"])
    assert moved is not None and moved["unit"]["code"] == "BR-REV-A-1"

    plan = (await gql(client, DEACTIVATE, {"a": str(w.users["officer_a"].id), "d": True}, token=admin))
    assert plan["data"]["accountDeactivate"]["__typename"] == "OperationError"  # pending work needs a successor
    plan = (await gql(client, DEACTIVATE, {"a": str(w.users["officer_a"].id), "s": str(w.users["officer_a2"].id),
                                           "d": False}, token=admin))["data"]["accountDeactivate"]
    assert plan["pendingItems"] == [at_a["number"]]
    officer2 = await sign_in(client, "officer_a2", PASSWORD)
    mine = await get(client, officer2, at_a["id"])
    assert mine is not None and mine["assignedOfficerName"] == "Officer_A2"
    assert mine["timeline"][-1]["action"] == "restructure_move"
