"""The escalation ladder under real workers: several at once, one killed half way.

Grievances are bulk-inserted straight into the table (filing 10,000 through the
service would take minutes and test nothing new here); the sweep itself runs in real
`grievance worker --burst` processes against the per-run PostgreSQL database and Redis,
exactly as an operator runs it. The last test calls the sweep directly and runs on
SQLite too.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from arq.constants import in_progress_key_prefix
from redis.asyncio import Redis
from tortoise import connections

from backend.accounts.models import Citizen
from backend.accounts.roles import Role
from backend.audit.models import AuditEvent
from backend.categories.models import Category
from backend.core.clock import utcnow
from backend.core.queue import ArqQueue
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.grievances.states import Stage, State
from backend.notifications.models import OutboxMessage
from backend.orgs.kinds import UnitKind
from backend.orgs.models import EscalationLevel, Unit
from backend.settings import Settings, load_settings
from backend.sla.calendar import Mode
from backend.sla.models import Escalation
from backend.sla.sweeps import BATCH, escalate_due
from tests.conftest import NOW, TEST_DATABASE_URL, truncate_all
from tests.factories import category, staff, unit
from workers import names

pytestmark = pytest.mark.usefixtures("db")
needs_postgres = pytest.mark.skipif(
    not TEST_DATABASE_URL,
    reason="needs TEST_DATABASE_URL (PostgreSQL: SKIP LOCKED across worker processes) and Redis; "
           "run through `make test-postgres`",
)

REPO = Path(__file__).resolve().parents[2]
H = timedelta(hours=1)
WINDOW = 72 * H
WORKER_TIMEOUT = 240.0
TEMPLATE = "escalated_to_you"


# --- the world: a unit with a two-rung ladder and bulk-made grievances ---------------


@dataclass
class LadderWorld:
    intake: Unit
    holder: Unit  # holds every grievance; its own ladder: 1 -> OSD (72 h), 2 -> CS
    osd: Unit
    cs: Unit
    leaf: Category
    citizen: Citizen
    told_at_osd: list[int]  # staff told of a level-1 escalation (OSD people + the holder's nodal)
    told_at_cs: list[int]


async def ladder_world(settings: Settings) -> LadderWorld:
    root = await unit("IN", UnitKind.NATIONAL_NODAL, None, area_codes=["IN"])
    state = await unit("BR", UnitKind.STATE_NODAL, root, area_codes=["BR"])
    dept = await unit("BR-REV", UnitKind.DEPARTMENT, state)
    district = await unit("BR-REV-A", UnitKind.DISTRICT, dept, area_codes=["BR-A"])
    holder = await unit("BR-REV-A-1", UnitKind.BLOCK, district, area_codes=["BR-A-1"])
    osd = await unit("BR-OSD", UnitKind.OFFICE, state)
    cs = await unit("BR-CS", UnitKind.OFFICE, state)
    await EscalationLevel.create(unit=holder, level=1, authority=osd, window_hours=72)
    await EscalationLevel.create(unit=holder, level=2, authority=cs, window_hours=72)
    osd_user = await staff(settings, "osd_user", (osd, Role.ESCALATION_AUTHORITY))
    cs_user = await staff(settings, "cs_user", (cs, Role.ESCALATION_AUTHORITY))
    nodal = await staff(settings, "block_nodal", (holder, Role.NODAL_OFFICER))
    # Someone at the holding office who is neither nodal nor at an authority: never told.
    await staff(settings, "block_officer", (holder, Role.OFFICER))
    service = await category("REV-LAND", dept)
    leaf = await category("REV-LAND-MUTATION", dept, service)
    citizen = await Citizen.create(mobile="9876500001", name="Sita Devi", created_at=NOW)
    return LadderWorld(state, holder, osd, cs, leaf, citizen, sorted([osd_user.id, nodal.id]),
                       sorted([cs_user.id, nodal.id]))


DUE, LATER, CLOSED, PAUSED = "DUE/", "LATER/", "CLOSED/", "PAUSED/"


def _grievance(w: LadderWorld, number: str, *, escalation_due_at: datetime | None, status: State = State.ALLOTTED,
               filed_at: datetime) -> Grievance:
    open_ = status not in (State.CLOSED,)
    paused = status is State.AWAITING_CITIZEN
    return Grievance(
        number=number, channel=Channel.COUNTER, status=status, citizen=w.citizen, citizen_name="Sita Devi",
        citizen_mobile=w.citizen.mobile, area_code="BR-A-1", category=w.leaf, category_path=w.leaf.path,
        subject=f"Handpump broken ({number})", description="The handpump near the school has been broken for a month.",
        relief_sought="Repair it.", unit=w.holder, unit_path=w.holder.path, intake_unit=w.intake,
        visited=[w.holder.id], filed_by_kind="system", version=1, filed_at=filed_at, updated_at=filed_at,
        stage=(Stage.CITIZEN_REPLY if paused else Stage.PRELIMINARY_REPORT) if open_ else None,
        stage_started_at=filed_at if open_ else None,
        due_at=escalation_due_at if open_ else None,
        stage_mode=Mode.WALL_HOURS.value if open_ else None,
        paused_from=State.ALLOTTED if paused else None,
        paused_stage=Stage.PRELIMINARY_REPORT if paused else None,
        paused_remaining_seconds=3600 if paused else None,
        escalation_due_at=escalation_due_at, escalation_level=0, escalation_round=1,
        closed_at=filed_at + H if not open_ else None,
    )


async def bulk_grievances(w: LadderWorld, now: datetime, *, due: int, later: int = 200, closed: int = 100,
                          paused: int = 100) -> None:
    """`due` grievances past their first rung (relative to `now`), and others that must stay put:
    not due yet, closed, and paused with the citizen (the ladder waits for them)."""
    filed = now - 30 * H
    rows = [_grievance(w, f"{DUE}{i:07d}", escalation_due_at=now - 5 * spread(i), filed_at=filed)
            for i in range(due)]
    rows += [_grievance(w, f"{LATER}{i:07d}", escalation_due_at=now + 100 * 24 * H + spread(i), filed_at=filed)
             for i in range(later)]
    rows += [_grievance(w, f"{CLOSED}{i:07d}", escalation_due_at=None, status=State.CLOSED, filed_at=filed)
             for i in range(closed)]
    rows += [_grievance(w, f"{PAUSED}{i:07d}", escalation_due_at=now - H, status=State.AWAITING_CITIZEN,
                        filed_at=filed) for i in range(paused)]
    for start in range(0, len(rows), 1000):
        await Grievance.bulk_create(rows[start:start + 1000])


def spread(i: int) -> timedelta:
    """Spread the deadlines (a minute plus up to an hour), so the sweep's order is by time."""
    return timedelta(minutes=1, seconds=i % 3600)


async def column(query: Any, field: str) -> list[Any]:
    """One column of a query's rows (tortoise types `values_list(flat=True)` as tuples)."""
    return list(await query.values_list(field, flat=True))


async def ids_of(prefix: str) -> list[int]:
    return sorted(int(i) for i in await column(Grievance.filter(number__startswith=prefix), "id"))


# --- the checks ----------------------------------------------------------------------


async def assert_level_one_exactly_once(w: LadderWorld, due: int, context: str = "") -> None:
    due_ids = await ids_of(DUE)
    assert len(due_ids) == due

    escalations = await Escalation.all().values_list("grievance_id", "round", "level", "authority_id")
    assert len(escalations) == due, f"{len(escalations)} escalation rows for {due} due grievances{context}"
    per_grievance = Counter(int(g) for g, *_ in escalations)
    assert len(per_grievance) == due and max(per_grievance.values()) == 1, f"duplicates{context}"
    assert sorted(per_grievance) == due_ids, f"escalated grievances that were not due{context}"
    assert {(r, lv, a) for _, r, lv, a in escalations} == {(1, 1, w.osd.id)}

    rows = await Grievance.filter(number__startswith=DUE).values(
        "id", "status", "escalation_level", "escalated_to_id", "escalated_at", "escalation_due_at", "version", "visited")
    wrong = [r for r in rows if not (
        r["status"] == State.ALLOTTED and r["escalation_level"] == 1 and r["escalated_to_id"] == w.osd.id
        and r["escalated_at"] is not None and r["escalation_due_at"] is not None
        and abs((r["escalation_due_at"] - r["escalated_at"]) - WINDOW) < timedelta(seconds=1)
        and r["version"] == 2 and sorted(r["visited"]) == sorted([w.holder.id, w.osd.id]))]
    assert not wrong, f"{len(wrong)} due grievances not exactly one rung up, e.g. {wrong[:3]}{context}"

    # Everything else is untouched: not due yet, closed, paused with the citizen.
    for prefix in (LATER, CLOSED, PAUSED):
        moved = await Grievance.filter(number__startswith=prefix).exclude(escalation_level=0, version=1).count()
        assert moved == 0, f"{moved} {prefix} grievances were changed{context}"

    events = Counter(await column(AuditEvent.filter(object_type="grievance", action="escalate"), "object_id"))
    assert sorted(int(i) for i in events) == due_ids and set(events.values()) == {1}, \
        f"{sum(events.values())} escalate events for {len(events)} grievances (want {due}, one each){context}"

    keys = await column(OutboxMessage.filter(template=TEMPLATE), "idempotency_key")
    expected = {f"escalation:{g}:1:1:staff:{u}:push" for g in due_ids for u in w.told_at_osd}
    assert len(keys) == len(set(keys)) == len(expected), \
        f"{len(keys)} outbox rows ({len(set(keys))} distinct), want {len(expected)}{context}"
    assert set(keys) == expected, f"outbox rows for the wrong grievances or people{context}"
    recipients = Counter(await column(OutboxMessage.filter(template=TEMPLATE), "recipient"))
    assert recipients == {f"staff:{u}": due for u in w.told_at_osd}


# --- real worker processes -----------------------------------------------------------


@dataclass
class WorkerProcess:
    proc: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.output().splitlines()[-lines:])


def worker_env(settings: Settings, redis_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRIEVANCE_", "DATABASE_URL", "REDIS_URL"))}
    env.update(DATABASE_URL=settings.database_url, REDIS_URL=redis_url, GRIEVANCE_VAR_DIR=str(var_dir))
    return env


def prepared_var_dir(tmp_path: Path) -> Path:
    """The embedded secrets are made once here, before the processes start: several
    processes starting on an empty var dir at once race to create them."""
    var_dir = tmp_path / "var"
    load_settings({"GRIEVANCE_VAR_DIR": str(var_dir)})
    return var_dir


Spawn = Callable[[dict[str, str], Path], WorkerProcess]


@pytest.fixture
def spawn() -> Iterator[Spawn]:
    """Starts `grievance worker --burst`; whatever still runs when the test ends is killed."""
    started: list[WorkerProcess] = []

    def start(env: dict[str, str], log: Path) -> WorkerProcess:
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "backend.cli", "worker", "--burst"], cwd=REPO, env=env,
                                    stdout=out, stderr=subprocess.STDOUT)
        started.append(WorkerProcess(proc, log))
        return started[-1]

    yield start
    for w in started:
        if w.proc.poll() is None:
            w.proc.kill()
            w.proc.wait()


def tails(workers: list[WorkerProcess]) -> str:
    return "".join(f"\n--- {w.log.name} (exit {w.proc.returncode}) ---\n{w.tail()}" for w in workers)


async def wait_for(workers: list[WorkerProcess], timeout: float = WORKER_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while any(w.proc.poll() is None for w in workers):
        if time.monotonic() > deadline:
            for w in workers:
                if w.proc.poll() is None:
                    w.proc.kill()
                    w.proc.wait()
            pytest.fail(f"workers still running after {timeout:.0f} s{tails(workers)}")
        await asyncio.sleep(0.1)
    failed = [w for w in workers if w.proc.returncode != 0]
    assert not failed, f"worker exited with an error{tails(workers)}"


# arq logs a finished job as "  1.23s ← <job id>:sweep_escalations ● <result>", or without
# the job id when it runs the task as a cron entry (see the report: the cron entries are
# named like the functions, so they shadow them).
# Queued sweeps log as "<job id>:sweep_escalations", cron ticks as "cron_sweep_escalations".
_DONE = re.compile(r"← (?:\S+:|cron_)?" + names.SWEEP_ESCALATIONS + r" ● (\S+)")


def sweep_results(worker: WorkerProcess) -> list[str]:
    """The result of every escalation sweep the worker finished (a number, or an error)."""
    return _DONE.findall(worker.output())


async def stale_transactions() -> int:
    """Other sessions on this database still inside a transaction (a killed worker's, until
    PostgreSQL notices the closed socket and rolls it back)."""
    rows = await connections.get("default").execute_query_dict(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL")
    return int(rows[0]["n"])


# --- the tests -----------------------------------------------------------------------


@needs_postgres
async def test_three_workers_escalate_ten_thousand_overdue_exactly_once(
    settings: Settings, redis_url: str, tmp_path: Path, spawn: Spawn,
) -> None:
    total = 10_000
    w = await ladder_world(settings)
    await bulk_grievances(w, utcnow(), due=total)
    assert await Grievance.filter(escalation_due_at__lte=utcnow()).count() == total + 100  # + the paused ones

    queue = await ArqQueue.connect(redis_url)
    jobs = [f"sweep-escalations-{i}" for i in (1, 2, 3)]
    for job in jobs:
        assert await queue.enqueue(names.SWEEP_ESCALATIONS, job_id=job)
    await queue.close()

    env = worker_env(settings, redis_url, prepared_var_dir(tmp_path))
    env["GRIEVANCE_WORKER_MAX_JOBS"] = "1"  # one sweep per process: three processes at once
    started = time.monotonic()
    workers = [spawn(env, tmp_path / f"worker-{i}.log") for i in (1, 2, 3)]
    await wait_for(workers)
    elapsed = time.monotonic() - started
    print(f"\n3 workers escalated {total} overdue grievances in {elapsed:.1f} s")
    context = f" (sweep phase {elapsed:.1f} s){tails(workers)}"

    await assert_level_one_exactly_once(w, total, context)

    # Each run's return value counts what it escalated: together, every grievance once. (A
    # cron tick during the run may add a sweep of its own, which then shares the work.)
    runs = {i + 1: sweep_results(wp) for i, wp in enumerate(workers)}
    results = [r for rs in runs.values() for r in rs]
    assert len(results) >= len(jobs) and all(r.isdigit() for r in results), f"sweeps: {runs}{context}"
    assert sum(int(r) for r in results) == total, f"sweeps: {runs}{context}"
    # With one job per process the sweeps really ran side by side in separate processes.
    busy = [i for i, rs in runs.items() if any(int(r) for r in rs)]
    print(f"escalated per worker process: { {i: [int(r) for r in rs] for i, rs in runs.items()} }; "
          f"{len(busy)} process(es) did work")
    assert len(busy) >= 2, f"sweeps: {runs}{context}"


@needs_postgres
async def test_a_worker_killed_mid_sweep_leaves_every_escalation_done_once_after_restart(
    settings: Settings, redis_url: str, tmp_path: Path, spawn: Spawn,
) -> None:
    env = worker_env(settings, redis_url, prepared_var_dir(tmp_path))
    # The kill must land between two committed batches (BATCH rows each); should a worker
    # ever outrun the 20 ms polling, try again with four times the work.
    for attempt, total in enumerate((3_000, 12_000)):
        assert total > 2 * BATCH
        w = await ladder_world(settings)
        await bulk_grievances(w, utcnow(), due=total)
        queue = await ArqQueue.connect(redis_url)
        killed_job = f"sweep-escalations-killed-{attempt}"
        assert await queue.enqueue(names.SWEEP_ESCALATIONS, job_id=killed_job)
        first = spawn(env, tmp_path / f"worker-killed-{attempt}.log")
        deadline = time.monotonic() + WORKER_TIMEOUT
        seen = 0
        while first.proc.poll() is None and time.monotonic() < deadline:
            seen = await Escalation.all().count()
            if 0 < seen < total:
                first.proc.kill()
                break
            await asyncio.sleep(0.02)
        else:
            first.proc.kill()
        first.proc.wait()
        after_kill = await Escalation.all().count()
        if 0 < seen and after_kill < total:
            break
        await queue.close()
        assert attempt == 0, f"the worker was never caught mid-sweep ({after_kill} of {total}){tails([first])}"
        await truncate_all()
        redis = Redis.from_url(redis_url)
        await redis.flushdb()
        await redis.aclose()
    context = f"{tails([first])}"
    assert first.proc.returncode == -9, f"the worker was not killed{context}"
    assert 0 < after_kill < total, f"{after_kill} escalations after the kill, of {total}{context}"
    # Whatever committed before the kill committed whole: each escalation with its event and pushes.
    events = await AuditEvent.filter(object_type="grievance", action="escalate").count()
    outbox = await OutboxMessage.filter(template=TEMPLATE).count()
    assert (events, outbox) == (after_kill, after_kill * len(w.told_at_osd)), \
        f"the kill left escalations without their audit event or pushes{context}"

    # PostgreSQL rolls the dead worker's open batch back once it sees the socket close; until
    # then its rows stay locked and a sweep would skip them (the next cron run takes them).
    wait_until = time.monotonic() + 30
    while await stale_transactions():
        assert time.monotonic() < wait_until, "the killed worker's transaction is still open after 30 s"
        await asyncio.sleep(0.05)

    # arq keeps the killed job queued with its in-progress key until the key expires
    # (job_timeout + 10 s), and a burst worker waits for it; expire it now, as time would -
    # and the key of any cron job the dead worker was running too (the stats refresh, say).
    # arq then retries the killed jobs or, past their max_tries, drops them: either is fine.
    redis = Redis.from_url(redis_url)
    assert await redis.delete(in_progress_key_prefix + killed_job) == 1
    async for key in redis.scan_iter(match=f"{in_progress_key_prefix}*"):
        await redis.delete(key)
    await redis.aclose()
    restart_job = "sweep-escalations-restart"
    assert await queue.enqueue(names.SWEEP_ESCALATIONS, job_id=restart_job)
    await queue.close()
    second = spawn(env, tmp_path / "worker-restart.log")
    await wait_for([second])
    context = tails([first, second])

    await assert_level_one_exactly_once(w, total, context)
    results = sweep_results(second)
    assert results and all(r.isdigit() for r in results), f"sweeps after the restart: {results}{context}"
    assert sum(int(r) for r in results) == total - after_kill, f"sweeps after the restart: {results}{context}"
    print(f"\nkilled after {after_kill} of {total}; the restart escalated {results}")


async def test_sweep_running_twice_changes_nothing_the_second_time(settings: Settings) -> None:
    total = 50
    w = await ladder_world(settings)
    await bulk_grievances(w, NOW, due=total, later=20, closed=10, paused=10)
    due_ids = await ids_of(DUE)

    async def snapshot() -> tuple[Any, ...]:
        return (
            await Escalation.all().count(),
            await AuditEvent.filter(object_type="grievance").count(),
            await OutboxMessage.all().count(),
            sorted(await Grievance.all().values_list("id", "version", "escalation_level", "escalation_due_at")),
        )

    assert await escalate_due(NOW) == total
    await assert_level_one_exactly_once(w, total)
    once = await snapshot()
    assert await escalate_due(NOW) == 0
    assert await snapshot() == once
    assert await escalate_due(NOW + WINDOW - H) == 0  # the OSD's 72 hours are not over yet
    assert await snapshot() == once

    # 72 hours at the OSD without disposal: the Chief Secretary (level 2), once each.
    second = NOW + WINDOW + H
    assert await escalate_due(second) == total
    level_two = await Escalation.filter(level=2).values_list("grievance_id", "authority_id", "round")
    assert sorted(g for g, *_ in level_two) == due_ids
    assert {(a, r) for _, a, r in level_two} == {(w.cs.id, 1)}
    rows = await Grievance.filter(id__in=due_ids).values_list("escalation_level", "escalated_to_id",
                                                               "escalation_due_at", "version")
    assert set(rows) == {(2, w.cs.id, second + WINDOW, 3)}
    level_two_pushes = OutboxMessage.filter(template=TEMPLATE, idempotency_key__contains=":1:2:staff:")
    keys = set(await column(level_two_pushes, "idempotency_key"))
    assert keys == {f"escalation:{g}:1:2:staff:{u}:push" for g in due_ids for u in w.told_at_cs}
    events = Counter(await column(AuditEvent.filter(object_type="grievance", action="escalate"), "object_id"))
    assert events == {str(g): 2 for g in due_ids}
    twice = await snapshot()
    assert await escalate_due(second) == 0
    assert await snapshot() == twice

    # Past the top rung's window: nothing more to climb; the ladder's clock stops.
    assert await escalate_due(second + WINDOW + H) == 0
    assert await Grievance.filter(id__in=due_ids).exclude(escalation_due_at=None).count() == 0
    assert await Escalation.all().count() == 2 * total
    stopped = await snapshot()
    assert stopped[:3] == twice[:3]
    assert await escalate_due(second + 3 * WINDOW) == 0
    assert await snapshot() == stopped
    # The others never moved: not due (until much later), closed, paused with the citizen.
    assert await Grievance.filter(number__startswith=LATER, escalation_level=0).count() == 20
    assert await Grievance.exclude(number__startswith=DUE).exclude(escalation_level=0).count() == 0


async def test_lanes_share_a_sweep_and_escalate_each_grievance_once(settings: Settings) -> None:
    """Several batches in flight at once (PostgreSQL: SKIP LOCKED keeps them apart; SQLite
    runs one lane): every due grievance climbs exactly one rung, whatever the lanes."""
    total = 70
    w = await ladder_world(settings)
    await bulk_grievances(w, NOW, due=total, later=20, closed=10, paused=10)
    assert await escalate_due(NOW, batch=8, lanes=3) == total
    await assert_level_one_exactly_once(w, total)
    assert await escalate_due(NOW, batch=8, lanes=3) == 0
    events = Counter(await column(AuditEvent.filter(object_type="grievance", action="escalate"), "object_id"))
    assert sorted(int(g) for g in events) == await ids_of(DUE) and set(events.values()) == {1}
