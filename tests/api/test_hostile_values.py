"""Values schemathesis does not craft but an attacker would (issue 12): each once made a
server error (on PostgreSQL, or with the stored aware times) and is now a clear refusal.

- a NUL character in any text (PostgreSQL cannot hold one: the query itself failed);
- a DateTime without a UTC offset, or one outside years 1-9999 once in UTC;
- a forged page cursor (an id past 64 bits, a naive time, the wrong types).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from backend.api.extensions import HAS_NUL
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.api.test_request_limits import refused
from tests.factories import PASSWORD, small_state

INBOX = """query($f: InboxFilterInput, $a: String) { inbox(filter: $f, after: $a) { __typename
  ... on OperationError { code fields { field } } } }"""
MINE = """query($a: String) { myGrievances(after: $a) { __typename ... on OperationError { code fields { field } } } }"""


@pytest.mark.parametrize(("query", "variables"), [
    ('query($s: String!) { units(search: $s) { code } }', {"s": "a\x00b"}),
    ("mutation($u: String!, $p: String!) { authSignInPassword(username: $u, password: $p) { __typename } }",
     {"u": "nodal_a\x00", "p": "x"}),
    ('query($t: String!) { categorySearch(text: $t) { __typename } }', {"t": "ration\x00"}),
    ("mutation($c: String) { orgImport(dryRun: true, unitsCsv: $c) { __typename } }", {"c": "code\n\x00\n"}),
    (INBOX, {"f": {"search": "x\x00"}}),
    # Written in the document as a GraphQL escape, or as a variable's default.
    ('{ units(search: "a\\u0000b") { code } }', {}),
    ('query($s: String! = "\\u0000") { units(search: $s) { code } }', {}),
])
async def test_nul_characters_are_refused_everywhere(client: httpx.AsyncClient, settings: Settings, query: str,
                                                      variables: dict[str, Any]) -> None:
    await small_state(settings)
    token = await sign_in(client, "nodal_a", PASSWORD)
    refused(await gql(client, query, variables, token=token), HAS_NUL)


@pytest.mark.parametrize(("value", "words"), [
    ("2026-01-01T00:00:00", "needs a UTC offset"),
    ("2026-01-01", "needs a UTC offset"),
    ("0001-01-01T00:00:00+14:00", "outside the years 1 to 9999"),
    ("9999-12-31T23:59:59-12:00", "outside the years 1 to 9999"),
])
async def test_datetimes_need_an_offset_and_a_year_in_range(client: httpx.AsyncClient, settings: Settings,
                                                            value: str, words: str) -> None:
    await small_state(settings)
    token = await sign_in(client, "nodal_a", PASSWORD)
    body = await gql(client, INBOX, {"f": {"dueBefore": value}}, token=token)
    assert body["data"] is None and words in body["errors"][0]["message"] and "path" not in body["errors"][0]
    for fine in ("2026-01-01T00:00:00+05:30", "2026-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00"):
        assert (await gql(client, INBOX, {"f": {"dueBefore": fine}}, token=token))["data"]["inbox"][
            "__typename"] == "GrievancePage"


def _cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


FORGED = [_cursor([None, 2**70]), _cursor(["2026-01-01T00:00:00", 5]), _cursor(["2026-01-01T00:00:00+00:00", -1]),
          _cursor([None, 1.5]), _cursor([None, "5"]), _cursor([None, True]), _cursor({"a": 1}), _cursor([1, 2, 3]),
          "not base64 at all!", "////"]


@pytest.mark.parametrize("cursor", FORGED)
async def test_forged_cursors_are_refused_as_data(client: httpx.AsyncClient, settings: Settings, runtime: Runtime,
                                                  cursor: str) -> None:
    await small_state(settings)
    staff = await sign_in(client, "nodal_a", PASSWORD)
    citizen = await citizen_sign_in(client, runtime, "9876500001")
    client.cookies.clear()
    expected = {"code": "VALIDATION", "fields": [{"field": "after"}]}
    inbox = (await gql(client, INBOX, {"a": cursor}, token=staff))["data"]["inbox"]
    assert {k: inbox.get(k) for k in expected} == expected, inbox
    mine = (await gql(client, MINE, {"a": cursor}, token=citizen))["data"]["myGrievances"]
    assert {k: mine.get(k) for k in expected} == expected, mine


V2 = "/open311/v2"


@pytest.mark.parametrize(("method", "path", "params", "status", "words"), [
    ("GET", "requests.json", {"start_date": "2026-01-01T00:00:00"}, 400, "needs a UTC offset"),
    ("GET", "requests.json", {"start_date": "0001-01-01T00:00:00+14:00"}, 400, "outside the years"),
    ("GET", "requests.json", {"end_date": "9999-12-31T23:59:59-12:00"}, 400, "outside the years"),
    ("GET", "requests.json", {"service_code": "REV\x00"}, 400, "NUL"),
    ("GET", "requests.json", {"status": "open\x00"}, 400, "NUL"),
    ("GET", "services/A%00B.json", {"jurisdiction_id": "BR"}, 400, "NUL"),
    ("POST", "requests.json", {"service_code": "X", "description": "d\x00", "phone": "9876543210"}, 400, "NUL"),
    # Ids past 64 bits match nothing rather than overflow the query.
    ("GET", "requests.json", {"service_request_id": "99999999999999999999999,1"}, 200, "[]"),
    ("GET", "requests/99999999999999999999999.json", {}, 404, "not found"),
])
async def test_open311_refuses_the_same_values(client: httpx.AsyncClient, settings: Settings, method: str,
                                               path: str, params: dict[str, str], status: int, words: str) -> None:
    from backend.core.clock import utcnow
    from backend.open311.services import issue_key

    await small_state(settings)
    _, key = await issue_key(settings, "District app", "BR", utcnow())
    if method == "GET":
        response = await client.get(f"{V2}/{path}", params={"api_key": key, **params})
    else:
        response = await client.post(f"{V2}/{path}", data={"api_key": key, **params})
    assert (response.status_code, words in response.text) == (status, True), response.text
