"""The fuzzer drives the same real server the end-to-end tests start (its own instance),
as an anonymous visitor and as signed-in viewers.

With FUZZ_DATABASE_URL (a PostgreSQL server URL, e.g. the TEST_DATABASE_URL of the
PostgreSQL suite) the server runs on a fresh database there instead of SQLite, dropped
afterwards: PostgreSQL refuses what SQLite lets by (a NUL in text, a string longer than
its column), so some faults only show there (`make fuzz-postgres`)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from schemathesis.specs.graphql.schemas import GraphQLSchema

from tests.e2e import conftest as e2e
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
OTP = re.compile(r"^\d{6} is your grievance portal sign-in code")


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
            # Only the sign-in code: other texts to the number (its grievances' news) may
            # be dispatched meanwhile.
            ours = [m for m in server.sms_messages()[already:] if m["to"] == mobile and OTP.match(m["text"])]
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


FUZZ_DATABASE_URL = os.environ.get("FUZZ_DATABASE_URL", "")


# Migrating and loading the demo state takes about a minute on PostgreSQL on two busy cores.
PG_STARTUP_TIMEOUT_S = 300.0


def _wait_healthy(proc: subprocess.Popen[bytes], base_url: str, output_path: Path) -> None:
    deadline = time.monotonic() + PG_STARTUP_TIMEOUT_S
    with httpx.Client(base_url=base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            assert proc.poll() is None, "server exited; output:\n" + output_path.read_text(errors="replace")
            try:
                if client.get("/healthz").text == "ok":
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)  # poll interval; the deadline bounds the wait
    pytest.fail(f"server not healthy within {PG_STARTUP_TIMEOUT_S:.0f} s; output:\n"
                + output_path.read_text(errors="replace"), pytrace=False)


async def _admin(url: str, statement: str) -> None:
    base = url.replace("postgres://", "postgresql://", 1).rpartition("/")[0]
    connection = await asyncpg.connect(f"{base}/postgres")
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def fuzz_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The e2e `live_server` (SQLite), or the same server on a fresh PostgreSQL database."""
    if not FUZZ_DATABASE_URL:
        yield request.getfixturevalue("live_server")
        return
    name = f"grievance_fuzz_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(FUZZ_DATABASE_URL, f'CREATE DATABASE "{name}"'))
    root = tmp_path_factory.mktemp("fuzz-server")
    output_path = root / "server.log"
    port = e2e._free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = e2e._server_env(root / "var", base_url)
    env["DATABASE_URL"] = FUZZ_DATABASE_URL.replace("postgresql://", "postgres://", 1).rpartition("/")[0] + f"/{name}"
    try:
        with output_path.open("wb") as output:
            proc = subprocess.Popen(e2e._server_command("127.0.0.1", port), cwd=e2e.REPO_ROOT, env=env,
                                    stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(proc, base_url, output_path)
            yield LiveServer(base_url=base_url, var_dir=root / "var", output_path=output_path)
        finally:
            e2e._stop(proc)
    finally:
        asyncio.run(_admin(FUZZ_DATABASE_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def graphql_schema(fuzz_server: LiveServer) -> GraphQLSchema:
    return schemathesis.graphql.from_url(f"{fuzz_server.base_url}/graphql")


@pytest.fixture(scope="session")
def viewers(fuzz_server: LiveServer) -> Iterator[list[Viewer]]:
    with httpx.Client(base_url=fuzz_server.base_url, timeout=30.0) as client:
        yield [
            Viewer("anonymous", "ANONYMOUS", client),
            Viewer("citizen", "CITIZEN", client, citizen_source(client, fuzz_server)),
            # An org admin (the administration mutations) and a district nodal officer
            # (casework on the demo grievances), with stand-ins of the same kind.
            Viewer("admin", "STAFF", client, staff_source(client, ("state.admin", "sysadmin"))),
            Viewer("nodal", "STAFF", client, staff_source(client, ("nodal.patna", "nodal.revenue", "dm.patna"))),
        ]
