from __future__ import annotations

from typing import Any

import httpx

from backend.accounts.roles import Role
from backend.authz.actors import SYSTEM
from backend.categories.models import Category
from backend.categories.services import CategoryInput, create_category
from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit
from backend.settings import Settings
from tests.api.conftest import gql, sign_in
from tests.conftest import NOW
from tests.factories import PASSWORD, small_state, staff, unit

SEARCH = """query($t: String!, $l: String!, $n: Int! = 10) { categorySearch(text: $t, language: $l, limit: $n) {
  __typename
  ... on CategorySearchResults { matches { score leaf { code name(language: $l) isLeaf }
        path { code name(language: $l) } department { code name(language: $l) } } }
  ... on OperationError { code fields { field } } } }"""
CREATE = """mutation($i: CategoryInput!, $d: ID, $p: ID) { categoryCreate(input: $i, departmentId: $d, parentId: $p) {
  __typename
  ... on CategorySuccess { category { id code depth version isLeaf department { code } parent { code }
        keywords { language keywords } slaOverrides { stage hours } rightToServiceDays
        effectiveRightToServiceDays effectivelySensitive } }
  ... on OperationError { code message fields { field message } } } }"""
UPDATE = """mutation($id: ID!, $i: CategoryInput!, $v: Int!) { categoryUpdate(id: $id, input: $i, expectedVersion: $v) {
  __typename ... on CategorySuccess { category { code version name(language: "hi") } }
  ... on OperationError { code fields { field } } } }"""
DEACTIVATE = """mutation($id: ID!) { categoryDeactivate(id: $id) { __typename
  ... on CategorySuccess { category { active version } } ... on OperationError { code } } }"""


async def _revenue_tree(dept: Unit) -> dict[str, Category]:
    land = await create_category(
        SYSTEM, CategoryInput(code="REV-LAND", names={"en": "Land records", "hi": "भूमि अभिलेख"},
                              keywords={"en": ["land"], "hi": ["भूमि"]}, rts_days=30),
        department_id=dept.id, now=NOW,
    )
    mutation = await create_category(
        SYSTEM, CategoryInput(code="REV-LAND-MUTATION", names={"en": "Mutation not done", "hi": "दाखिल खारिज नहीं हुआ"},
                              keywords={"en": ["mutation", "dakhil kharij"], "hi": ["दाखिल खारिज"]}),
        parent_id=land.id, now=NOW,
    )
    others = await create_category(
        SYSTEM, CategoryInput(code="REV-OTHERS", names={"en": "Others", "hi": "अन्य"}, keywords={"en": ["mutation"]},
                              is_others=True),
        department_id=dept.id, now=NOW,
    )
    return {"land": land, "mutation": mutation, "others": others}


def _input(code: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "names": [{"language": "en", "text": code.title()}], **extra}


async def test_anonymous_search_returns_whole_paths(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    await _revenue_tree(tree.dept)
    for text, language in (("dakhil kharij", "en"), ("दाखिल खारिज", "hi")):
        result = (await gql(client, SEARCH, {"t": text, "l": language}))["data"]["categorySearch"]
        assert result["__typename"] == "CategorySearchResults"
        first = result["matches"][0]
        assert first["leaf"]["code"] == "REV-LAND-MUTATION" and first["leaf"]["isLeaf"] is True
        assert [p["code"] for p in first["path"]] == ["REV-LAND", "REV-LAND-MUTATION"]
        assert first["department"]["code"] == "BR-REV"
    hindi = (await gql(client, SEARCH, {"t": "दाखिल खारिज", "l": "hi"}))["data"]["categorySearch"]["matches"][0]
    assert [p["name"] for p in hindi["path"]] == ["भूमि अभिलेख", "दाखिल खारिज नहीं हुआ"]
    assert hindi["department"]["name"] == "BR-REV कार्यालय"
    others_last = (await gql(client, SEARCH, {"t": "mutation", "l": "en"}))["data"]["categorySearch"]["matches"]
    assert [m["leaf"]["code"] for m in others_last] == ["REV-LAND-MUTATION", "REV-OTHERS"]
    assert others_last[0]["score"] > others_last[1]["score"]
    too_long = (await gql(client, SEARCH, {"t": "x" * 101, "l": "en"}))["data"]["categorySearch"]
    assert too_long == {"__typename": "OperationError", "code": "VALIDATION", "fields": [{"field": "text"}]}
    # Asking for more than the documented 25 is refused, not silently cut (tests/api/test_request_limits.py).
    too_many = (await gql(client, SEARCH, {"t": "mutation", "l": "en", "n": 100_000}))["data"]["categorySearch"]
    assert too_many == {"__typename": "OperationError", "code": "VALIDATION", "fields": [{"field": "limit"}]}
    at_cap = (await gql(client, SEARCH, {"t": "mutation", "l": "en", "n": 25}))["data"]["categorySearch"]
    assert len(at_cap["matches"]) == 2


async def test_anonymous_browses_the_tree(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    cats = await _revenue_tree(tree.dept)
    top = await gql(client, "query($d: ID!) { categories(departmentId: $d) { code isLeaf children { code } } }",
                    {"d": tree.dept.id})
    assert top["data"]["categories"] == [
        {"code": "REV-LAND", "isLeaf": False, "children": [{"code": "REV-LAND-MUTATION"}]},
        {"code": "REV-OTHERS", "isLeaf": True, "children": []},
    ]
    below = await gql(client, "query($p: ID!) { categories(parentId: $p) { code } }", {"p": cats["land"].id})
    assert below["data"]["categories"] == [{"code": "REV-LAND-MUTATION"}]
    one = await gql(client, """query($id: ID!) { category(id: $id) { code name(language: "hi") names { language text }
        rightToServiceDays effectiveRightToServiceDays parent { code } path { code } department { code } } }""",
                    {"id": cats["mutation"].id})
    assert one["data"]["category"] == {
        "code": "REV-LAND-MUTATION", "name": "दाखिल खारिज नहीं हुआ",
        "names": [{"language": "en", "text": "Mutation not done"}, {"language": "hi", "text": "दाखिल खारिज नहीं हुआ"}],
        "rightToServiceDays": None, "effectiveRightToServiceDays": 30, "parent": {"code": "REV-LAND"},
        "path": [{"code": "REV-LAND"}, {"code": "REV-LAND-MUTATION"}], "department": {"code": "BR-REV"},
    }
    for bad in ("nope", "-1", "999999"):
        assert (await gql(client, "query($id: ID!) { category(id: $id) { code } }", {"id": bad}))["data"] == {
            "category": None}
    assert (await gql(client, "{ categories { code } }"))["data"]["categories"] == []


async def test_head_creates_only_under_own_department(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    health = await unit("BR-HLT", UnitKind.DEPARTMENT, tree.state)
    await staff(settings, "rev_head", (tree.dept, Role.HEAD))
    token = await sign_in(client, "rev_head", PASSWORD)
    made = (await gql(client, CREATE, {"d": tree.dept.id, "i": _input(
        "REV-CERT", rightToServiceDays=21, keywords=[{"language": "en", "keywords": ["Certificate"]}],
        slaOverrides=[{"stage": "final_report", "hours": 48}], sensitive=True,
    )}, token=token))["data"]["categoryCreate"]
    assert made["__typename"] == "CategorySuccess", made
    service = made["category"]
    assert service == {"id": service["id"], "code": "REV-CERT", "depth": 0, "version": 1, "isLeaf": True,
                       "department": {"code": "BR-REV"}, "parent": None,
                       "keywords": [{"language": "en", "keywords": ["certificate"]}],
                       "slaOverrides": [{"stage": "final_report", "hours": 48.0}], "rightToServiceDays": 21,
                       "effectiveRightToServiceDays": 21, "effectivelySensitive": True}
    child = (await gql(client, CREATE, {"p": service["id"], "i": _input("REV-CERT-CASTE")}, token=token))
    child_cat = child["data"]["categoryCreate"]["category"]
    assert (child_cat["depth"], child_cat["parent"], child_cat["department"]) == (1, {"code": "REV-CERT"},
                                                                                  {"code": "BR-REV"})
    assert child_cat["effectiveRightToServiceDays"] == 21 and child_cat["effectivelySensitive"] is True
    refused = (await gql(client, CREATE, {"d": health.id, "i": _input("HLT-X")}, token=token))["data"]
    assert refused["categoryCreate"]["code"] == "FORBIDDEN"
    assert not await Category.exists(code="HLT-X")
    client.cookies.clear()  # signing in also set the session cookie
    anonymous = (await gql(client, CREATE, {"d": tree.dept.id, "i": _input("REV-Y")}))["data"]["categoryCreate"]
    assert anonymous["code"] == "UNAUTHENTICATED"
    officer = await sign_in(client, "officer_a", PASSWORD)
    assert (await gql(client, CREATE, {"d": tree.dept.id, "i": _input("REV-Y")}, token=officer))["data"][
        "categoryCreate"]["code"] == "FORBIDDEN"
    missing = (await gql(client, CREATE, {"d": "not-an-id", "i": _input("REV-Y")}, token=token))["data"]
    assert missing["categoryCreate"]["code"] == "NOT_FOUND"


async def test_validation_errors_name_every_field(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    token = await sign_in(client, "stateadmin", PASSWORD)
    bad = {"code": "lower case", "names": [{"language": "hi", "text": "x" * 201}],
           "keywords": [{"language": "en", "keywords": ["k" * 61]}], "rightToServiceDays": 400,
           "slaOverrides": [{"stage": "nap", "hours": 1}, {"stage": "review", "hours": -1}]}
    result = (await gql(client, CREATE, {"d": tree.dept.id, "i": bad}, token=token))["data"]["categoryCreate"]
    assert result["code"] == "VALIDATION"
    assert {f["field"] for f in result["fields"]} == {
        "code", "names.hi", "names.en", "keywords.en[0]", "rightToServiceDays", "slaOverrides.nap", "slaOverrides.review"}
    await create_category(SYSTEM, CategoryInput(code="REV-A", names={"en": "A"}), department_id=tree.dept.id, now=NOW)
    dup = (await gql(client, CREATE, {"d": tree.dept.id, "i": _input("REV-A")}, token=token))["data"]["categoryCreate"]
    assert (dup["code"], [f["field"] for f in dup["fields"]]) == ("VALIDATION", ["code"])


async def test_update_conflicts_and_deactivation(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    cats = await _revenue_tree(tree.dept)
    await staff(settings, "rev_head", (tree.dept, Role.HEAD))
    token = await sign_in(client, "rev_head", PASSWORD)
    edit = {"code": "REV-LAND", "names": [{"language": "en", "text": "Land"}, {"language": "hi", "text": "ज़मीन"}]}
    done = (await gql(client, UPDATE, {"id": cats["land"].id, "i": edit, "v": 1}, token=token))["data"]
    assert done["categoryUpdate"]["category"] == {"code": "REV-LAND", "version": 2, "name": "ज़मीन"}
    stale = (await gql(client, UPDATE, {"id": cats["land"].id, "i": edit, "v": 1}, token=token))["data"]
    assert stale["categoryUpdate"] == {"__typename": "OperationError", "code": "CHANGED_MEANWHILE", "fields": []}
    busy = (await gql(client, DEACTIVATE, {"id": cats["land"].id}, token=token))["data"]["categoryDeactivate"]
    assert busy == {"__typename": "OperationError", "code": "CONFLICT"}
    leaf = (await gql(client, DEACTIVATE, {"id": cats["mutation"].id}, token=token))["data"]["categoryDeactivate"]
    assert leaf["category"] == {"active": False, "version": 2}
    search = (await gql(client, SEARCH, {"t": "dakhil kharij", "l": "en"}))["data"]["categorySearch"]["matches"]
    assert [m["leaf"]["code"] for m in search] == []
    officer = await sign_in(client, "officer_a", PASSWORD)
    assert (await gql(client, DEACTIVATE, {"id": cats["others"].id}, token=officer))["data"][
        "categoryDeactivate"]["code"] == "FORBIDDEN"
