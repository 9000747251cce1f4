"""Redis down while citizens file: every grievance is stored, and once Redis is back
every acknowledgement goes out exactly once (a real uvicorn server and real workers on
PostgreSQL, with a private Redis this test stops and starts)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backend.core.queue import ArqQueue
from backend.grievances.models import Grievance
from backend.notifications.models import OutboxMessage, OutboxStatus
from backend.settings import Settings
from tests.factories import lifecycle_world
from tests.workers.test_escalation_workers import needs_postgres, prepared_var_dir, worker_env
from tests.workers.test_live_across_processes import free_port, gql, sign_in
from workers import names

pytestmark = pytest.mark.usefixtures("db")
REPO = Path(__file__).resolve().parents[2]
FILE = """mutation($input: GrievanceFileInput!) { grievanceFile(input: $input) { __typename
  ... on GrievanceFileSuccess { grievance { id number } } } }"""


class PrivateRedis:
    def __init__(self, port: int, workdir: Path) -> None:
        self.port, self.workdir = port, workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.workdir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout.strip() != b"PONG":
            assert time.monotonic() < deadline, "the private redis did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


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
        assert ready.status_code == 503  # the probe says so while it lasts

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
