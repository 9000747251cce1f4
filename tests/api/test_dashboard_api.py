"""The dashboard over GraphQL: the rollups' figures for a subtree, split by child unit and
channel, for staff covering the unit only."""

from __future__ import annotations

from datetime import timedelta

import httpx

from backend.core.clock import utcnow
from backend.runtime import Runtime
from backend.settings import Settings
from backend.stats.refresh import SETTLE, refresh_all
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.api.grievance_ops import act, file, filing, ok
from tests.api.test_feedback_appeals_api import GIVE, closed_grievance
from tests.factories import PASSWORD, lifecycle_world

DASHBOARD = """query($u: ID!, $s: Date!, $e: Date!, $f: DashboardFilter) { dashboard(unitId: $u, since: $s, until: $e,
  filter: $f) { __typename ... on Dashboard { received disposed closed resolved notResolved pending
  ageing { band count } medianDisposalDays sla { stage onTime late rate } satisfaction { source answers saidResolved
  averageRating } transferred } ... on OperationError { code fields { field } } } }"""
BREAKDOWN = """query($u: ID!, $s: Date!, $e: Date!, $by: DashboardBreakdown!) { dashboardBreakdown(unitId: $u,
  since: $s, until: $e, by: $by) { __typename ... on DashboardRows { rows { key unitId received disposed resolved
  pending } } ... on OperationError { code } } }"""


async def test_the_dashboard_reads_the_rollups(client: httpx.AsyncClient, settings: Settings,
                                               runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    gid, t = await closed_grievance(client, w)
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    said = await gql(client, GIVE, {"id": gid, "r": True, "rating": 4, "remarks": ""}, token=citizen)
    assert said["data"]["feedbackGive"]["__typename"] == "FeedbackSuccess"
    pending = ok(await file(client, t["cell"], filing(w.leaf.id, citizenMobile="9812345670", channel="POST")))["id"]
    ok(await act(client, t["cell"], "grievanceAllot", {"id": pending, "unitId": str(w.tree.block_b.id)}))
    await refresh_all(utcnow() + SETTLE)

    today = utcnow().date()
    period = {"s": (today - timedelta(days=6)).isoformat(), "e": (today + timedelta(days=1)).isoformat()}
    state = await sign_in(client, "stateadmin", PASSWORD)
    got = (await gql(client, DASHBOARD, {"u": str(w.tree.state.id), **period}, token=t["cell"]))["data"]["dashboard"]
    assert (got["received"], got["disposed"], got["closed"], got["resolved"], got["pending"]) == (2, 1, 1, 1, 1)
    assert {"band": "0-7", "count": 1} in got["ageing"] and got["medianDisposalDays"] == 0.0
    assert got["satisfaction"] == [{"source": "citizen", "answers": 1, "saidResolved": 1, "averageRating": 4.0}]
    whatsapp = (await gql(client, DASHBOARD, {"u": str(w.tree.state.id), **period, "f": {"channel": "POST"}},
                          token=t["cell"]))["data"]["dashboard"]
    assert (whatsapp["received"], whatsapp["disposed"]) == (1, 0)

    rows = (await gql(client, BREAKDOWN, {"u": str(w.tree.dept.id), **period, "by": "CHILD_UNIT"},
                      token=t["cell"]))["data"]["dashboardBreakdown"]["rows"]
    by_code = {r["key"]: (r["received"], r["disposed"], r["resolved"], r["pending"]) for r in rows}
    # The district answerable for the closure (its block's ATR) and the one holding the pending grievance.
    assert by_code == {"BR-REV-A": (0, 1, 1, 0), "BR-REV-B": (0, 0, 0, 1)}
    channels = (await gql(client, BREAKDOWN, {"u": str(w.tree.state.id), **period, "by": "CHANNEL"},
                          token=t["cell"]))["data"]["dashboardBreakdown"]["rows"]
    assert {r["key"]: r["received"] for r in channels} == {"WHATSAPP": 1, "POST": 1}

    trend = (await gql(client, """query($u: ID!, $s: Date!, $e: Date!) { dashboardTrend(unitId: $u, since: $s,
      until: $e) { ... on DashboardTrend { points { day received disposed resolved } } } }""",
                       {"u": str(w.tree.state.id), **period}, token=t["cell"]))["data"]["dashboardTrend"]["points"]
    assert trend == [{"day": today.isoformat(), "received": 2, "disposed": 1, "resolved": 1}]

    ranked = (await gql(client, """query($u: ID!, $s: Date!, $e: Date!) { ranking(unitId: $u, since: $s, until: $e) {
      __typename ... on Ranking { formula minHandled weights { dimension weight } units { rank unit { code } score
      reason handled components { efficiency } } } } }""", {"u": str(w.tree.dept.id), **period}, token=t["cell"]))
    ranking = ranked["data"]["ranking"]
    assert "efficiency" in ranking["formula"] and ranking["minHandled"] == 20
    assert sum(x["weight"] for x in ranking["weights"]) == 1.0
    # Too few grievances for either district: both listed, neither ranked.
    assert [(u["unit"]["code"], u["rank"], u["reason"]) for u in ranking["units"]] == [
        ("BR-REV-A", None, "fewer than 20 grievances handled"), ("BR-REV-B", None, "fewer than 20 grievances handled")]

    other = await sign_in(client, "officer_b", PASSWORD)
    refused = (await gql(client, DASHBOARD, {"u": str(w.tree.state.id), **period}, token=other))["data"]["dashboard"]
    assert refused["code"] == "FORBIDDEN"
    backwards = {"s": period["e"], "e": period["s"]}
    bad = (await gql(client, DASHBOARD, {"u": str(w.tree.state.id), **backwards}, token=state))["data"]["dashboard"]
    assert bad == {"__typename": "OperationError", "code": "VALIDATION", "fields": [{"field": "until"}]}
