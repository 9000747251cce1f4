"""The fuzzer drives the same real server the end-to-end tests start (its own instance),
as an anonymous visitor and as signed-in viewers."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from schemathesis.specs.graphql.schemas import GraphQLSchema

from tests.e2e.conftest import live_server  # noqa: F401  (re-exported fixture)
from tests.e2e.support import DEMO_CITIZEN_MOBILE, STAFF_PASSWORD, LiveServer

# Schemathesis has no strategy for the multipart `Upload` scalar; a plain string in its
# place exercises the resolver's refusal of a non-file.
schemathesis.graphql.scalar("Upload", st.text(max_size=20).map(nodes.String))
# Times over the whole calendar, with any offset or none: naive times and offsets that
# push year 1 or 9999 out of range in UTC once made server errors.
_OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)))
schemathesis.graphql.scalar("DateTime", st.datetimes(timezones=st.none() | _OFFSETS).map(
    lambda moment: nodes.String(moment.isoformat())))
schemathesis.graphql.scalar("Date", st.dates().map(lambda day: nodes.String(day.isoformat())))

SMS_TIMEOUT_S = 10.0
VIEWER = "{ viewer { kind } }"


@dataclass
class Viewer:
    """Who the fuzzer speaks as. `token_source` signs in afresh (None: anonymous); it is
    called again whenever a fuzzed mutation ended the session (a role revoked, a unit
    restructured), so the rest of the run still speaks as a signed-in viewer."""

    name: str
    kind: str
    client: httpx.Client
    token_source: Callable[[int], str] | None = None
    token: str | None = None
    sign_ins: int = 0

    def headers(self) -> dict[str, str]:
        if self.token_source is None:
            return {}
        if self.token is None or not self._still_signed_in():
            self.token = self.token_source(self.sign_ins)
            self.sign_ins += 1
            assert self._still_signed_in(), f"{self.name} could not sign in"
        return {"Authorization": f"Bearer {self.token}"}

    def _still_signed_in(self) -> bool:
        body = self.client.post("/graphql", json={"query": VIEWER},
                                headers={"Authorization": f"Bearer {self.token}"}).json()
        return bool(body.get("data")) and body["data"]["viewer"]["kind"] == self.kind


def _gql(client: httpx.Client, query: str, variables: dict[str, str]) -> dict[str, object]:
    body = client.post("/graphql", json={"query": query, "variables": variables}).json()
    data: dict[str, object] = body["data"]
    return data


def staff_source(client: httpx.Client, usernames: tuple[str, ...]) -> Callable[[int], str]:
    def sign_in(attempt: int) -> str:
        # The next account each time: if a fuzzed mutation deactivated one, another works.
        username = usernames[attempt % len(usernames)]
        result = _gql(client, """mutation($u: String!, $p: String!) { authSignInPassword(username: $u, password: $p)
            { __typename ... on SignInSuccess { token } ... on OperationError { code message } } }""",
                      {"u": username, "p": STAFF_PASSWORD})["authSignInPassword"]
        assert isinstance(result, dict) and result["__typename"] == "SignInSuccess", result
        return str(result["token"])

    return sign_in


def citizen_source(client: httpx.Client, server: LiveServer) -> Callable[[int], str]:
    def sign_in(attempt: int) -> str:
        # The demo citizen first (grievances to act on), a fresh number after that.
        mobile = DEMO_CITIZEN_MOBILE if attempt == 0 else f"90000{attempt:05d}"
        already = len(server.sms_messages())
        sent = _gql(client, 'mutation($m: String!) { authRequestOtp(mobile: $m) { __typename } }', {"m": mobile})
        assert sent["authRequestOtp"] == {"__typename": "OtpSent"}, sent
        deadline = time.monotonic() + SMS_TIMEOUT_S
        while True:
            ours = [m for m in server.sms_messages()[already:] if m["to"] == mobile]
            if ours:
                break
            assert time.monotonic() < deadline, f"no sign-in SMS to {mobile} within {SMS_TIMEOUT_S} s"
            time.sleep(0.05)  # poll interval; the deadline bounds the wait
        result = _gql(client, """mutation($m: String!, $c: String!) { authVerifyOtp(mobile: $m, code: $c)
            { __typename ... on SignInSuccess { token } } }""", {"m": mobile, "c": ours[-1]["text"].split()[0]})
        token = result["authVerifyOtp"]
        assert isinstance(token, dict) and token["__typename"] == "SignInSuccess", token
        return str(token["token"])

    return sign_in


@pytest.fixture(scope="session")
def graphql_schema(live_server: LiveServer) -> GraphQLSchema:  # noqa: F811
    return schemathesis.graphql.from_url(f"{live_server.base_url}/graphql")


@pytest.fixture(scope="session")
def viewers(live_server: LiveServer) -> Iterator[list[Viewer]]:  # noqa: F811
    with httpx.Client(base_url=live_server.base_url, timeout=30.0) as client:
        yield [
            Viewer("anonymous", "ANONYMOUS", client),
            Viewer("citizen", "CITIZEN", client, citizen_source(client, live_server)),
            # An org admin (the administration mutations) and a district nodal officer
            # (casework on the demo grievances), with stand-ins of the same kind.
            Viewer("admin", "STAFF", client, staff_source(client, ("state.admin", "sysadmin"))),
            Viewer("nodal", "STAFF", client, staff_source(client, ("nodal.patna", "nodal.revenue", "dm.patna"))),
        ]
