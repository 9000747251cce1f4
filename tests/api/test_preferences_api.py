"""Notification channels and language, chosen by the viewer through GraphQL."""

from __future__ import annotations

from typing import Any

import httpx

from backend.accounts.models import Citizen, StaffUser
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.factories import PASSWORD, lifecycle_world

SET = """mutation($c: [NotificationChannel!]!, $l: String!, $e: String) {
  notificationPreferencesSet(channels: $c, language: $l, email: $e) { __typename
  ... on NotificationPreferences { channels language email }
  ... on OperationError { code fields { field message } } } }"""
GET = "{ notificationPreferences { channels language email } }"


async def _set(client: httpx.AsyncClient, token: str | None, channels: list[str], language: str = "hi",
               email: str | None = None) -> dict[str, Any]:
    body = await gql(client, SET, {"c": channels, "l": language, "e": email}, token=token)
    result: dict[str, Any] = body["data"]["notificationPreferencesSet"]
    return result


async def test_a_citizen_chooses_channels_and_keeps_sms(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await citizen_sign_in(client, runtime, "9812345678")
    assert (await gql(client, GET, token=token))["data"]["notificationPreferences"] == {
        "channels": ["SMS", "EMAIL", "PUSH"], "language": "en", "email": ""}
    no_sms = await _set(client, token, ["PUSH"])
    assert no_sms["fields"] == [{"field": "channels",
                                 "message": "SMS stays on: it is how the portal reaches your registered mobile"}]
    no_mail = await _set(client, token, ["SMS", "EMAIL"], language="xx")
    assert sorted(f["field"] for f in no_mail["fields"]) == ["email", "language"]
    assert (await Citizen.get(mobile="9812345678")).notify_channels == []  # nothing saved
    saved = await _set(client, token, ["SMS", "EMAIL", "WHATSAPP", "SMS"], email="ramesh@example.in")
    assert saved == {"__typename": "NotificationPreferences", "channels": ["SMS", "EMAIL", "WHATSAPP"],
                     "language": "hi", "email": "ramesh@example.in"}


async def test_an_official_needs_a_channel_and_cannot_change_their_email(client: httpx.AsyncClient,
                                                                        settings: Settings) -> None:
    await lifecycle_world(settings)
    token = await sign_in(client, "officer_a", PASSWORD)
    assert (await _set(client, token, []))["fields"][0]["field"] == "channels"
    assert (await _set(client, token, ["PUSH"], email="me@example.in"))["fields"][0]["field"] == "email"
    saved = await _set(client, token, ["PUSH", "SMS"])
    assert saved["channels"] == ["PUSH", "SMS"] and saved["language"] == "hi"
    assert (await StaffUser.get(username="officer_a")).notify_channels == ["push", "sms"]


async def test_anonymous_has_no_preferences(client: httpx.AsyncClient) -> None:
    assert (await gql(client, GET))["data"]["notificationPreferences"] is None
    assert (await _set(client, None, ["SMS"]))["code"] == "UNAUTHENTICATED"
