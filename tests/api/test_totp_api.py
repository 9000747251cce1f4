"""Two-step sign-in through GraphQL: turned on by the official, then asked for at sign-in."""

from __future__ import annotations

from datetime import datetime

import httpx
import pyotp

from backend.accounts.roles import Role
from backend.orgs.models import UnitKind
from backend.settings import Settings
from tests.api.conftest import gql, sign_in
from tests.factories import PASSWORD, staff, unit

SIGN_IN = ("""mutation($c: String) { authSignInPassword(username: "two.step", password: "PASSWORD", totpCode: $c) {
  __typename ... on OperationError { code fields { field message } } } }""".replace("PASSWORD", PASSWORD))
RESULT = "__typename ... on OperationError { code message fields { field message } }"


def code_now(secret: str, api_now: datetime) -> str:
    return pyotp.TOTP(secret).at(api_now)


async def test_turned_on_then_asked_for_at_sign_in(client: httpx.AsyncClient, settings: Settings) -> None:
    office = await unit("TOTP-OFFICE", UnitKind.OFFICE, None)
    await staff(settings, "two.step", (office, Role.OFFICER))
    token = await sign_in(client, "two.step", PASSWORD)
    viewer = await gql(client, "{ viewer { totpEnabled } }", token=token)
    assert viewer["data"]["viewer"]["totpEnabled"] is False
    begun = (await gql(client, f"mutation {{ authTotpBegin {{ {RESULT} ... on TotpEnrolment {{ secret uri }} }} }}",
                       token=token))["data"]["authTotpBegin"]
    assert begun["__typename"] == "TotpEnrolment" and begun["uri"].startswith("otpauth://totp/")
    secret = begun["secret"]
    wrong = (await gql(client, f'mutation {{ authTotpConfirm(code: "12") {{ {RESULT} }} }}', token=token))
    assert wrong["data"]["authTotpConfirm"]["fields"][0]["field"] == "totpCode"
    right = code_now(secret, datetime.now().astimezone())
    confirmed = await gql(client, f'mutation {{ authTotpConfirm(code: "{right}") {{ {RESULT} '
                                  '... on TotpStatus { enabled } } }', token=token)
    assert confirmed["data"]["authTotpConfirm"] == {"__typename": "TotpStatus", "enabled": True}
    assert (await gql(client, "{ viewer { totpEnabled } }", token=token))["data"]["viewer"]["totpEnabled"] is True

    asked = (await gql(client, SIGN_IN, {"c": None}))["data"]["authSignInPassword"]
    assert asked["code"] == "TOTP_REQUIRED" and asked["fields"][0]["field"] == "totpCode"
    replayed = (await gql(client, SIGN_IN, {"c": right}))["data"]["authSignInPassword"]
    assert replayed["code"] == "INVALID_CREDENTIALS"
    # Anonymous callers cannot start an enrolment (the client forgets its session cookie).
    client.cookies.clear()
    anonymous = (await gql(client, f"mutation {{ authTotpBegin {{ {RESULT} }} }}"))["data"]["authTotpBegin"]
    assert anonymous["code"] == "UNAUTHENTICATED"
