from __future__ import annotations

from typing import Any

import httpx

from backend.accounts.roles import Role
from backend.routing.models import RoutingRule
from backend.settings import Settings
from tests.api.conftest import gql, sign_in
from tests.factories import PASSWORD, category, small_state, staff

RULE_FIELDS = """id categoryId categoryCode categoryName(language: "hi") areaCode unit { code } officerId officerName
  active"""
SET = f"""mutation($i: RoutingRuleInput!) {{ routingRuleSet(input: $i) {{ __typename
  ... on RoutingRuleSuccess {{ rule {{ {RULE_FIELDS} }} }}
  ... on OperationError {{ code message fields {{ field message }} }} }} }}"""
DELETE = f"""mutation($id: ID!) {{ routingRuleDelete(id: $id) {{ __typename
  ... on RoutingRuleSuccess {{ rule {{ {RULE_FIELDS} }} }} ... on OperationError {{ code message }} }} }}"""
RULES = "query($u: ID, $all: Boolean! = false) { routingRules(unitId: $u, includeInactive: $all) { id areaCode active } }"
PREVIEW = """query($c: ID!, $a: String!) { routingPreview(categoryId: $c, areaCode: $a) { __typename
  ... on RoutingPreview { categoryId areaCode matched ruleId unit { code } officerId officerName }
  ... on OperationError { code fields { field } } } }"""


def rule_input(category_id: int, area: str, unit_id: int, officer_id: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"categoryId": str(category_id), "areaCode": area, "unitId": str(unit_id)}
    if officer_id is not None:
        data["officerId"] = str(officer_id)
    return data


async def test_set_list_preview_and_delete_through_graphql(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    service = await category("REV-LAND", tree.dept)
    leaf = await category("REV-LAND-MUTATION", tree.dept, service)
    officer = tree.users["officer_a"]
    token = await sign_in(client, "nodal_a", PASSWORD)

    body = await gql(client, SET, {"i": rule_input(service.id, "br-a-1", tree.block_a.id, officer.id)}, token=token)
    result = body["data"]["routingRuleSet"]
    assert result["__typename"] == "RoutingRuleSuccess", result
    rule = result["rule"]
    assert rule == {"id": rule["id"], "categoryId": str(service.id), "categoryCode": "REV-LAND",
                    "categoryName": "REV-LAND श्रेणी", "areaCode": "BR-A-1", "unit": {"code": "BR-REV-A-1"},
                    "officerId": str(officer.id), "officerName": "Officer_A", "active": True}

    preview = (await gql(client, PREVIEW, {"c": leaf.id, "a": "BR-A-1"}, token=token))["data"]["routingPreview"]
    assert preview == {"__typename": "RoutingPreview", "categoryId": str(leaf.id), "areaCode": "BR-A-1", "matched": True,
                       "ruleId": rule["id"], "unit": {"code": "BR-REV-A-1"}, "officerId": str(officer.id),
                       "officerName": "Officer_A"}
    elsewhere = (await gql(client, PREVIEW, {"c": leaf.id, "a": "BR-B"}, token=token))["data"]["routingPreview"]
    assert elsewhere["matched"] is False and elsewhere["unit"] is None and elsewhere["ruleId"] is None

    listed = (await gql(client, RULES, {"u": tree.block_a.id}, token=token))["data"]["routingRules"]
    assert listed == [{"id": rule["id"], "areaCode": "BR-A-1", "active": True}]
    assert (await gql(client, RULES, {}, token=token))["data"]["routingRules"] == listed

    deleted = (await gql(client, DELETE, {"id": rule["id"]}, token=token))["data"]["routingRuleDelete"]
    assert deleted["__typename"] == "RoutingRuleSuccess" and deleted["rule"]["active"] is False
    again = (await gql(client, DELETE, {"id": rule["id"]}, token=token))["data"]["routingRuleDelete"]
    assert again["code"] == "CONFLICT"
    assert (await gql(client, RULES, {"u": tree.block_a.id}, token=token))["data"]["routingRules"] == []
    inactive = (await gql(client, RULES, {"u": tree.block_a.id, "all": True}, token=token))["data"]["routingRules"]
    assert inactive == [{"id": rule["id"], "areaCode": "BR-A-1", "active": False}]
    gone = (await gql(client, PREVIEW, {"c": leaf.id, "a": "BR-A-1"}, token=token))["data"]["routingPreview"]
    assert gone["matched"] is False


async def test_refusals_are_data(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    leaf = await category("REV-LAND-MUTATION", tree.dept)
    nodal_b = await sign_in(client, "nodal_b", PASSWORD)
    officer = await sign_in(client, "officer_a", PASSWORD)

    to_a = rule_input(leaf.id, "BR-A", tree.district_a.id)
    assert (await gql(client, SET, {"i": to_a}, token=nodal_b))["data"]["routingRuleSet"]["code"] == "FORBIDDEN"
    assert (await gql(client, SET, {"i": to_a}, token=officer))["data"]["routingRuleSet"]["code"] == "FORBIDDEN"
    client.cookies.clear()  # sign-in also set a session cookie; be anonymous for once
    assert (await gql(client, SET, {"i": to_a}))["data"]["routingRuleSet"]["code"] == "UNAUTHENTICATED"
    statewide = rule_input(leaf.id, "", tree.district_b.id)
    assert (await gql(client, SET, {"i": statewide}, token=nodal_b))["data"]["routingRuleSet"]["code"] == "FORBIDDEN"
    assert await RoutingRule.all().count() == 0

    bad = {"categoryId": "nope", "areaCode": "Patna!", "unitId": str(tree.district_b.id), "officerId": "42424242"}
    result = (await gql(client, SET, {"i": bad}, token=nodal_b))["data"]["routingRuleSet"]
    assert result["code"] == "VALIDATION"
    assert {f["field"] for f in result["fields"]} == {"categoryId", "areaCode", "officerId"}

    await staff(settings, "rev_head", (tree.dept, Role.HEAD))
    head_token = await sign_in(client, "rev_head", PASSWORD)
    made = (await gql(client, SET, {"i": to_a}, token=head_token))["data"]["routingRuleSet"]
    assert made["__typename"] == "RoutingRuleSuccess"
    rule_id = made["rule"]["id"]
    assert (await gql(client, DELETE, {"id": rule_id}, token=nodal_b))["data"]["routingRuleDelete"]["code"] == "FORBIDDEN"
    assert (await gql(client, DELETE, {"id": "x"}, token=head_token))["data"]["routingRuleDelete"]["code"] == "NOT_FOUND"

    # District B sees neither district A's rules nor, unless it asks for its own unit, anything else.
    assert (await gql(client, RULES, {"u": tree.district_a.id}, token=nodal_b))["data"]["routingRules"] == []
    assert (await gql(client, RULES, {}, token=nodal_b))["data"]["routingRules"] == []
    client.cookies.clear()
    assert (await gql(client, RULES, {"u": tree.district_a.id}))["data"]["routingRules"] == []
    preview = (await gql(client, PREVIEW, {"c": leaf.id, "a": "BR-A"}))["data"]["routingPreview"]
    assert preview == {"__typename": "OperationError", "code": "UNAUTHENTICATED", "fields": []}
    preview = (await gql(client, PREVIEW, {"c": leaf.id, "a": "bad area"}, token=nodal_b))["data"]["routingPreview"]
    assert preview["code"] == "VALIDATION" and preview["fields"] == [{"field": "areaCode"}]
    preview = (await gql(client, PREVIEW, {"c": "0", "a": "BR-A"}, token=nodal_b))["data"]["routingPreview"]
    assert preview["code"] == "NOT_FOUND"
    # Any staff member may ask where a grievance would go, even to another district.
    preview = (await gql(client, PREVIEW, {"c": leaf.id, "a": "BR-A"}, token=nodal_b))["data"]["routingPreview"]
    assert preview["unit"] == {"code": "BR-REV-A"} and preview["officerId"] is None
