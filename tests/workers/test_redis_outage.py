"""Redis down while citizens file: every grievance is stored, and once Redis is back
every acknowledgement goes out exactly once (a real uvicorn server and real workers on
PostgreSQL, with a private Redis this test stops and starts).

And Redis stopped and restarted under activity: no request fails, a live subscription
opened before the outage gets the updates made after it, the worker survives, and every
notification is sent once."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.typing import Origin, Subprotocol

from backend.core.queue import ArqQueue
from backend.grievances.models import Grievance
from backend.notifications.models import OutboxMessage, OutboxStatus
from backend.settings import Settings
from tests.factories import lifecycle_world
from tests.faults.processes import ApiServer, PrivateRedis, WorkerProcess, await_until
from tests.workers.test_escalation_workers import needs_postgres, prepared_var_dir, worker_env
from tests.workers.test_live_across_processes import free_port, gql, sign_in
from workers import names

pytestmark = pytest.mark.usefixtures("db")
REPO = Path(__file__).resolve().parents[2]
FILE = """mutation($input: GrievanceFileInput!) { grievanceFile(input: $input) { __typename
  ... on GrievanceFileSuccess { grievance { id number } } } }"""


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(free_port(), tmp_path)
    redis.start()
    yield redis
    redis.stop()


@needs_postgres
async def test_filing_survives_a_redis_outage_and_each_acknowledgement_goes_once(
        settings: Settings, private_redis: PrivateRedis, tmp_path: Path) -> None:
    w = await lifecycle_world(settings)
    var_dir = prepared_var_dir(tmp_path)
    env = worker_env(settings, private_redis.url, var_dir)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "api.log"
    with log.open("wb") as out:
        api = subprocess.Popen([sys.executable, "-m", "backend.cli", "serve", "--host", "127.0.0.1", "--port",
                                str(port)], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert api.poll() is None, log.read_text()
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        cell = await sign_in(url, "cell_op")

        private_redis.stop()
        mobiles = [f"98765000{i:02d}" for i in range(6)]
        started = time.monotonic()
        for mobile in mobiles:
            data = await gql(url, FILE, {"input": {
                "channel": "POST", "categoryId": str(w.leaf.id), "areaCode": "BR-A-1",
                "subject": f"Ration card not issued to {mobile}", "description": "Applied in June; nothing since.",
                "reliefSought": "Issue it.", "citizenName": "Sita Devi", "citizenMobile": mobile}}, cell)
            assert data["grievanceFile"]["__typename"] == "GrievanceFileSuccess", data
        print(f"\n{len(mobiles)} filings with Redis down took {time.monotonic() - started:.2f} s")
        assert await Grievance.filter(citizen_mobile__in=mobiles).count() == len(mobiles)
        acks = OutboxMessage.filter(template="grievance_filed", recipient__in=mobiles)
        assert await acks.filter(status=OutboxStatus.PENDING).count() == len(mobiles)
        ready = httpx.get(f"{url}/readyz", timeout=5)
        # The probe says so while it lasts, but stays ready: requests do not need Redis.
        assert ready.status_code == 200 and ready.json()["degraded"] == ["redis"], ready.text

        # Redis is back: the dispatcher is woken twice over and two workers race for the rows.
        private_redis.start()
        queue = await ArqQueue.connect(private_redis.url)
        for job in ("dispatch-a", "dispatch-b"):
            assert await queue.enqueue(names.DISPATCH_OUTBOX, job_id=job)
        await queue.close()
        workers = [subprocess.Popen([sys.executable, "-m", "backend.cli", "worker", "--burst"], cwd=REPO, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
        for worker in workers:
            assert await asyncio.to_thread(worker.wait, 120) == 0
        assert await acks.filter(status=OutboxStatus.SENT).count() == len(mobiles)
        lines = [json.loads(line) for line in (var_dir / "sms-outbox.log").read_text().splitlines()]
        sent = Counter(m["to"] for m in lines if m["to"] in mobiles and "has been received" in m["text"])
        assert sent == Counter({m: 1 for m in mobiles})
    finally:
        api.terminate()
        try:
            api.wait(10)
        except subprocess.TimeoutExpired:
            api.kill()


SUBSCRIBE = "subscription($id: ID!) { grievanceUpdated(id: $id) { status version } }"
READ = "query($id: ID!) { grievance(id: $id) { id status } }"
REGISTER = "mutation($id: ID!) { grievanceRegister(id: $id) { __typename } }"
ALLOT = "mutation($id: ID!, $u: ID!) { grievanceAllot(id: $id, unitId: $u) { __typename } }"


@dataclass
class Activity:
    """Filings and reads, one after another, for as long as the test runs."""

    done: list[tuple[str, str]] = field(default_factory=list)  # (mobile, phase)
    failures: list[str] = field(default_factory=list)
    phase: str = "before"
    stop: bool = False


async def keep_filing(url: str, token: str, leaf_id: int, activity: Activity) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=20, headers={"authorization": f"Bearer {token}"}) as client:
        for i in range(10_000):
            if activity.stop:
                return
            mobile, phase = f"98766{i:05d}", activity.phase
            try:
                filed = (await client.post("/graphql", json={"query": FILE, "variables": {"input": {
                    "channel": "POST", "categoryId": str(leaf_id), "areaCode": "BR-A-1",
                    "subject": f"Street light out ({mobile})", "description": "Dark for a week.",
                    "reliefSought": "Repair it.", "citizenName": "Sita Devi", "citizenMobile": mobile}}})).json()
                result = filed["data"]["grievanceFile"]
                assert result["__typename"] == "GrievanceFileSuccess", filed
                read = (await client.post("/graphql", json={"query": READ, "variables": {
                    "id": result["grievance"]["id"]}})).json()
                assert read["data"]["grievance"]["status"] == "FILED", read
            except Exception as error:  # every failure is the test's finding
                activity.failures.append(f"{phase} {mobile}: {error!r}")
            else:
                activity.done.append((mobile, phase))


@needs_postgres
async def test_a_redis_restart_under_activity_fails_no_request_and_loses_no_update_or_notification(
        settings: Settings, private_redis: PrivateRedis, tmp_path: Path) -> None:
    started = time.monotonic()
    w = await lifecycle_world(settings)
    var_dir = prepared_var_dir(tmp_path)
    env = worker_env(settings, private_redis.url, var_dir)
    api, worker = ApiServer(env, tmp_path / "api.log"), WorkerProcess(env, tmp_path / "worker.log")
    activity = Activity()
    filing: asyncio.Task[None] | None = None
    try:
        api.start()
        worker.start()
        worker.wait_started()
        cell = await sign_in(api.url, "cell_op")
        watched = await gql(api.url, FILE, {"input": {
            "channel": "POST", "categoryId": str(w.leaf.id), "areaCode": "BR-A-1", "subject": "Ration card not issued",
            "description": "Applied in June; nothing since.", "reliefSought": "Issue it.", "citizenName": "Sita Devi",
            "citizenMobile": "9876500001"}}, cell)
        gid = watched["grievanceFile"]["grievance"]["id"]

        ws_url = api.url.replace("http://", "ws://") + "/graphql"
        async with connect(ws_url, subprotocols=[Subprotocol("graphql-transport-ws")], origin=Origin(api.url)) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {cell}"}}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                      "payload": {"query": SUBSCRIBE, "variables": {"id": gid}}}))

            async def update(within: float) -> dict[str, object]:
                message = json.loads(await asyncio.wait_for(ws.recv(), within))
                assert message["type"] == "next" and "errors" not in message["payload"], message
                result: dict[str, object] = message["payload"]["data"]["grievanceUpdated"]
                return result

            assert (await update(10))["status"] == "FILED"

            filing = asyncio.create_task(keep_filing(api.url, cell, w.leaf.id, activity))

            async def filed(phase: str, count: int) -> bool:
                assert not filing.done(), filing
                return sum(p == phase for _, p in activity.done) >= count

            await await_until(lambda: filed("before", 5), 60, "filings before the outage")

            activity.phase = "down"
            private_redis.stop()
            down_at = time.monotonic()
            await await_until(lambda: filed("down", 10), 60, f"filings with Redis down\n{api.tail()}")
            # Changed while Redis is down: the broadcast is lost, the change is not.
            registered = await gql(api.url, REGISTER, {"id": gid}, cell)
            assert registered["grievanceRegister"]["__typename"] == "GrievanceSuccess", registered
            ready = httpx.get(f"{api.url}/readyz", timeout=5)
            assert ready.status_code == 200 and ready.json()["degraded"] == ["redis"], ready.text
            assert worker.alive(), f"the worker ended when Redis went away\n{worker.tail()}"

            private_redis.start()
            activity.phase = "after"
            back_at = time.monotonic()
            # The server subscribes again and re-reads: the change made in the outage arrives
            # well before the subscription's 30 s safety re-read would have found it.
            seen = await update(10)
            assert seen["status"] == "REGISTERED", seen
            resubscribed = time.monotonic() - back_at
            # And the live path itself works again: a change now arrives at once.
            allotted = await gql(api.url, ALLOT, {"id": gid, "u": str(w.tree.block_a.id)}, cell)
            assert allotted["grievanceAllot"]["__typename"] == "GrievanceSuccess", allotted
            assert (await update(5))["status"] == "ALLOTTED"
            await await_until(lambda: filed("after", 5), 60, "filings after the outage")
            activity.stop = True
            await asyncio.wait_for(filing, 30)

        context = f"\n--- api ---\n{api.tail()}\n--- worker ---\n{worker.tail()}"
        assert not activity.failures, f"{len(activity.failures)} requests failed: {activity.failures[:3]}{context}"
        assert worker.alive(), f"the worker ended{context}"
        # Every acknowledgement sent, each once: the rows filed in the outage waited in the
        # outbox and went with the first wake-up after it (the worker's cron is the net).
        mobiles = ["9876500001"] + [m for m, _ in activity.done]
        acks = OutboxMessage.filter(template="grievance_filed", recipient__in=mobiles)

        async def all_sent() -> bool:
            waiting = await OutboxMessage.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).count()
            return waiting == 0 and await acks.filter(status=OutboxStatus.SENT).count() == len(mobiles)

        await await_until(all_sent, 90, f"every notification sent{context}", interval=0.2)
        lines = [json.loads(line) for line in (var_dir / "sms-outbox.log").read_text().splitlines()]
        sent = Counter(m["to"] for m in lines if "has been received" in m["text"])
        assert sent == Counter({m: 1 for m in mobiles}), f"{sent - Counter(mobiles)} {Counter(mobiles) - sent}"
        sms_rows = await OutboxMessage.filter(channel="sms", status=OutboxStatus.SENT).count()
        assert len(lines) == sms_rows, f"{len(lines)} SMS sent for {sms_rows} outbox rows{context}"
        phases = Counter(p for _, p in activity.done)
        print(f"\nRedis down {back_at - down_at:.1f} s; filings before/down/after: {phases['before']}/"
              f"{phases['down']}/{phases['after']}, none failed; the subscriber had the outage's change "
              f"{resubscribed:.1f} s after Redis was back; {len(mobiles)} acknowledgements sent once each; "
              f"test {time.monotonic() - started:.1f} s")
    finally:
        activity.stop = True
        if filing is not None:
            await asyncio.gather(asyncio.wait_for(filing, 30), return_exceptions=True)
        api.stop()
        worker.stop()
