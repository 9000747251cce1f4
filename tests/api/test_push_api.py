"""Registering a device for Web Push through GraphQL."""

from __future__ import annotations

import httpx

from backend.notifications.models import PushSubscription
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql
from tests.workers.test_push import Browser, b64

SUBSCRIBE = """mutation($e: String!, $p: String!, $a: String!) { pushSubscribe(endpoint: $e, p256dh: $p, auth: $a) {
  __typename ... on PushDevice { endpoint } ... on OperationError { code fields { field } } } }"""
UNSUBSCRIBE = """mutation($e: String!) { pushUnsubscribe(endpoint: $e) { __typename
  ... on PushUnsubscribed { removed } ... on OperationError { code } } }"""
ENDPOINT = "https://fcm.googleapis.com/fcm/send/device-1"


async def test_a_citizen_registers_and_removes_a_device(client: httpx.AsyncClient, settings: Settings,
                                                        runtime: Runtime) -> None:
    assert (await gql(client, "{ pushPublicKey }"))["data"]["pushPublicKey"] == settings.vapid_public_key
    browser = Browser()
    keys = {"e": ENDPOINT, "p": browser.p256dh, "a": b64(browser.auth)}
    anonymous = (await gql(client, SUBSCRIBE, keys))["data"]["pushSubscribe"]
    assert anonymous == {"__typename": "OperationError", "code": "UNAUTHENTICATED", "fields": []}
    token = await citizen_sign_in(client, runtime, "9812345678")
    bad = (await gql(client, SUBSCRIBE, {**keys, "e": "http://10.1.2.3/x", "a": "short"}, token=token))
    assert bad["data"]["pushSubscribe"]["fields"] == [{"field": "endpoint"}, {"field": "auth"}]
    assert await PushSubscription.all().count() == 0
    done = (await gql(client, SUBSCRIBE, keys, token=token))["data"]["pushSubscribe"]
    assert done == {"__typename": "PushDevice", "endpoint": ENDPOINT}
    gone = (await gql(client, UNSUBSCRIBE, {"e": ENDPOINT}, token=token))["data"]["pushUnsubscribe"]
    assert gone == {"__typename": "PushUnsubscribed", "removed": True}
