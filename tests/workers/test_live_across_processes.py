"""Live status across API processes: two real uvicorn servers on one PostgreSQL and one
Redis; a change made through one reaches a subscriber connected to the other."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.typing import Origin, Subprotocol

from backend.settings import Settings
from tests.factories import PASSWORD, lifecycle_world
from tests.workers.test_escalation_workers import needs_postgres, prepared_var_dir, worker_env

pytestmark = pytest.mark.usefixtures("db")
REPO = Path(__file__).resolve().parents[2]
SUBSCRIBE = "subscription($id: ID!) { grievanceUpdated(id: $id) { status version } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def servers(settings: Settings, redis_url: str, tmp_path: Path) -> Iterator[list[str]]:
    env = worker_env(settings, redis_url, prepared_var_dir(tmp_path))
    procs: list[tuple[subprocess.Popen[bytes], Path]] = []
    urls = []
    for i in (1, 2):
        port = free_port()
        log = tmp_path / f"api-{i}.log"
        with log.open("wb") as out:
            procs.append((subprocess.Popen([sys.executable, "-m", "backend.cli", "serve", "--host", "127.0.0.1",
                                            "--port", str(port)], cwd=REPO, env=env, stdout=out,
                                           stderr=subprocess.STDOUT), log))
        urls.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    for url, (proc, log) in zip(urls, procs, strict=True):
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    yield urls
    for proc, _ in procs:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


async def gql(url: str, query: str, variables: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def sign_in(url: str, username: str) -> str:
    data = await gql(url, """mutation($u: String!, $p: String!) { authSignInPassword(username: $u, password: $p) {
        ... on SignInSuccess { token } } }""", {"u": username, "p": PASSWORD})
    return str(data["authSignInPassword"]["token"])


@needs_postgres
async def test_a_change_through_one_process_reaches_a_subscriber_on_the_other(
        settings: Settings, servers: list[str]) -> None:
    w = await lifecycle_world(settings)
    one, other = servers
    cell = await sign_in(one, "cell_op")
    filed = await gql(one, """mutation($input: GrievanceFileInput!) { grievanceFile(input: $input) {
        ... on GrievanceFileSuccess { grievance { id } } } }""", {"input": {
        "channel": "POST", "categoryId": str(w.leaf.id), "areaCode": "BR-A-1", "subject": "Ration card not issued",
        "description": "Applied in June; nothing since.", "reliefSought": "Issue it.", "citizenName": "Sita Devi",
        "citizenMobile": "9876500001"}}, cell)
    gid = filed["grievanceFile"]["grievance"]["id"]

    ws_url = other.replace("http://", "ws://") + "/graphql"
    async with connect(ws_url, subprotocols=[Subprotocol("graphql-transport-ws")], origin=Origin(other)) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {cell}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": SUBSCRIBE, "variables": {"id": gid}}}))
        first = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert first["payload"]["data"]["grievanceUpdated"]["status"] == "FILED", first

        started = time.monotonic()
        allotted = await gql(one, """mutation($id: ID!, $u: ID!) { grievanceAllot(id: $id, unitId: $u) {
            __typename } }""", {"id": gid, "u": str(w.tree.block_a.id)}, cell)
        assert allotted["grievanceAllot"]["__typename"] == "GrievanceSuccess"
        update = json.loads(await asyncio.wait_for(ws.recv(), 1.0))
        elapsed = time.monotonic() - started
        assert update["payload"]["data"]["grievanceUpdated"]["status"] == "ALLOTTED", update
        print(f"\nlive update across processes after {elapsed * 1000:.0f} ms (including the mutation)")


FILE = """mutation($input: GrievanceFileInput!) { grievanceFile(input: $input) { __typename
    ... on GrievanceFileSuccess { grievance { id number } } ... on OperationError { code message } } }"""


@needs_postgres
async def test_a_burst_of_filings_over_both_processes_gives_unique_numbers_and_loses_none(
        settings: Settings, servers: list[str]) -> None:
    from backend.grievances.models import Grievance

    w = await lifecycle_world(settings)
    tokens = [await sign_in(url, "cell_op") for url in servers]
    count = 120
    limit = asyncio.Semaphore(16)

    async def one(i: int) -> dict[str, Any]:
        url, token = servers[i % 2], tokens[i % 2]
        async with limit:
            data = await gql(url, FILE, {"input": {
                "channel": "POST", "categoryId": str(w.leaf.id), "areaCode": "BR-A-1", "subject": f"Burst {i}",
                "description": "Filed during a burst over two API processes.", "reliefSought": "Act.",
                "citizenName": "Sita Devi", "citizenMobile": f"98770{i:05d}"}}, token)
        result: dict[str, Any] = data["grievanceFile"]
        return result

    results = await asyncio.gather(*(one(i) for i in range(count)))
    assert all(r["__typename"] == "GrievanceFileSuccess" for r in results), [r for r in results if "code" in r][:3]
    numbers = [r["grievance"]["number"] for r in results]
    assert len(set(numbers)) == count
    stored = await Grievance.filter(subject__startswith="Burst ").values_list("number", flat=True)
    assert sorted(stored) == sorted(numbers)  # every acknowledged filing exists, no other
