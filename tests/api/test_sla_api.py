"""SLA settings through GraphQL: limits and where they come from, calendars, holidays,
ladder windows, and every refusal as an OperationError code."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from backend.accounts.roles import Role
from backend.core.clock import utcnow
from backend.orgs.kinds import UnitKind
from backend.orgs.models import EscalationLevel
from backend.runtime import Runtime
from backend.settings import Settings
from backend.sla.models import BusinessCalendar, SlaPolicy, UnitHoliday
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.factories import PASSWORD, category, small_state, staff, unit


def ist_year(moment: datetime) -> int:
    return moment.astimezone(ZoneInfo("Asia/Kolkata")).year


ERROR = "... on OperationError { code message fields { field message } }"
POLICY_FIELDS = "id unitId unitCode categoryId categoryCode stage mode amount version"
POLICY_SET = f"""mutation($i: SlaPolicyInput!) {{ slaPolicySet(input: $i) {{ __typename
  ... on SlaPolicySuccess {{ policy {{ {POLICY_FIELDS} }} }} {ERROR} }} }}"""
POLICY_DELETE = f"""mutation($id: ID!) {{ slaPolicyDelete(id: $id) {{ __typename
  ... on SlaPolicyDeleteSuccess {{ id }} {ERROR} }} }}"""
POLICIES = f"""query($u: ID!) {{ slaPolicies(unitId: $u) {{ __typename
  ... on SlaPolicyList {{ policies {{ {POLICY_FIELDS} }} }} {ERROR} }} }}"""
EFFECTIVE = f"""query($u: ID!, $c: ID) {{ slaEffective(unitId: $u, categoryId: $c) {{ __typename
  ... on SlaEffective {{ unitId categoryId limits {{ stage mode amount source sourceKind policyId sourceUnitCode
    sourceCategoryCode }} }} {ERROR} }} }}"""
CALENDAR_FIELDS = """unitId inherited sourceUnitId sourceUnitCode version timeZone weekdays startTime endTime
  secondAndFourthSaturdaysOff holidayCountry holidaySubdivision year holidays { id day name kind unitCode }"""
CALENDAR = f"""query($u: ID!) {{ slaCalendar(unitId: $u) {{ __typename
  ... on SlaCalendar {{ {CALENDAR_FIELDS} }} {ERROR} }} }}"""
CALENDAR_SET = f"""mutation($u: ID!, $i: SlaCalendarInput!, $v: Int) {{ slaCalendarSet(unitId: $u, input: $i, version: $v) {{
  __typename ... on SlaCalendarSuccess {{ calendar {{ {CALENDAR_FIELDS} }} }} {ERROR} }} }}"""
CALENDAR_CLEAR = f"""mutation($u: ID!) {{ slaCalendarClear(unitId: $u) {{ __typename
  ... on SlaCalendarSuccess {{ calendar {{ {CALENDAR_FIELDS} }} }} {ERROR} }} }}"""
HOLIDAY_ADD = f"""mutation($u: ID!, $d: Date!, $n: String!) {{ slaHolidayAdd(unitId: $u, day: $d, name: $n) {{
  __typename ... on SlaHolidaySuccess {{ holiday {{ id day name kind unitCode }} }} {ERROR} }} }}"""
HOLIDAY_REMOVE = f"""mutation($id: ID!) {{ slaHolidayRemove(id: $id) {{ __typename
  ... on SlaHolidayRemoveSuccess {{ id }} {ERROR} }} }}"""
WINDOW_SET = f"""mutation($u: ID!, $l: Int!, $h: Float!) {{ escalationWindowSet(unitId: $u, level: $l, windowHours: $h) {{
  __typename ... on EscalationWindowSuccess {{ unitId level windowHours }} {ERROR} }} }}"""


def policy_input(unit_id: int, stage: str, mode: str, amount: float, category_id: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"unitId": str(unit_id), "stage": stage, "mode": mode, "amount": amount}
    if category_id is not None:
        data["categoryId"] = str(category_id)
    return data


async def call(client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None) -> dict[str, Any]:
    body = await gql(client, query, variables, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = next(iter(body["data"].values()))
    return result


async def test_policies_and_effective_limits_through_graphql(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    service = await category("REV-LAND", tree.dept)
    leaf = await category("REV-LAND-MUTATION", tree.dept, service)
    nodal_a = await sign_in(client, "nodal_a", PASSWORD)
    admin = await sign_in(client, "stateadmin", PASSWORD)

    created = await call(client, POLICY_SET, {"i": policy_input(tree.district_a.id, "REVIEW", "WORKING_DAYS", 2)}, nodal_a)
    assert created["__typename"] == "SlaPolicySuccess", created
    policy = created["policy"]
    assert policy == {"id": policy["id"], "unitId": str(tree.district_a.id), "unitCode": "BR-REV-A", "categoryId": None,
                      "categoryCode": None, "stage": "REVIEW", "mode": "WORKING_DAYS", "amount": 2.0, "version": 1}
    updated = await call(client, POLICY_SET, {"i": policy_input(tree.district_a.id, "REVIEW", "WORKING_HOURS", 10)},
                         nodal_a)
    assert updated["policy"] == {**policy, "mode": "WORKING_HOURS", "amount": 10.0, "version": 2}
    by_category = await call(client, POLICY_SET, {"i": policy_input(tree.state.id, "REVIEW", "WALL_HOURS", 6, service.id)},
                             admin)
    assert (by_category["policy"]["categoryCode"], by_category["policy"]["unitCode"]) == ("REV-LAND", "BR")

    listed = await call(client, POLICIES, {"u": tree.district_a.id}, nodal_a)
    assert listed == {"__typename": "SlaPolicyList", "policies": [updated["policy"]]}

    effective = await call(client, EFFECTIVE, {"u": tree.block_a.id, "c": leaf.id}, nodal_a)
    assert (effective["__typename"], effective["unitId"], effective["categoryId"]) == (
        "SlaEffective", str(tree.block_a.id), str(leaf.id))
    limits = {limit["stage"]: limit for limit in effective["limits"]}
    assert list(limits)[:3] == ["REGISTRATION", "ALLOTMENT", "PRELIMINARY_REPORT"]
    assert limits["REVIEW"] == {"stage": "REVIEW", "mode": "WALL_HOURS", "amount": 6.0,
                                "source": "category policy at BR for REV-LAND", "sourceKind": "CATEGORY_POLICY",
                                "policyId": by_category["policy"]["id"], "sourceUnitCode": "BR",
                                "sourceCategoryCode": "REV-LAND"}
    assert limits["FINAL_REPORT"] == {"stage": "FINAL_REPORT", "mode": "WALL_HOURS", "amount": 72.0, "source": "default",
                                      "sourceKind": "DEFAULT", "policyId": None, "sourceUnitCode": None,
                                      "sourceCategoryCode": None}
    anyone = await call(client, EFFECTIVE, {"u": tree.block_a.id}, nodal_a)
    review = next(limit for limit in anyone["limits"] if limit["stage"] == "REVIEW")
    assert (review["source"], review["mode"], review["amount"]) == ("unit policy at BR-REV-A", "WORKING_HOURS", 10.0)

    deleted = await call(client, POLICY_DELETE, {"id": policy["id"]}, nodal_a)
    assert deleted == {"__typename": "SlaPolicyDeleteSuccess", "id": policy["id"]}
    assert (await call(client, POLICY_DELETE, {"id": policy["id"]}, nodal_a))["code"] == "NOT_FOUND"
    assert (await call(client, POLICY_DELETE, {"id": "not-a-number"}, nodal_a))["code"] == "NOT_FOUND"
    assert (await call(client, POLICIES, {"u": tree.district_a.id}, nodal_a))["policies"] == []


async def test_policy_validation_is_data(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await sign_in(client, "stateadmin", PASSWORD)
    bad = await call(client, POLICY_SET, {"i": policy_input(999999, "REVIEW", "WORKING_DAYS", 366, 999999)}, admin)
    assert bad["code"] == "VALIDATION"
    assert {f["field"] for f in bad["fields"]} == {"unitId", "categoryId", "amount"}
    negative = await call(client, POLICY_SET, {"i": policy_input(tree.state.id, "REVIEW", "WALL_HOURS", -1)}, admin)
    assert [f["field"] for f in negative["fields"]] == ["amount"]
    too_long = await call(client, POLICY_SET, {"i": policy_input(tree.state.id, "REVIEW", "WALL_HOURS", 8761)}, admin)
    assert [f["field"] for f in too_long["fields"]] == ["amount"]
    assert not await SlaPolicy.exists()


async def test_calendar_and_holidays_through_graphql(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await sign_in(client, "stateadmin", PASSWORD)
    officer = await sign_in(client, "officer_a", PASSWORD)

    # The holidays listed are those of the current year in the calendar's zone (the API reads
    # the real clock): India's year around the call, never a year written into the test.
    before = ist_year(utcnow())
    default = await call(client, CALENDAR, {"u": tree.block_a.id}, officer)
    year = default["year"]
    assert year in {before, ist_year(utcnow())}
    assert {k: v for k, v in default.items() if k != "holidays"} == {
        "__typename": "SlaCalendar", "unitId": str(tree.block_a.id), "inherited": True, "sourceUnitId": None,
        "sourceUnitCode": None, "version": None, "timeZone": "Asia/Kolkata", "weekdays": [0, 1, 2, 3, 4, 5],
        "startTime": "10:00", "endTime": "17:00", "secondAndFourthSaturdaysOff": True, "holidayCountry": "IN",
        "holidaySubdivision": "", "year": year}
    republic_day = {"id": None, "day": f"{year}-01-26", "name": "Republic Day", "kind": "PUBLIC", "unitCode": None}
    assert republic_day in default["holidays"]

    created = await call(client, CALENDAR_SET, {"u": tree.state.id, "i": {"holidaySubdivision": "br"}}, admin)
    assert created["__typename"] == "SlaCalendarSuccess", created
    calendar = created["calendar"]
    assert (calendar["version"], calendar["inherited"], calendar["sourceUnitCode"], calendar["holidaySubdivision"]) == (
        1, False, "BR", "BR")
    again = await call(client, CALENDAR_SET, {"u": tree.state.id, "i": {}}, admin)
    assert again["code"] == "CHANGED_MEANWHILE"
    five_days = {"weekdays": [0, 1, 2, 3, 4], "startTime": "09:30", "endTime": "18:00", "holidaySubdivision": "BR"}
    updated = await call(client, CALENDAR_SET, {"u": tree.state.id, "i": five_days, "v": 1}, admin)
    assert (updated["calendar"]["version"], updated["calendar"]["weekdays"]) == (2, [0, 1, 2, 3, 4])
    stale = await call(client, CALENDAR_SET, {"u": tree.state.id, "i": five_days, "v": 1}, admin)
    assert stale["code"] == "CHANGED_MEANWHILE"
    invalid = await call(client, CALENDAR_SET, {"u": tree.state.id, "v": 2, "i": {
        "timeZone": "Asia/Nowhere", "weekdays": [], "startTime": "10", "endTime": "24:00", "holidayCountry": "IN",
        "holidaySubdivision": "XX"}}, admin)
    assert invalid["code"] == "VALIDATION"
    assert {f["field"] for f in invalid["fields"]} == {"timeZone", "weekdays", "startTime", "endTime",
                                                       "holidaySubdivision"}

    bihar_diwas = f"{year}-03-22"  # in the year listed, so that the calendar below shows it
    added = await call(client, HOLIDAY_ADD, {"u": tree.state.id, "d": bihar_diwas, "n": "Bihar Diwas"}, admin)
    holiday = added["holiday"]
    assert holiday == {"id": holiday["id"], "day": bihar_diwas, "name": "Bihar Diwas", "kind": "UNIT", "unitCode": "BR"}
    duplicate = await call(client, HOLIDAY_ADD, {"u": tree.state.id, "d": bihar_diwas, "n": "Again"}, admin)
    assert (duplicate["code"], [f["field"] for f in duplicate["fields"]]) == ("VALIDATION", ["day"])

    inherited = await call(client, CALENDAR, {"u": tree.block_a.id}, officer)
    assert (inherited["inherited"], inherited["sourceUnitCode"], inherited["version"], inherited["weekdays"]) == (
        True, "BR", None, [0, 1, 2, 3, 4])
    assert holiday in inherited["holidays"]

    removed = await call(client, HOLIDAY_REMOVE, {"id": holiday["id"]}, admin)
    assert removed == {"__typename": "SlaHolidayRemoveSuccess", "id": holiday["id"]}
    assert (await call(client, HOLIDAY_REMOVE, {"id": holiday["id"]}, admin))["code"] == "NOT_FOUND"

    cleared = await call(client, CALENDAR_CLEAR, {"u": tree.state.id}, admin)
    assert (cleared["calendar"]["inherited"], cleared["calendar"]["sourceUnitId"], cleared["calendar"]["version"]) == (
        True, None, None)
    assert (await call(client, CALENDAR_CLEAR, {"u": tree.state.id}, admin))["code"] == "CONFLICT"


async def test_escalation_window_through_graphql(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    await EscalationLevel.create(unit=tree.district_a, level=1, authority=tree.dept, window_hours=72)
    nodal_a = await sign_in(client, "nodal_a", PASSWORD)
    done = await call(client, WINDOW_SET, {"u": tree.district_a.id, "l": 1, "h": 48}, nodal_a)
    assert done == {"__typename": "EscalationWindowSuccess", "unitId": str(tree.district_a.id), "level": 1,
                    "windowHours": 48.0}
    bad = await call(client, WINDOW_SET, {"u": tree.district_a.id, "l": 4, "h": 9000}, nodal_a)
    assert (bad["code"], {f["field"] for f in bad["fields"]}) == ("VALIDATION", {"level", "windowHours"})
    assert (await EscalationLevel.get(unit_id=tree.district_a.id, level=1)).window_hours == 48


async def test_refusals_are_data(client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    tree = await small_state(settings)
    await staff(settings, "rev_head", (tree.dept, Role.HEAD))
    health_cat = await category("HEALTH-OPD", await unit("BR-HEALTH", UnitKind.DEPARTMENT, tree.state))
    a = tree.district_a.id
    await EscalationLevel.create(unit=tree.district_a, level=1, authority=tree.dept, window_hours=72)
    admin = await sign_in(client, "stateadmin", PASSWORD)
    policy = (await call(client, POLICY_SET, {"i": policy_input(a, "REVIEW", "WORKING_DAYS", 2)}, admin))["policy"]
    holiday = (await call(client, HOLIDAY_ADD, {"u": a, "d": "2026-11-16", "n": "Chhath"}, admin))["holiday"]
    await call(client, CALENDAR_SET, {"u": a, "i": {}}, admin)

    mutations: list[tuple[str, dict[str, Any]]] = [
        (POLICY_SET, {"i": policy_input(a, "REVIEW", "WORKING_DAYS", 3)}),
        (POLICY_DELETE, {"id": policy["id"]}),
        (CALENDAR_SET, {"u": a, "i": {}, "v": 1}),
        (CALENDAR_CLEAR, {"u": a}),
        (HOLIDAY_ADD, {"u": a, "d": "2026-12-01", "n": "Not yours"}),
        (HOLIDAY_REMOVE, {"id": holiday["id"]}),
        (WINDOW_SET, {"u": a, "l": 1, "h": 24}),
    ]
    nodal_b = await sign_in(client, "nodal_b", PASSWORD)
    officer = await sign_in(client, "officer_a", PASSWORD)
    reviewer = await sign_in(client, "reviewer_a", PASSWORD)
    head = await sign_in(client, "rev_head", PASSWORD)
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    for query, variables in mutations:
        for token in (nodal_b, officer, reviewer, citizen):
            assert (await call(client, query, variables, token))["code"] == "FORBIDDEN", (query, token)
    # A category of another department, even in a district the head covers.
    foreign = await call(client, POLICY_SET, {"i": policy_input(a, "REVIEW", "WALL_HOURS", 5, health_cat.id)}, head)
    assert foreign["code"] == "FORBIDDEN"
    queries: list[tuple[str, dict[str, Any]]] = [
        (EFFECTIVE, {"u": a}), (CALENDAR, {"u": a}), (POLICIES, {"u": a})]
    for query, variables in queries:
        assert (await call(client, query, variables, nodal_b))["code"] == "FORBIDDEN"
        assert (await call(client, query, variables, citizen))["code"] == "FORBIDDEN"
        assert (await call(client, query, {"u": 999999}, admin))["code"] == "NOT_FOUND"
        # An officer sees the settings of their own office.
        assert "code" not in await call(client, query, {"u": tree.block_a.id}, officer)
    assert (await call(client, EFFECTIVE, {"u": a, "c": 999999}, admin))["code"] == "NOT_FOUND"

    client.cookies.clear()  # sign-in also set a session cookie; be anonymous for once
    for query, variables in [*mutations, *queries]:
        assert (await call(client, query, variables, None))["code"] == "UNAUTHENTICATED", query

    # Nothing changed.
    stored = await SlaPolicy.get(id=int(policy["id"]))
    assert (stored.version, stored.amount) == (1, 2)
    assert await UnitHoliday.filter(unit_id=a).count() == 1
    assert (await BusinessCalendar.get(unit_id=a)).version == 1
    assert (await EscalationLevel.get(unit_id=a, level=1)).window_hours == 72
