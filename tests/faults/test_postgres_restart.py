"""PostgreSQL restarted under a running API: /readyz says 503 while it is down, and the
same API process recovers by itself once it is back (no restart of the API).

The API runs on a private PostgreSQL cluster of its own (migrated with `grievance
migrate`), which this test stops and starts; the machine's shared one is never touched.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path
from typing import Any

import httpx

from tests.faults.conftest import ApiFactory, needs_services
from tests.faults.processes import PrivatePostgres, PrivateRedis, await_until, grievance_command, service_env
from tests.workers.test_escalation_workers import prepared_var_dir

REQUEST_OTP = """mutation($m: String!) { authRequestOtp(mobile: $m) { __typename
  ... on OtpSent { mobile } ... on OperationError { code message } } }"""
VERIFY_OTP = """mutation($m: String!, $c: String!) { authVerifyOtp(mobile: $m, code: $c) { __typename
  ... on SignInSuccess { token } ... on OperationError { code message } } }"""
VIEWER = "query { viewer { kind id } myGrievances { __typename } }"


async def post(url: str, query: str, variables: dict[str, Any] | None = None, token: str = "",
               timeout: float = 15) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=url, timeout=timeout) as client:
        return await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


async def citizen_sign_in(url: str, var_dir: Path, mobile: str) -> str:
    sent = (await post(url, REQUEST_OTP, {"m": mobile})).json()
    assert sent["data"]["authRequestOtp"]["__typename"] == "OtpSent", sent
    texts = [json.loads(line)["text"] for line in (var_dir / "sms-outbox.log").read_text().splitlines()
             if json.loads(line)["to"] == mobile]
    match = re.match(r"(\d{6}) is your", texts[-1])
    assert match, texts
    verified = (await post(url, VERIFY_OTP, {"m": mobile, "c": match.group(1)})).json()
    assert verified["data"]["authVerifyOtp"]["__typename"] == "SignInSuccess", verified
    return str(verified["data"]["authVerifyOtp"]["token"])


async def readyz(url: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.get(url + "/readyz")


@needs_services
async def test_the_api_recovers_by_itself_after_postgresql_restarts(
        private_postgres: PrivatePostgres, private_redis: PrivateRedis, api_server: ApiFactory,
        tmp_path: Path) -> None:
    started = time.monotonic()
    private_postgres.create_database("grievance")
    var_dir = prepared_var_dir(tmp_path)
    env = service_env(private_postgres.url("grievance"), private_redis.url, var_dir)
    grievance_command("migrate", env=env)
    api = api_server(env, "api")
    api.start()
    pid = api.proc.pid if api.proc else 0

    before = await citizen_sign_in(api.url, var_dir, "9876512345")
    seen = (await post(api.url, VIEWER, token=before)).json()
    assert seen["data"]["viewer"]["kind"] == "CITIZEN", seen

    timings = []
    # A clean stop (connections told to go) and a crash-like one (backends cut off, crash
    # recovery at start-up); before each, enough requests at once to fill the pool.
    for round_, mode in enumerate(("fast", "immediate")):
        busy = await asyncio.gather(*(post(api.url, VIEWER, token=before) for _ in range(12)))
        assert all(r.json().get("errors") is None for r in busy), [r.text for r in busy][:2]
        private_postgres.stop(mode)
        down_at = time.monotonic()

        async def unready() -> bool:
            return (await readyz(api.url)).status_code == 503

        await await_until(unready, 30, f"/readyz to answer 503 with PostgreSQL down ({mode})")
        body = (await readyz(api.url)).json()
        assert body["ready"] is False and body["checks"]["database"].startswith("unreachable"), body
        # Requests that need the database fail promptly and as masked errors: they
        # neither hang nor take the process down.
        asked = time.monotonic()
        failed = await asyncio.gather(*(post(api.url, VIEWER, token=before) for _ in range(6)))
        assert time.monotonic() - asked < 10
        assert all(r.status_code >= 500 or r.json().get("errors") for r in failed), [r.text for r in failed][:2]
        assert api.proc is not None and api.proc.poll() is None, api.tail()

        private_postgres.start()
        back_at = time.monotonic()

        async def ready() -> bool:
            return (await readyz(api.url)).status_code == 200

        await await_until(ready, 30, f"/readyz to answer 200 after PostgreSQL came back ({mode})\n{api.tail()}")
        timings.append(f"{mode}: down {back_at - down_at:.1f} s, ready {time.monotonic() - back_at:.1f} s after")
        # The same process, not a restarted one: the pool replaced its dead connections.
        assert api.proc is not None and api.proc.poll() is None and api.proc.pid == pid and api.starts == 1
        # Queries with the session made before the restart, and new writes (a code, a sign-in).
        again = await asyncio.gather(*(post(api.url, VIEWER, token=before) for _ in range(12)))
        assert all(r.json().get("errors") is None and r.json()["data"]["viewer"]["kind"] == "CITIZEN"
                   for r in again), [r.text for r in again][:2]
        after = await citizen_sign_in(api.url, var_dir, f"987655432{round_}")
        mine = (await post(api.url, VIEWER, token=after)).json()
        assert mine.get("errors") is None and mine["data"]["myGrievances"]["__typename"] == "GrievancePage", mine
    print(f"\nPostgreSQL restarted: {'; '.join(timings)}; test {time.monotonic() - started:.1f} s")

