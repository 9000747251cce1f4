"""The authorisation matrix: every query, mutation and subscription of the schema, as
every kind of actor - the anonymous, the citizen whose data it is, another citizen, and
each staff role held inside the target's subtree and outside it - allowed or refused.

The operations come from the schema itself, so a new operation without a row in `RULES`
fails `test_every_operation_has_a_rule`. A row says which actors may; everyone else must
be refused: `UNAUTHENTICATED`, `FORBIDDEN` or `NOT_FOUND` (a grievance or object one
may not see does not exist for them), or for reads null / an empty list / an empty page.
"Allowed" means the authorisation let the request through: it succeeded, or failed for
a reason that is not a refusal (a validation error, a conflict with the state). Each case
runs in a transaction that is rolled back, so every case meets the same world.

`AUTHZ_MATRIX_DUMP=/tmp/matrix.txt` writes the differences and then every case's
outcome there, to review a change of rules.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest_asyncio
from graphql import GraphQLField, GraphQLList, GraphQLNamedType, GraphQLNonNull, GraphQLObjectType, GraphQLType, GraphQLUnionType
from strawberry.types import ExecutionResult
from tortoise.transactions import in_transaction

from backend.accounts.roles import Role
from backend.api.context import Context
from backend.api.schema import schema
from backend.app import create_app
from backend.core.broadcast import InProcessBroadcast
from backend.core.clock import utcnow
from backend.notifications.sms import LogSmsGateway
from backend.rts.services import INDIA
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.authz_world import (
    ACTORS,
    ANON,
    CITIZEN,
    OTHER_CITIZEN,
    OWN_MOBILE,
    STAFF_ACTORS,
    World,
    build_world,
    inside,
    outside,
)
from tests.api.grievance_ops import FINAL
from tests.factories import PASSWORD
from tests.unit.test_sniffing import png_bytes

REFUSAL_CODES = frozenset({"UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"})
Args = Callable[[World], dict[str, Any]]


# -- who ---------------------------------------------------------------------------------

def ins(*roles: Role) -> frozenset[str]:
    """Those roles, held at a unit covering the target (the officer: at the target's office)."""
    return frozenset(inside(r) for r in roles)


def anywhere(*roles: Role) -> frozenset[str]:
    return frozenset(name for r in roles for name in (inside(r), outside(r)))


EVERYONE = frozenset(ACTORS)
STAFF = frozenset(STAFF_ACTORS)
SIGNED_IN = EVERYONE - {ANON}
STAFF_IN = ins(*Role)
# Everyone inside but the last-mile officer, whose grant covers the block office alone.
SUPERVISORS_IN = ins(*(set(Role) - {Role.OFFICER}))
OWNER = frozenset({CITIZEN})
R = Role
ADMINS = (R.NODAL_OFFICER, R.ORG_ADMIN, R.SYSTEM_ADMIN)
TRIAGE = (R.CELL_OPERATOR, R.NODAL_OFFICER, R.ORG_ADMIN, R.SYSTEM_ADMIN)


@dataclass(frozen=True)
class Rule:
    args: Args
    may: frozenset[str]


def g(state: str, **extra: Any) -> Args:
    """The id of the world's grievance in that state, plus the other arguments."""
    return lambda w: {"id": w.g[state]["id"], **extra}


def none(_: World) -> dict[str, Any]:
    return {}


PERIOD = {"since": "2026-01-01", "until": "2027-01-01"}
INSTANTS = {"since": "2026-01-01T00:00:00Z", "until": "2027-01-01T00:00:00Z"}


def at(code: str, key: str = "unitId", **extra: Any) -> Args:
    return lambda w: {key: w.unit_id(code), **extra}


def unit_input(code: str) -> dict[str, Any]:
    return {"code": code, "kind": "BLOCK", "names": [{"language": "en", "text": code}, {"language": "hi", "text": code}]}


def category_input(code: str) -> dict[str, Any]:
    return {"code": code, "names": [{"language": "en", "text": code}, {"language": "hi", "text": code}]}


IMPORT_CSV = ("code,parent_code,kind,name_en,name_hi,area_codes,appellate_authority_code,escalation_authority_codes,"
              "active\nBR-REV-A-9,BR-REV-A,block,Ninth block,नौवां प्रखंड,BR-A-9,,,true\n")

# -- the rules: operation -> who may -----------------------------------------------------

QUERIES: dict[str, Rule] = {
    "health": Rule(none, EVERYONE),
    "viewer": Rule(none, EVERYONE),
    "pushPublicKey": Rule(none, EVERYONE),
    "filingAreas": Rule(none, EVERYONE),
    "category": Rule(lambda w: {"id": str(w.leaf.id)}, EVERYONE),
    "categories": Rule(lambda w: {"departmentId": w.unit_id("BR-REV")}, EVERYONE),
    "categorySearch": Rule(lambda w: {"text": "mutation"}, EVERYONE),
    "publicDashboard": Rule(lambda w: PERIOD, EVERYONE),
    "feedbackLink": Rule(lambda w: {"token": w.ids["link"]}, EVERYONE),
    "notificationPreferences": Rule(none, SIGNED_IN),
    "myGrievances": Rule(none, OWNER),
    "grievance": Rule(g("assigned"), OWNER | STAFF_IN),
    "grievanceByNumber": Rule(lambda w: {"number": w.g["assigned"]["number"]}, OWNER | STAFF_IN),
    "inbox": Rule(none, STAFF_IN),
    "account": Rule(lambda w: {"id": str(w.users[inside(R.OFFICER)].id)}, ins(*ADMINS, R.HEAD, R.REVIEWER)),
    "unit": Rule(at("BR-REV-A-1", "id"), STAFF_IN),
    "myUnits": Rule(none, STAFF),
    "units": Rule(lambda w: {"search": "BR-REV-A"}, STAFF_IN),
    "orgExport": Rule(at("BR-REV-A", "rootUnitId", kind="UNITS"), ins(*ADMINS, R.HEAD)),
    "routingRules": Rule(at("BR-REV-A"), SUPERVISORS_IN),
    "routingPreview": Rule(lambda w: {"categoryId": str(w.spare_leaf.id), "areaCode": "BR-A"}, STAFF),
    "slaEffective": Rule(at("BR-REV-A"), SUPERVISORS_IN),
    "slaCalendar": Rule(at("BR-REV-A"), SUPERVISORS_IN),
    "slaPolicies": Rule(at("BR-REV-A"), SUPERVISORS_IN),
    "feedbackCallQueue": Rule(none, ins(R.CALL_CENTRE_AGENT)),
    "myCallFigures": Rule(lambda w: INSTANTS, anywhere(R.CALL_CENTRE_AGENT)),
    "grievanceFigures": Rule(at("BR-REV-A", **INSTANTS), SUPERVISORS_IN),
    "dashboard": Rule(at("BR-REV-A", **PERIOD), SUPERVISORS_IN),
    "dashboardBreakdown": Rule(at("BR-REV-A", **PERIOD, by="CHILD_UNIT"), SUPERVISORS_IN),
    "dashboardTrend": Rule(at("BR-REV-A", **PERIOD), SUPERVISORS_IN),
    "ranking": Rule(at("BR-REV-A", **PERIOD), SUPERVISORS_IN),
    "spikeAlerts": Rule(at("BR-REV-A", since="2026-01-01"), SUPERVISORS_IN),
    "monthlyReports": Rule(at("BR-REV-A"), SUPERVISORS_IN),
}

MUTATIONS: dict[str, Rule] = {
    # Signing in and out: open to all (a wrong code or password is an error, not a refusal).
    "authSignInPassword": Rule(lambda w: {"username": w.users[inside(R.OFFICER)].username, "password": PASSWORD},
                               EVERYONE),
    "authRequestOtp": Rule(lambda w: {"mobile": OWN_MOBILE}, EVERYONE),
    "authVerifyOtp": Rule(lambda w: {"mobile": OWN_MOBILE, "code": "000000"}, EVERYONE),
    "authSetPassword": Rule(lambda w: {"token": "not-a-real-token", "password": "a-long-enough-passphrase"}, EVERYONE),
    "feedbackGiveByLink": Rule(lambda w: {"token": w.ids["link"], "resolved": True}, EVERYONE),
    "authSignOut": Rule(none, SIGNED_IN),
    "authTotpBegin": Rule(none, STAFF),
    "authTotpConfirm": Rule(lambda w: {"code": "000000"}, STAFF),
    "authTotpDisable": Rule(lambda w: {"code": "000000"}, STAFF),
    "notificationPreferencesSet": Rule(lambda w: {"channels": ["SMS"], "language": "en"}, SIGNED_IN),
    "pushSubscribe": Rule(lambda w: {"endpoint": "https://push.example.net/send/abc", "p256dh": "BNc",
                                     "auth": "tBH"}, SIGNED_IN),
    "pushUnsubscribe": Rule(lambda w: {"endpoint": "https://push.example.net/send/abc"}, SIGNED_IN),
    "attachmentUpload": Rule(none, SIGNED_IN),  # sent as a multipart request, below
    # The organisation and its accounts: administrators covering the unit.
    "accountCreate": Rule(lambda w: {"input": {"username": "new_officer", "fullName": "New Officer", "memberships": [
        {"unitId": w.unit_id("BR-REV-A-1"), "role": "OFFICER"}]}}, ins(*ADMINS)),
    "accountReissueLink": Rule(lambda w: {"accountId": str(w.users[inside(R.OFFICER)].id)}, ins(*ADMINS)),
    "accountGrantRole": Rule(lambda w: {"accountId": str(w.users[inside(R.OFFICER)].id),
                                        "unitId": w.unit_id("BR-REV-A-1"), "role": "REVIEWER"}, ins(*ADMINS)),
    "accountRevokeRole": Rule(lambda w: {"grantId": w.ids["grant"]}, ins(*ADMINS)),
    "accountDeactivate": Rule(lambda w: {"accountId": str(w.users[inside(R.OFFICER)].id), "dryRun": True},
                              ins(*ADMINS)),
    "unitCreate": Rule(lambda w: {"parentId": w.unit_id("BR-REV-A"), "input": unit_input("BR-REV-A-2")},
                       ins(*ADMINS)),
    "unitUpdate": Rule(lambda w: {"id": w.unit_id("BR-REV-A-1"), "version": w.units["BR-REV-A-1"].version,
                                  "input": unit_input("BR-REV-A-1")}, ins(*ADMINS)),
    "unitMove": Rule(lambda w: {"id": w.unit_id("BR-REV-B-1"), "newParentId": w.unit_id("BR-REV-A"), "dryRun": True},
                     ins(*ADMINS)),
    "unitMerge": Rule(lambda w: {"sourceId": w.unit_id("BR-REV-B-1"), "targetId": w.unit_id("BR-REV-A-1"),
                                 "dryRun": True}, ins(*ADMINS)),
    "unitDeactivate": Rule(lambda w: {"id": w.unit_id("BR-REV-B-1"), "dryRun": True}, ins(*ADMINS)),
    "orgImport": Rule(lambda w: {"dryRun": True, "unitsCsv": IMPORT_CSV}, ins(*ADMINS)),
    "routingRuleSet": Rule(lambda w: {"input": {"categoryId": str(w.spare_leaf.id), "unitId": w.unit_id("BR-REV-A-1"),
                                                "areaCode": "BR-A-1"}}, ins(*ADMINS, R.HEAD)),
    "routingRuleDelete": Rule(lambda w: {"id": w.ids["rule"]}, ins(*ADMINS, R.HEAD)),
    "categoryCreate": Rule(lambda w: {"input": category_input("REV-LAND-NEW"), "parentId": w.ids["service"]},
                           ins(R.HEAD, R.ORG_ADMIN, R.SYSTEM_ADMIN)),
    "categoryUpdate": Rule(lambda w: {"id": str(w.spare_leaf.id), "input": category_input("REV-LAND-SURVEY"),
                                      "expectedVersion": w.spare_leaf.version}, ins(R.HEAD, R.ORG_ADMIN, R.SYSTEM_ADMIN)),
    "categoryDeactivate": Rule(lambda w: {"id": str(w.spare_leaf.id)}, ins(R.HEAD, R.ORG_ADMIN, R.SYSTEM_ADMIN)),
    "slaPolicySet": Rule(lambda w: {"input": {"unitId": w.unit_id("BR-REV-A"), "stage": "REVIEW", "mode": "WALL_HOURS",
                                              "amount": 48}}, ins(*ADMINS, R.HEAD)),
    "slaPolicyDelete": Rule(lambda w: {"id": w.ids["policy"]}, ins(*ADMINS, R.HEAD)),
    "slaCalendarSet": Rule(at("BR-REV-A", input={}), ins(*ADMINS, R.HEAD)),
    "slaCalendarClear": Rule(at("BR-REV-A"), ins(*ADMINS, R.HEAD)),
    "slaHolidayAdd": Rule(at("BR-REV-A", day="2026-12-31", name="Year end"), ins(*ADMINS, R.HEAD)),
    "slaHolidayRemove": Rule(lambda w: {"id": w.ids["holiday"]}, ins(*ADMINS, R.HEAD)),
    "escalationWindowSet": Rule(at("BR-REV-A", level=1, windowHours=72), ins(*ADMINS, R.HEAD)),
    # Filing: citizens on the web; the cell and call-centre agents for citizens (on the
    # web channel they get a validation error - let through, not refused).
    "grievanceFile": Rule(lambda w: {"input": {
        "channel": "WEB", "categoryId": str(w.leaf.id), "areaCode": "BR-A-1", "subject": "Ration card not issued",
        "description": "Applied in June, still no ration card.", "reliefSought": "Issue the card.",
        "citizenName": "Sita Devi", "citizenMobile": "9811111111"}},
        OWNER | {OTHER_CITIZEN} | anywhere(R.CELL_OPERATOR, R.CALL_CENTRE_AGENT)),
    # The lifecycle: the state table's parties, at a unit covering where the grievance is.
    "grievanceRegister": Rule(g("filed"), ins(*TRIAGE)),
    "grievanceAllot": Rule(lambda w: {"id": w.g["filed"]["id"], "unitId": w.unit_id("BR-REV-A-1")}, ins(*TRIAGE)),
    "grievanceTransfer": Rule(lambda w: {"id": w.g["at_district"]["id"], "unitId": w.unit_id("BR-REV-A-1")},
                              ins(*TRIAGE, R.HEAD)),
    "grievanceNotOurs": Rule(g("allotted", rightAuthority="The municipal corporation"),
                             ins(R.OFFICER, R.NODAL_OFFICER, R.CELL_OPERATOR, R.HEAD)),
    "grievanceAssign": Rule(lambda w: {"id": w.g["allotted"]["id"], "officerId": str(w.users[inside(R.OFFICER)].id)},
                            ins(R.NODAL_OFFICER, R.CELL_OPERATOR, R.HEAD)),
    "grievanceReject": Rule(g("filed", reason="RTI_MATTER", note="An RTI request"), ins(*TRIAGE, R.HEAD)),
    "grievanceLinkDuplicate": Rule(lambda w: {"id": w.g["filed"]["id"], "masterId": w.g["assigned"]["id"]},
                                   ins(*TRIAGE, R.HEAD)),
    "grievanceRequestInfo": Rule(g("assigned", question="Which plot?"), ins(*TRIAGE, R.OFFICER, R.HEAD)),
    "grievanceReply": Rule(g("awaiting", text="Plot 42."), OWNER | ins(R.CELL_OPERATOR, R.CALL_CENTRE_AGENT)),
    "grievanceComment": Rule(g("assigned", text="A note."), OWNER | STAFF_IN),
    "grievanceRevealContact": Rule(g("assigned", reason="Checking the caller."), STAFF_IN),
    "reportSubmit": Rule(g("assigned", kind="FINAL", input=FINAL), ins(R.OFFICER, R.NODAL_OFFICER)),
    "reviewApprove": Rule(g("review"), ins(R.REVIEWER, R.HEAD, R.NODAL_OFFICER, R.CELL_OPERATOR,
                                           R.ESCALATION_AUTHORITY)),
    "reviewSendBack": Rule(g("review", note="Attach the mutation order."),
                           ins(R.REVIEWER, R.HEAD, R.NODAL_OFFICER, R.CELL_OPERATOR, R.ESCALATION_AUTHORITY)),
    "grievanceClose": Rule(g("top_review"), ins(R.CELL_OPERATOR, R.NODAL_OFFICER, R.HEAD, R.ESCALATION_AUTHORITY)),
    "feedbackGive": Rule(g("closed", resolved=True, rating=5), OWNER),
    "feedbackView": Rule(g("disputed"), STAFF_IN),
    "disputeRemand": Rule(g("disputed", directions="Visit the site."), ins(R.HEAD)),
    "disputeUphold": Rule(g("disputed", reason="The record shows it done."), ins(R.HEAD)),
    "appealFile": Rule(g("rejected", grounds="It is not an RTI matter."), OWNER),
    "appealDecide": Rule(g("appealed", reopen=True, text="Examine it on merits."), ins(R.APPELLATE_AUTHORITY)),
    "feedbackCallClaim": Rule(lambda w: {"id": w.ids["call"]}, ins(R.CALL_CENTRE_AGENT)),
    "feedbackCallRecord": Rule(lambda w: {"id": w.ids["claimed_call"], "reached": False}, ins(R.CALL_CENTRE_AGENT)),
    "rtsRecordNotApplied": Rule(g("rts", note="Not applied at the RTPS counter."), ins(R.OFFICER, R.NODAL_OFFICER)),
    "rtsRecordApplication": Rule(g("rts_helping", applicationNumber="RTPS/2026/1",
                                   # India's date, as the service counts it (UTC's is a day
                                   # behind from 18:30 UTC).
                                   appliedOn=utcnow().astimezone(INDIA).date().isoformat(),
                                   reply="Applied."),
                                 ins(R.OFFICER, R.NODAL_OFFICER)),
}

SUBSCRIPTIONS: dict[str, Rule] = {
    "heartbeat": Rule(lambda w: {"intervalSeconds": 0.1, "count": 1}, EVERYONE),
    "grievanceUpdated": Rule(g("assigned"), OWNER | STAFF_IN),
    "inboxChanged": Rule(none, STAFF),
}

ROOTS = {"query": QUERIES, "mutation": MUTATIONS, "subscription": SUBSCRIPTIONS}
ANSWER_AT_ONCE = frozenset({"heartbeat", "grievanceUpdated"})


# -- the operations, from the schema ---------------------------------------------------

def _root(kind: str) -> GraphQLObjectType:
    gs = schema._schema
    root = {"query": gs.query_type, "mutation": gs.mutation_type, "subscription": gs.subscription_type}[kind]
    assert root is not None
    return root


def _named(t: GraphQLType) -> GraphQLNamedType:
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    assert isinstance(t, GraphQLNamedType)
    return t


def _selection(t: GraphQLType) -> str:
    """Enough to tell allowed from refused: the type, an error's code, a page's items."""
    named = _named(t)
    if isinstance(named, GraphQLUnionType):
        parts = ["__typename"]
        for member in named.types:
            if member.name == "OperationError":
                parts.append("... on OperationError { code fields { message } }")
            elif "items" in member.fields:
                parts.append(f"... on {member.name} {{ items {{ __typename }} }}")
        return "{ " + " ".join(parts) + " }"
    if isinstance(named, GraphQLObjectType):
        return "{ __typename" + (" items { __typename }" if "items" in named.fields else "") + " }"
    return ""


def document(kind: str, name: str, args: dict[str, Any]) -> str:
    field: GraphQLField = _root(kind).fields[name]
    decl = ", ".join(f"${a}: {field.args[a].type}" for a in args)
    call = ", ".join(f"{a}: ${a}" for a in args)
    return (f"{kind}{f'({decl})' if decl else ''} {{ {name}{f'({call})' if call else ''} "
            f"{_selection(field.type)} }}")


def verdict(value: Any) -> bool:
    """True when the request got through, False when it was refused."""
    if value is None:
        return False
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, dict):
        if value.get("__typename") == "OperationError":
            # A CSV import names each row it may not apply, as a field error of the file.
            if value.get("code") == "VALIDATION" and value.get("fields") and all(
                    f["message"].startswith("forbidden:") for f in value["fields"]):
                return False
            return value.get("code") not in REFUSAL_CODES
        if "items" in value:
            return bool(value["items"])
    return True


# -- running -----------------------------------------------------------------------------

class _Rollback(Exception):
    pass


class NoJobs:
    """Jobs would outlive the rolled-back transaction they were queued in."""

    async def enqueue(self, function: str, *args: Any, job_id: str | None = None) -> bool:
        return True

    async def close(self) -> None:
        return None


@pytest_asyncio.fixture
async def matrix_app(settings: Settings, db: str) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    # The world files a dozen grievances for one citizen; the monthly cap is not under test.
    settings = replace(settings, monthly_filing_cap=1000, redis_url=None)
    runtime = Runtime(settings, NoJobs(), InProcessBroadcast(), LogSmsGateway(settings.sms_log_path),
                      owns_database=False)
    app = create_app(settings, runtime)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client, runtime
    await runtime.broadcast.close()


async def _request(client: httpx.AsyncClient, w: World, actor: str, kind: str, name: str, args: dict[str, Any]
                   ) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {w.tokens[actor]}"} if w.tokens[actor] else {}
    if name == "attachmentUpload":
        operations = {"query": document(kind, name, {"file": None}), "variables": {"file": None}}
        response = await client.post("/graphql", headers=headers, data={
            "operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
            files={"0": ("photo.png", png_bytes(), "image/png")})
    else:
        response = await client.post("/graphql", headers=headers,
                                     json={"query": document(kind, name, args), "variables": args})
    client.cookies.clear()  # a sign-in sets the session cookie; the next actor must not inherit it
    assert response.status_code == 200, (name, actor, response.text)
    body: dict[str, Any] = response.json()
    return body


async def _subscribe(runtime: Runtime, w: World, actor: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
    context = Context(request=None, response=None, runtime=runtime, actor=w.actors[actor],  # type: ignore[arg-type]
                      now=utcnow())
    stream = await schema.subscribe(document("subscription", name, args), variable_values=args, context_value=context)
    if isinstance(stream, ExecutionResult):
        return {"errors": [str(e) for e in stream.errors or []], "data": None}
    try:
        # These answer at once, with a refusal or a first item: wait for it, however loaded
        # the machine. The others refuse before they wait for anything, so one that is
        # silent for a moment is open.
        first = await asyncio.wait_for(anext(stream), 10.0 if name in ANSWER_AT_ONCE else 0.05)
    except TimeoutError:
        if name in ANSWER_AT_ONCE:
            return {"errors": ["no first answer within 10 s"], "data": None}
        return {"data": {name: {"__typename": "open"}}}
    except StopAsyncIteration:
        return {"data": {name: None}}
    finally:
        await stream.aclose()
    if first.errors:
        codes = {(e.extensions or {}).get("code") or _code_of(e) for e in first.errors}
        return {"data": {name: {"__typename": "OperationError", "code": sorted(map(str, codes))[0]}}}
    return {"data": first.data}


def _code_of(error: Any) -> str:
    original = getattr(error, "original_error", None)
    code = getattr(original, "code", None)
    return str(getattr(code, "value", code)) if code is not None else "ERROR"


async def test_every_operation_has_a_rule() -> None:
    for kind, rules in ROOTS.items():
        assert set(_root(kind).fields) == set(rules), (kind, set(_root(kind).fields) ^ set(rules))


async def test_the_authorisation_matrix(matrix_app: tuple[httpx.AsyncClient, Runtime]) -> None:
    client, runtime = matrix_app
    w = await build_world(client, runtime.settings, runtime)
    started = time.monotonic()
    wrong: list[str] = []
    cases = 0
    seen: list[str] = []
    for kind, rules in ROOTS.items():
        for name, rule in rules.items():
            args = rule.args(w)
            for actor in ACTORS:
                try:
                    async with in_transaction():
                        if kind == "subscription":
                            body = await _subscribe(runtime, w, actor, name, args)
                        else:
                            body = await _request(client, w, actor, kind, name, args)
                        raise _Rollback
                except _Rollback:
                    pass
                cases += 1
                if body.get("errors"):
                    wrong.append(f"{name} as {actor}: errors {body['errors']}")
                    continue
                value = body["data"][name]
                allowed = verdict(value)
                seen.append(f"{name}\t{actor}\t{allowed}\t{json.dumps(value)[:160]}")
                if allowed != (actor in rule.may):
                    wrong.append(f"{name} as {actor}: {'allowed' if allowed else 'refused'} "
                                 f"(expected {'allowed' if actor in rule.may else 'refused'}): {value}")
    elapsed = time.monotonic() - started
    print(f"\nauthorisation matrix: {cases} cases in {elapsed:.1f} s")
    if os.environ.get("AUTHZ_MATRIX_DUMP"):
        with open(os.environ["AUTHZ_MATRIX_DUMP"], "w") as out:
            out.write("\n".join(wrong + seen))
    assert cases == sum(len(r) for r in ROOTS.values()) * len(ACTORS)
    assert not wrong, f"{len(wrong)} of {cases} cases differ:\n" + "\n".join(wrong)
