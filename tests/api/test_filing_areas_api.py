"""The filing form's place pickers: districts, then a district's blocks (public)."""

from __future__ import annotations

import httpx

from backend.settings import Settings
from tests.api.conftest import gql
from tests.factories import lifecycle_world

AREAS = "query($p: String!, $l: String!) { filingAreas(parentCode: $p, language: $l) { code name } }"


async def test_districts_then_blocks_in_either_language(client: httpx.AsyncClient, settings: Settings) -> None:
    await lifecycle_world(settings)
    districts = (await gql(client, AREAS, {"p": "", "l": "en"}))["data"]["filingAreas"]
    assert districts == [{"code": "BR-A", "name": "BR-REV-A office"}, {"code": "BR-B", "name": "BR-REV-B office"}]
    blocks = (await gql(client, AREAS, {"p": "BR-A", "l": "hi"}))["data"]["filingAreas"]
    assert blocks == [{"code": "BR-A-1", "name": "BR-REV-A-1 कार्यालय"}]
    assert (await gql(client, AREAS, {"p": "NOWHERE", "l": "en"}))["data"]["filingAreas"] == []


async def test_refusals_come_in_the_language_the_client_asks_for(client: httpx.AsyncClient) -> None:
    query = """mutation { authRequestOtp(mobile: "12") { __typename ... on OperationError { fields { message } } } }"""
    hindi = await gql(client, query, headers={"accept-language": "hi-IN,hi;q=0.9"})
    english = await gql(client, query)
    assert hindi["data"]["authRequestOtp"]["fields"] == [
        {"message": "6-9 से शुरू होने वाला 10 अंकों का भारतीय मोबाइल नंबर होना चाहिए"}]
    assert english["data"]["authRequestOtp"]["fields"] == [
        {"message": "must be a 10-digit Indian mobile number starting with 6-9"}]
