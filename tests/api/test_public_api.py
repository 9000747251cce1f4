"""The public page and its query: aggregates and rankings for anyone, and nothing
personal - its output is searched for every citizen's name and number, every
grievance's text and every official's name in the data."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx

from backend.accounts.models import Citizen, StaffUser
from backend.core.clock import utcnow
from backend.grievances.models import Grievance
from backend.runtime import Runtime
from backend.settings import Settings
from backend.stats.refresh import SETTLE, refresh_all
from tests.api.conftest import citizen_sign_in, gql
from tests.api.grievance_ops import act, file, filing, ok
from tests.api.test_feedback_appeals_api import GIVE, closed_grievance
from tests.factories import lifecycle_world

PUBLIC = """query($s: Date!, $e: Date!, $u: String) { publicDashboard(since: $s, until: $e, unitCode: $u) {
  __typename ... on PublicDashboard { unit { code name } received disposed resolved pending ageing { band count }
  averageDisposalDays medianDisposalDays satisfaction { source answers saidResolved averageRating }
  ranking { rank unit { code name } score components { efficiency feedback categorisation commitment } reason
  handled disposed resolved } } ... on OperationError { code message } } }"""


async def test_the_public_sees_aggregates_and_nothing_personal(client: httpx.AsyncClient, settings: Settings,
                                                               runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    gid, t = await closed_grievance(client, w)
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    await gql(client, GIVE, {"id": gid, "r": True, "rating": 5, "remarks": "Thank you, Ramesh here"}, token=citizen)
    other = ok(await file(client, t["cell"], filing(w.leaf.id, citizenMobile="9812345670", citizenName="Zubeida Khatoon",
                                                     subject="Hand pump broken near the Kali temple")))["id"]
    ok(await act(client, t["cell"], "grievanceAllot", {"id": other, "unitId": str(w.tree.block_b.id)}))
    await refresh_all(utcnow() + SETTLE)
    client.cookies.clear()  # anonymous from here on

    today = utcnow().date()
    period = {"s": (today - timedelta(days=29)).isoformat(), "e": (today + timedelta(days=1)).isoformat()}
    top = (await gql(client, PUBLIC, period))["data"]["publicDashboard"]
    assert top["unit"]["code"] == "IN" and (top["received"], top["disposed"], top["resolved"]) == (2, 1, 1)
    state = (await gql(client, PUBLIC, {**period, "u": "BR-REV"}))["data"]["publicDashboard"]
    assert [r["unit"]["code"] for r in state["ranking"]] == ["BR-REV-A", "BR-REV-B"]
    assert all(r["rank"] is None and r["reason"] for r in state["ranking"])  # too small to rank
    too_deep = (await gql(client, PUBLIC, {**period, "u": "BR-REV-A-1"}))["data"]["publicDashboard"]
    assert too_deep["code"] == "FORBIDDEN"

    page = (await client.get("/public/")).text
    scripts = [(await client.get(path)).text for path in ("/js/public/main.js", "/js/public/strings.js")]
    outputs = [json.dumps(top, ensure_ascii=False), json.dumps(state, ensure_ascii=False), page, *scripts]
    secrets: set[str] = set()
    for g in await Grievance.all():
        secrets |= {g.citizen_name, g.citizen_mobile, g.subject, g.description, g.relief_sought}
    for c in await Citizen.all():
        secrets |= {c.mobile, c.name}
    secrets |= {u.full_name for u in await StaffUser.all()} | {"Ramesh", "Thank you"}
    secrets = {s for s in secrets if s and len(s) >= 4}
    assert len(secrets) > 8
    leaks = {s for s in secrets for out in outputs if s in out}
    assert leaks == set()
