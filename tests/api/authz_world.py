"""The one world the authorisation matrix runs in: every staff role held once inside the
grievances' subtree and once outside it, two citizens, and a grievance in each state an
operation needs - built once, through the API, and never changed by the matrix (every
case runs in a transaction that is rolled back).

    IN (national) -+- BR (state cell; every "inside" role; appeals go to BR-REV)
                   |    +- BR-REV (department) -+- BR-REV-A (district) - BR-REV-A-1 (block: the inside officer)
                   |                            +- BR-REV-B (district) - BR-REV-B-1 (block)
                   +- UP (state cell; every "outside" role)
                        +- UP-D (district) - UP-D-1 (block: the outside officer)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from backend.accounts.models import Membership, StaffUser
from backend.accounts.roles import Role
from backend.accounts.sign_in import resolve_session
from backend.authz.actors import ANONYMOUS, Actor
from backend.categories.models import Category
from backend.core.clock import utcnow
from backend.feedback.links import make_token
from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.api.grievance_ops import FINAL, act, file, filing, ok, report
from tests.factories import PASSWORD, category, staff, unit

OWN_MOBILE = "9812345678"
OTHER_MOBILE = "9812345679"
ANON = "anonymous"
CITIZEN = "citizen"              # the citizen whose grievances the world holds
OTHER_CITIZEN = "other_citizen"  # a citizen with no grievance of theirs here


def inside(role: Role) -> str:
    return role.value


def outside(role: Role) -> str:
    return f"{role.value}~outside"


STAFF_ACTORS = tuple(name for r in Role for name in (inside(r), outside(r)))
ACTORS = (ANON, CITIZEN, OTHER_CITIZEN, *STAFF_ACTORS)


@dataclass
class World:
    units: dict[str, Unit]
    users: dict[str, StaffUser]        # by actor name
    tokens: dict[str, str | None]      # by actor name; None for the anonymous
    actors: dict[str, Actor]           # by actor name, for subscriptions
    leaf: Category
    rts_leaf: Category
    spare_leaf: Category               # no grievance uses it: safe to route, edit and retire
    g: dict[str, dict[str, Any]]       # grievances by the state they were left in
    ids: dict[str, str] = field(default_factory=dict)  # other objects the operations name

    def unit_id(self, code: str) -> str:
        return str(self.units[code].id)


async def build_world(client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> World:
    units: dict[str, Unit] = {}
    units["IN"] = await unit("IN", UnitKind.NATIONAL_NODAL, None, area_codes=["IN"])
    units["BR"] = await unit("BR", UnitKind.STATE_NODAL, units["IN"], area_codes=["BR"])
    units["BR-REV"] = await unit("BR-REV", UnitKind.DEPARTMENT, units["BR"])
    units["BR-REV-A"] = await unit("BR-REV-A", UnitKind.DISTRICT, units["BR-REV"], area_codes=["BR-A"])
    units["BR-REV-A-1"] = await unit("BR-REV-A-1", UnitKind.BLOCK, units["BR-REV-A"], area_codes=["BR-A-1"])
    units["BR-REV-B"] = await unit("BR-REV-B", UnitKind.DISTRICT, units["BR-REV"], area_codes=["BR-B"])
    units["BR-REV-B-1"] = await unit("BR-REV-B-1", UnitKind.BLOCK, units["BR-REV-B"], area_codes=["BR-B-1"])
    units["UP"] = await unit("UP", UnitKind.STATE_NODAL, units["IN"], area_codes=["UP"])
    units["UP-D"] = await unit("UP-D", UnitKind.DISTRICT, units["UP"], area_codes=["UP-D"])
    units["UP-D-1"] = await unit("UP-D-1", UnitKind.BLOCK, units["UP-D"], area_codes=["UP-D-1"])
    # Appeals from the cell go to the department (an authority is never the unit itself).
    await Unit.filter(id=units["BR"].id).update(appellate_authority_id=units["BR-REV"].id)

    users: dict[str, StaffUser] = {}
    for role in Role:
        # An officer acts for their own office only, so theirs is the block the grievances go to.
        home_in, home_out = ("BR-REV-A-1", "UP-D-1") if role is Role.OFFICER else ("BR", "UP")
        users[inside(role)] = await staff(settings, f"in_{role.value}", (units[home_in], role))
        users[outside(role)] = await staff(settings, f"out_{role.value}", (units[home_out], role))

    tokens: dict[str, str | None] = {ANON: None}
    for name, user in users.items():
        tokens[name] = await sign_in(client, user.username, PASSWORD)
    tokens[CITIZEN] = await citizen_sign_in(client, runtime, OWN_MOBILE)
    tokens[OTHER_CITIZEN] = await citizen_sign_in(client, runtime, OTHER_MOBILE)
    client.cookies.clear()  # every request from here on says who it is by its bearer token
    now = utcnow()
    actors = {name: (await resolve_session(settings, tok, now) if tok else ANONYMOUS) for name, tok in tokens.items()}

    service = await category("REV-LAND", units["BR-REV"])
    leaf = await category("REV-LAND-MUTATION", units["BR-REV"], service)
    spare = await category("REV-LAND-SURVEY", units["BR-REV"], service)
    rts_service = await category("REV-CERT", units["BR-REV"], rts_days=7)
    rts_leaf = await category("REV-CERT-CASTE", units["BR-REV"], rts_service)

    w = World(units, users, tokens, actors, leaf, rts_leaf, spare, {}, {"service": str(service.id)})
    await _grievances(client, w)
    await _other_objects(client, settings, w)
    client.cookies.clear()
    return w


def _t(w: World, role: Role) -> str:
    token = w.tokens[inside(role)]
    assert token is not None
    return token


async def _grievances(client: httpx.AsyncClient, w: World) -> None:
    cell, nodal, officer = _t(w, Role.CELL_OPERATOR), _t(w, Role.NODAL_OFFICER), _t(w, Role.OFFICER)
    reviewer, citizen = _t(w, Role.REVIEWER), w.tokens[CITIZEN]
    block = w.unit_id("BR-REV-A-1")
    officer_id = str(w.users[inside(Role.OFFICER)].id)

    async def new(subject: str, leaf: Category | None = None) -> str:
        data = filing((leaf or w.leaf).id, citizenMobile=OWN_MOBILE, subject=subject,
                      description=f"{subject}: the matrix world's grievance, described at length.")
        gid: str = ok(await file(client, cell, data))["id"]
        return gid

    async def assigned(subject: str, leaf: Category | None = None) -> str:
        gid = await new(subject, leaf)
        ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": block}))
        ok(await act(client, nodal, "grievanceAssign", {"id": gid, "officerId": officer_id}))
        return gid

    async def closed(subject: str) -> str:
        gid = await assigned(subject)
        ok(await report(client, officer, gid, "FINAL", FINAL))
        for _ in range(2):  # district, then department
            ok(await act(client, reviewer, "reviewApprove", {"id": gid}))
        ok(await act(client, cell, "grievanceClose", {"id": gid}))
        return gid

    g: dict[str, str] = {}
    g["filed"] = await new("Filed")
    g["allotted"] = await new("Allotted")
    ok(await act(client, cell, "grievanceAllot", {"id": g["allotted"], "unitId": block}))
    g["at_district"] = await new("At the district")
    ok(await act(client, cell, "grievanceAllot", {"id": g["at_district"], "unitId": w.unit_id("BR-REV-A")}))
    g["assigned"] = await assigned("Assigned")
    g["awaiting"] = await assigned("Awaiting")
    ok(await act(client, officer, "grievanceRequestInfo", {"id": g["awaiting"], "question": "Which plot number?"}))
    g["review"] = await assigned("Review")
    ok(await report(client, officer, g["review"], "FINAL", FINAL))
    g["top_review"] = await assigned("Top of the review chain")
    ok(await report(client, officer, g["top_review"], "FINAL", FINAL))
    for _ in range(2):  # district, then department: the cell closes
        ok(await act(client, reviewer, "reviewApprove", {"id": g["top_review"]}))
    g["closed"] = await closed("Closed")
    g["disputed"] = await closed("Disputed")
    said = await gql(client, """mutation($id: ID!) { feedbackGive(id: $id, resolved: false, rating: 1,
        remarks: "Nothing was done.") { __typename } }""", {"id": g["disputed"]}, token=citizen)
    assert said["data"]["feedbackGive"]["__typename"] == "FeedbackSuccess", said
    g["rejected"] = await new("Rejected")
    ok(await act(client, cell, "grievanceReject", {"id": g["rejected"], "reason": "RTI_MATTER", "note": "An RTI"}))
    g["appealed"] = await new("Appealed")
    ok(await act(client, cell, "grievanceReject", {"id": g["appealed"], "reason": "RTI_MATTER", "note": "An RTI"}))
    ok(await act(client, citizen, "appealFile", {"id": g["appealed"], "grounds": "It is not an RTI matter."}))
    g["rts"] = await assigned("Caste certificate", w.rts_leaf)
    g["rts_helping"] = await assigned("Income certificate", w.rts_leaf)
    helping = await gql(client, """mutation($id: ID!) { rtsRecordNotApplied(id: $id, note: "Not applied yet.") {
        __typename } }""", {"id": g["rts_helping"]}, token=officer)
    assert helping["data"]["rtsRecordNotApplied"]["__typename"] == "GrievanceSuccess", helping
    g["called"] = await closed("Called")
    numbers = await _numbers(client, cell, list(g.values()))
    w.g = {state: {"id": gid, "number": numbers[gid]} for state, gid in g.items()}


async def _numbers(client: httpx.AsyncClient, token: str, ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for gid in ids:
        body = await gql(client, "query($id: ID!) { grievance(id: $id) { number } }", {"id": gid}, token=token)
        found[gid] = body["data"]["grievance"]["number"]
    return found


async def _other_objects(client: httpx.AsyncClient, settings: Settings, w: World) -> None:
    admin, agent = _t(w, Role.ORG_ADMIN), _t(w, Role.CALL_CENTRE_AGENT)
    district = w.unit_id("BR-REV-A")
    rule = await gql(client, """mutation($i: RoutingRuleInput!) { routingRuleSet(input: $i) { __typename
        ... on RoutingRuleSuccess { rule { id } } ... on OperationError { code message } } }""",
                     {"i": {"categoryId": str(w.spare_leaf.id), "unitId": district, "areaCode": "BR-A"}}, token=admin)
    w.ids["rule"] = rule["data"]["routingRuleSet"]["rule"]["id"]
    policy = await gql(client, """mutation($i: SlaPolicyInput!) { slaPolicySet(input: $i) { __typename
        ... on SlaPolicySuccess { policy { id } } ... on OperationError { code message } } }""",
                       {"i": {"unitId": district, "stage": "FINAL_REPORT", "mode": "WORKING_DAYS", "amount": 10}},
                       token=admin)
    w.ids["policy"] = policy["data"]["slaPolicySet"]["policy"]["id"]
    holiday = await gql(client, """mutation($u: ID!) { slaHolidayAdd(unitId: $u, day: "2026-12-24", name: "Local fair")
        { __typename ... on SlaHolidaySuccess { holiday { id } } ... on OperationError { code message } } }""",
                        {"u": district}, token=admin)
    w.ids["holiday"] = holiday["data"]["slaHolidayAdd"]["holiday"]["id"]
    queue = await gql(client, "{ feedbackCallQueue(first: 10) { ... on FeedbackCallQueue { items { id grievance { id } } } } }",
                      token=agent)
    calls = {i["grievance"]["id"]: i["id"] for i in queue["data"]["feedbackCallQueue"]["items"]}
    w.ids["call"] = calls[w.g["closed"]["id"]]
    w.ids["claimed_call"] = calls[w.g["called"]["id"]]
    claimed = await gql(client, "mutation($id: ID!) { feedbackCallClaim(id: $id) { __typename } }",
                        {"id": w.ids["claimed_call"]}, token=agent)
    assert claimed["data"]["feedbackCallClaim"]["__typename"] == "FeedbackCallClaimSuccess", claimed
    officer = w.users[inside(Role.OFFICER)]
    grant = await Membership.get(user_id=officer.id)
    w.ids["grant"] = str(grant.id)
    # The disposal SMS's link, as the dispatcher signs it: whoever holds it may answer.
    w.ids["link"] = make_token(settings.secret_key, int(w.g["closed"]["id"]), 1, utcnow() + timedelta(days=5))
