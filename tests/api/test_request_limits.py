"""Hostile request shapes: long lists, oversized pages, many mutations, batches, huge
bodies and introspection are refused before any resolver runs (issue 12)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
import pytest_asyncio

from backend.api.limits import (
    DEFAULT_PAGE_MAXIMUM,
    LIST_MAXIMA,
    MAX_LIST_ITEMS,
    MAX_ROOT_MUTATIONS,
    PAGE_ARGUMENTS,
    PAGE_MAXIMA,
)
from backend.api.schema import schema
from backend.app import create_app
from backend.attachments.http import MAX_OTHER_BODY
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.factories import PASSWORD, small_state

INBOX = """query($s: [GrievanceStatus!]!) { inbox(filter: {statuses: $s}) { __typename
  ... on OperationError { code } } }"""


def refused(body: dict[str, Any], words: str) -> None:
    """A request error, like a validation error: no data, no path, a clear message."""
    assert body.get("data") is None, body
    (error,) = body["errors"]
    assert "path" not in error and words in error["message"], error
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def ran(body: dict[str, Any]) -> None:
    assert "errors" not in body and body["data"], body


async def test_lists_in_variables_are_capped(client: httpx.AsyncClient) -> None:
    refused(await gql(client, INBOX, {"s": ["FILED"] * (MAX_LIST_ITEMS + 1)}),
            f"variables.s holds more than {MAX_LIST_ITEMS} items")
    # At the cap the request reaches the resolver (which refuses the anonymous viewer, as data).
    at_cap = await gql(client, INBOX, {"s": ["FILED"] * MAX_LIST_ITEMS})
    ran(at_cap)
    assert at_cap["data"]["inbox"]["code"] == "UNAUTHENTICATED"


async def test_lists_nested_in_input_objects_are_capped(client: httpx.AsyncClient) -> None:
    query = """mutation($i: GrievanceFileInput!) { grievanceFile(input: $i) { __typename } }"""
    grievance = {"channel": "WEB", "categoryId": "1", "areaCode": "BR", "subject": "s", "description": "d",
                 "attachmentIds": [str(i) for i in range(MAX_LIST_ITEMS + 1)]}
    refused(await gql(client, query, {"i": grievance}), "variables.i.attachmentIds holds more than")


async def test_lists_written_in_the_document_are_capped(client: httpx.AsyncClient) -> None:
    statuses = ", ".join(["FILED"] * (MAX_LIST_ITEMS + 1))
    refused(await gql(client, f"{{ inbox(filter: {{statuses: [{statuses}]}}) {{ __typename }} }}"),
            "Argument filter.statuses of Query.inbox holds more than")


PAGED = {
    ("Query", "units"): "query($n: Int!) { units(first: $n) { code } }",
    ("Query", "routingRules"): "query($n: Int!) { routingRules(first: $n) { id } }",
    ("Query", "categorySearch"): 'query($n: Int!) { categorySearch(text: "ration", limit: $n) { __typename } }',
    ("Query", "feedbackCallQueue"): "query($n: Int!) { feedbackCallQueue(first: $n) { __typename } }",
    ("Query", "myGrievances"): "query($n: Int!) { myGrievances(first: $n) { __typename } }",
    ("Query", "inbox"): "query($n: Int!) { inbox(first: $n) { __typename } }",
}


def test_every_page_size_argument_has_a_documented_maximum() -> None:
    """A new paged field must say its maximum (in PAGE_MAXIMA and its description)."""
    paged = set()
    for type_name, graphql_type in schema._schema.type_map.items():
        for field_name, field in getattr(graphql_type, "fields", {}).items():
            if PAGE_ARGUMENTS & set(getattr(field, "args", {})):
                paged.add((type_name, field_name))
                maximum = PAGE_MAXIMA.get((type_name, field_name), DEFAULT_PAGE_MAXIMUM)
                assert f"at most {maximum}" in (field.description or ""), (type_name, field_name)
    assert paged == set(PAGED) == set(PAGE_MAXIMA)


# Fields that can answer OperationError refuse a bad page size as data; plain list
# fields are refused as a request error.
AS_DATA = {("Query", "categorySearch"): "limit", ("Query", "feedbackCallQueue"): "first",
           ("Query", "myGrievances"): "first", ("Query", "inbox"): "first"}


@pytest.mark.parametrize("field", sorted(PAGED))
async def test_page_sizes_are_capped(client: httpx.AsyncClient, settings: Settings, runtime: Runtime,
                                     field: tuple[str, str]) -> None:
    maximum = PAGE_MAXIMA[field]
    query = PAGED[field]
    token = None  # the inbox and "my grievances" check who asks before the page size
    if field == ("Query", "inbox"):
        await small_state(settings)
        token = await sign_in(client, "nodal_a", PASSWORD)
    elif field == ("Query", "myGrievances"):
        token = await citizen_sign_in(client, runtime, "9876500001")
    client.cookies.clear()
    if field in AS_DATA:
        query = query.replace("{ __typename }", "{ __typename ... on OperationError { code fields { field message } } }")
    for bad in (maximum + 1, 0, -1, 2**31 - 1):
        body = await gql(client, query, {"n": bad}, token=token)
        if field in AS_DATA:
            ran(body)
            result = body["data"][field[1]]
            assert result["code"] == "VALIDATION", result
            assert result["fields"] == [{"field": AS_DATA[field], "message": f"must be between 1 and {maximum}"}]
        else:
            refused(body, f"of {field[0]}.{field[1]} must be between 1 and {maximum}")
    for good in (maximum, 1):
        body = await gql(client, query, {"n": good}, token=token)
        ran(body)
        if field in AS_DATA:  # past the page check: anonymous is refused, or the search runs
            assert body["data"][field[1]].get("code") in (None, "UNAUTHENTICATED", "FORBIDDEN"), body


async def test_page_sizes_are_checked_in_literals_and_variable_defaults(client: httpx.AsyncClient) -> None:
    refused(await gql(client, "{ units(first: 201) { code } }"), "must be between 1 and 200")
    refused(await gql(client, "query($n: Int! = 5000) { units(first: $n) { code } }"), "must be between 1 and 200")
    # Through a fragment too: the check follows the document, not the operation's top.
    refused(await gql(client, "query { ...F } fragment F on Query { units(first: 999) { code } }"),
            "must be between 1 and 200")


async def test_a_request_runs_a_bounded_number_of_mutations(client: httpx.AsyncClient) -> None:
    def many(n: int) -> str:
        return "mutation { " + " ".join(f"m{i}: authSignOut {{ __typename }}" for i in range(n)) + " }"

    refused(await gql(client, many(MAX_ROOT_MUTATIONS + 1)), f"at most {MAX_ROOT_MUTATIONS} mutations")
    ran(await gql(client, many(MAX_ROOT_MUTATIONS)))
    # Hidden in fragments they still count.
    spread = ("mutation { ...A ...B } fragment A on Mutation { a: authSignOut { __typename } b: authSignOut "
              "{ __typename } c: authSignOut { __typename } } fragment B on Mutation { d: authSignOut { __typename } "
              "e: authSignOut { __typename } f: authSignOut { __typename } }")
    refused(await gql(client, spread), "at most 5 mutations")


async def test_what_a_document_decides_is_kept_per_operation_and_variables_still_count(
        client: httpx.AsyncClient) -> None:
    """The document's own checks are kept per text (backend.api.limits.DocumentChecks):
    the same text asked again, for another of its operations or with other variables,
    is judged afresh on what differs."""
    many = " ".join(f"m{i}: authSignOut {{ __typename }}" for i in range(MAX_ROOT_MUTATIONS + 1))
    text = f"mutation Many {{ {many} }} mutation One {{ authSignOut {{ __typename }} }}"
    for _ in range(2):
        body = (await client.post("/graphql", json={"query": text, "operationName": "Many"})).json()
        refused(body, f"at most {MAX_ROOT_MUTATIONS} mutations")
        ran((await client.post("/graphql", json={"query": text, "operationName": "One"})).json())
    paged = "query($n: Int!) { units(first: $n) { code } }"
    for _ in range(2):
        ran(await gql(client, paged, {"n": 200}))
        refused(await gql(client, paged, {"n": 201}), "must be between 1 and 200")


async def test_batched_operations_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=[{"query": "{ health { status } }"}] * 2)
    assert response.status_code == 400 and "batch" in response.text.lower()


async def test_oversized_bodies_are_refused_before_they_are_read(client: httpx.AsyncClient) -> None:
    padding = "x" * MAX_OTHER_BODY
    body = json.dumps({"query": "{ health { status } }", "variables": {"pad": padding}}).encode()
    declared = await client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert declared.status_code == 413

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(body), 1024 * 1024):
            yield body[i:i + 1024 * 1024]

    chunked = await client.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413 and "content-length" not in chunked.request.headers
    # Open311's form posts go through the same cap.
    form = await client.post("/open311/v2/requests.json", content=body,
                             headers={"content-type": "application/x-www-form-urlencoded"})
    assert form.status_code == 413


INTROSPECTION = [
    "{ __schema { queryType { name } } }",
    '{ __type(name: "Grievance") { fields { name } } }',
    "query { ...F } fragment F on Query { __schema { types { name } } }",
]


@pytest_asyncio.fixture
async def closed_client(settings: Settings, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """The app as production runs it by default: introspection off."""
    closed = replace(settings, introspection=False)
    app = create_app(closed, replace(runtime, settings=closed))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        yield c


@pytest.mark.parametrize("query", INTROSPECTION)
async def test_introspection_can_be_turned_off(client: httpx.AsyncClient, closed_client: httpx.AsyncClient,
                                               query: str) -> None:
    ran(await gql(client, query))
    refused(await gql(closed_client, query), "Introspection is turned off")
    # __typename is not introspection: the PWA reads every union through it.
    assert (await gql(closed_client, "{ health { __typename status } }"))["data"]["health"]["__typename"] == "Health"


async def test_longer_lists_where_the_domain_allows_them(client: httpx.AsyncClient) -> None:
    query = """mutation($i: UnitInput!) { unitCreate(input: $i, parentId: "1") { __typename } }"""
    unit = {"code": "X", "kind": "OFFICE", "names": [{"language": "en", "text": "X"}]}
    codes = [f"BR-{i}" for i in range(LIST_MAXIMA["areaCodes"])]
    ran(await gql(client, query, {"i": {**unit, "areaCodes": codes}}))  # reaches the resolver (refuses anonymous)
    refused(await gql(client, query, {"i": {**unit, "areaCodes": [*codes, "BR-X"]}}),
            f"holds more than {LIST_MAXIMA['areaCodes']} items")
    refused(await gql(client, query, {"i": {**unit, "areaCodes": [], "escalationAuthorityIds": codes}}),
            f"holds more than {MAX_LIST_ITEMS} items")


def test_a_websocket_runs_a_bounded_number_of_operations(settings: Settings, runtime: Runtime) -> None:
    """Strawberry enforces the cap (answering the next subscribe with an error message);
    the view must be given ours."""
    from backend.api.limits import MAX_OPERATIONS_PER_SOCKET
    from backend.app import GraphQLView

    assert GraphQLView(runtime).max_subscriptions_per_connection == MAX_OPERATIONS_PER_SOCKET == 20
