from __future__ import annotations

import httpx

from backend.orgs.models import Unit
from backend.settings import Settings
from tests.api.conftest import gql, sign_in
from tests.factories import PASSWORD, small_state

UNIT = "query($id: ID!) { unit(id: $id) { code name(language: \"hi\") parent { code } children { code } } }"
CREATE = """mutation($p: ID!, $i: UnitInput!) { unitCreate(parentId: $p, input: $i) { __typename
  ... on UnitSuccess { unit { id code kind depth areaCodes } }
  ... on OperationError { code message fields { field message } } } }"""


def _unit_input(code: str) -> dict[str, object]:
    return {"code": code, "kind": "BLOCK", "names": [{"language": "en", "text": f"{code} block"}],
            "areaCodes": ["BR-A-9"]}


async def test_officer_of_district_a_cannot_see_or_create_under_district_b(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    tree = await small_state(settings)
    token = await sign_in(client, "nodal_a", PASSWORD)
    own = (await gql(client, UNIT, {"id": tree.district_a.id}, token=token))["data"]["unit"]
    assert own == {"code": "BR-REV-A", "name": "BR-REV-A कार्यालय", "parent": {"code": "BR-REV"},
                   "children": [{"code": "BR-REV-A-1"}]}
    assert (await gql(client, UNIT, {"id": tree.district_b.id}, token=token))["data"]["unit"] is None
    assert (await gql(client, UNIT, {"id": tree.block_b.id}, token=token))["data"]["unit"] is None
    # The department above is visible (as context), but not its other branch.
    dept = (await gql(client, UNIT, {"id": tree.dept.id}, token=token))["data"]["unit"]
    assert dept["children"] == [{"code": "BR-REV-A"}]
    refused = (await gql(client, CREATE, {"p": tree.district_b.id, "i": _unit_input("BR-REV-B-9")}, token=token))
    assert refused["data"]["unitCreate"]["code"] == "FORBIDDEN"
    assert not await Unit.exists(code="BR-REV-B-9")
    created = (await gql(client, CREATE, {"p": tree.district_a.id, "i": _unit_input("BR-REV-A-9")}, token=token))
    assert created["data"]["unitCreate"]["unit"]["depth"] == 4
    search = await gql(client, '{ units(search: "br-rev-") { code } }', token=token)
    codes = {u["code"] for u in search["data"]["units"]}
    assert "BR-REV-B" not in codes and {"BR-REV-A", "BR-REV-A-1", "BR-REV-A-9"} <= codes


async def test_citizen_and_anonymous_see_no_units(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    assert (await gql(client, UNIT, {"id": tree.state.id}))["data"]["unit"] is None
    anon = await gql(client, CREATE, {"p": tree.state.id, "i": _unit_input("X-1")})
    assert anon["data"]["unitCreate"]["code"] == "UNAUTHENTICATED"


async def test_validation_errors_name_every_field(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    token = await sign_in(client, "stateadmin", PASSWORD)
    bad = {"code": "no spaces", "kind": "OFFICE", "names": [{"language": "hi", "text": "x" * 300}],
           "areaCodes": ["lower"]}
    result = (await gql(client, CREATE, {"p": tree.state.id, "i": bad}, token=token))["data"]["unitCreate"]
    assert result["code"] == "VALIDATION"
    assert {f["field"] for f in result["fields"]} == {"code", "names.hi", "names.en", "areaCodes[0]"}


ACCOUNT_CREATE = """mutation($i: AccountCreateInput!) { accountCreate(input: $i) { __typename
  ... on AccountCreated { account { id username hasPassword roles { role unit { code } } } setPasswordUrl }
  ... on OperationError { code message fields { field message } } } }"""
SET_PASSWORD = """mutation($t: String!, $p: String!) { authSetPassword(token: $t, password: $p) { __typename
  ... on PasswordSet { account { hasPassword } } ... on OperationError { code message fields { field } } } }"""


async def test_account_created_with_one_time_link(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    token = await sign_in(client, "nodal_a", PASSWORD)
    data = {"username": "bdo.a1", "fullName": "BDO A1", "mobile": "9123456789",
            "memberships": [{"unitId": str(tree.block_a.id), "role": "OFFICER"}]}
    created = (await gql(client, ACCOUNT_CREATE, {"i": data}, token=token))["data"]["accountCreate"]
    assert created["__typename"] == "AccountCreated" and created["account"]["hasPassword"] is False
    link_token = created["setPasswordUrl"].rsplit("/", 1)[1]
    weak = (await gql(client, SET_PASSWORD, {"t": link_token, "p": "short"}))["data"]["authSetPassword"]
    assert weak["code"] == "VALIDATION"
    done = (await gql(client, SET_PASSWORD, {"t": link_token, "p": "a-long-secret-phrase"}))["data"]["authSetPassword"]
    assert done["account"]["hasPassword"] is True
    again = (await gql(client, SET_PASSWORD, {"t": link_token, "p": "another-long-phrase"}))["data"]["authSetPassword"]
    assert again["code"] == "ALREADY_USED"
    assert await sign_in(client, "bdo.a1", "a-long-secret-phrase")
    # Nobody creates accounts outside their subtree, or grants more power than they hold.
    other = {**data, "username": "bdo.b1", "memberships": [{"unitId": str(tree.block_b.id), "role": "OFFICER"}]}
    assert (await gql(client, ACCOUNT_CREATE, {"i": other}, token=token))["data"]["accountCreate"]["code"] == "FORBIDDEN"
    admin = {**data, "username": "sneaky", "memberships": [{"unitId": str(tree.district_a.id), "role": "SYSTEM_ADMIN"}]}
    assert (await gql(client, ACCOUNT_CREATE, {"i": admin}, token=token))["data"]["accountCreate"]["code"] == "FORBIDDEN"


async def test_move_preview_and_apply_through_api(client: httpx.AsyncClient, settings: Settings) -> None:
    tree = await small_state(settings)
    token = await sign_in(client, "stateadmin", PASSWORD)
    query = """mutation($id: ID!, $to: ID!, $dry: Boolean!) { unitMove(id: $id, newParentId: $to, dryRun: $dry) {
      __typename ... on RestructurePlan { dryRun unitsMoved unitCodes } ... on OperationError { code } } }"""
    preview = (await gql(client, query, {"id": tree.district_b.id, "to": tree.state.id, "dry": True}, token=token))
    assert preview["data"]["unitMove"] == {"__typename": "RestructurePlan", "dryRun": True, "unitsMoved": 2,
                                           "unitCodes": ["BR-REV-B", "BR-REV-B-1"]}
    assert (await Unit.get(id=tree.district_b.id)).parent_id == tree.dept.id  # type: ignore[attr-defined]
    applied = (await gql(client, query, {"id": tree.district_b.id, "to": tree.state.id, "dry": False}, token=token))
    assert applied["data"]["unitMove"]["dryRun"] is False
    assert (await Unit.get(id=tree.district_b.id)).parent_id == tree.state.id  # type: ignore[attr-defined]
    nodal = await sign_in(client, "nodal_a", PASSWORD)
    refused = await gql(client, query, {"id": tree.block_a.id, "to": tree.state.id, "dry": True}, token=nodal)
    assert refused["data"]["unitMove"]["code"] == "FORBIDDEN"
