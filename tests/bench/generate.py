"""Fill a PostgreSQL database (the demo state already loaded) with SIZE grievances of a
year's history, fast and reproducibly from a seed:

    .venv/bin/python -m tests.bench.generate --database-url postgres://.../bench_1m --size 1000000 --seed 7

Bulk load (COPY), not one GraphQL call each. Every grievance goes down the path a real
one would (filed at the state cell or by a citizen on the web, routed or allotted to
the department's office for its district or block, reports, the review chain up to the
allotting authority, closure or rejection, feedback), with its hash-chained events,
reports, review steps, citizen messages (sent), feedback, and the dashboard rollups
that the refresher would have made of them - computed with the refresher's own
definitions (`backend.stats.facts`) and its cursors set past the generated rows.

Distributions: filings over the last 365 days, more on weekdays and growing through
the year; categories by a Zipf law over the leaves; districts by size (Patna and Gaya
larger, their blocks named in most of theirs); channels as a state portal sees them;
repeat filers among ~0.7 x SIZE citizens; the share still pending falls with age,
and pending grievances are spread over every stage with their clocks running (the
overdue ones already escalated once, so an idle sweep finds nothing due).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, ClassVar

import asyncpg

from backend.audit.services import _digest, _hashed_fields
from backend.grievances.channels import Channel, format_number
from backend.grievances.review_chain import review_chain
from backend.stats.facts import district_of, event_counts, feedback_counts
from backend.stats.subtree import FILL_ALL, FILL_STOCK_ALL

CHANNELS = [(Channel.WEB, 45), (Channel.WHATSAPP, 14), (Channel.PHONE, 15), (Channel.POST, 8), (Channel.EMAIL, 5),
            (Channel.COUNTER, 6), (Channel.IN_PERSON, 4), (Channel.UPSTREAM, 3)]
PENDING_STATES = ["filed", "allotted", "assigned", "in_progress", "under_review"]
DAY = timedelta(days=1)
BATCH = 20_000


def _pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


@dataclass(frozen=True)
class Office:
    id: int
    path: str


class World:
    """The demo tree, categories and staff as the generator needs them."""

    async def load(self, conn: asyncpg.Connection) -> None:
        units = await conn.fetch("SELECT id, code, kind, path, area_codes, parent_id FROM org_unit WHERE active")
        self.units = {u["id"]: u for u in units}
        self.gob = next(u for u in units if u["code"] == "GOB")
        cats = await conn.fetch("SELECT id, path, department_id, parent_id, rts_days, sensitive FROM cat_category "
                                "WHERE active ORDER BY id")
        parents = {c["parent_id"] for c in cats}
        self.leaves = [c for c in cats if c["id"] not in parents and not c["rts_days"]]
        self.category_path = {c["id"]: c["path"] for c in cats}
        # Offices by (department, area): the unit in the department's subtree whose
        # jurisdiction is exactly that district or block.
        self.office: dict[tuple[int, str], Office] = {}
        for u in units:
            if u["kind"] not in ("district", "block"):
                continue
            dept = int(u["path"].strip("/").split("/")[2])
            for area in json.loads(u["area_codes"]) if isinstance(u["area_codes"], str) else u["area_codes"]:
                self.office[(dept, area)] = Office(u["id"], u["path"])
        areas = sorted({a for (_, a) in self.office})
        self.districts = sorted({a for a in areas if a.count("-") == 1})
        self.blocks: dict[str, list[str]] = defaultdict(list)
        for a in areas:
            if a.count("-") == 2:
                self.blocks[district_of(a)].append(a)
        staff = await conn.fetch("SELECT u.id, u.username, m.role, m.unit_id FROM acct_staff_user u "
                                 "JOIN acct_membership m ON m.user_id = u.id WHERE m.active")
        self.staff_by_unit_role: dict[tuple[int, str], int] = {(s["unit_id"], s["role"]): s["id"] for s in staff}
        self.cell_operator = next(s["id"] for s in staff if s["username"] == "cell.operator")
        self.any_staff = self.cell_operator
        rules = await conn.fetch("SELECT r.category_id, r.area_code, r.unit_id, c.path FROM routing_rule r "
                                 "JOIN cat_category c ON c.id = r.category_id WHERE r.active")
        self.rules = [(r["path"], r["area_code"], r["unit_id"]) for r in rules]

    def routed_office(self, category_path: str, area: str) -> int | None:
        """The most specific routing rule's office (category subtree x area prefix)."""
        best: tuple[int, int, int] | None = None
        for path, rule_area, unit_id in self.rules:
            if category_path.startswith(path) and (area == rule_area or area.startswith(rule_area + "-")):
                key = (len(path), len(rule_area), unit_id)
                if best is None or key > best:
                    best = key
        return best[2] if best else None


class Sampler:
    def __init__(self, rng: random.Random, world: World, size: int, now: datetime) -> None:
        self.rng, self.world, self.now = rng, world, now
        leaves = list(world.leaves)
        rng.shuffle(leaves)
        self.leaves = leaves
        self.leaf_cum = self._cumulative([1 / (rank + 1) ** 1.1 for rank in range(len(leaves))])
        weights = {"BR-PAT": 5.0, "BR-GAY": 3.0, "BR-MUZ": 2.0, "BR-BHA": 2.0, "BR-DAR": 1.6}
        self.district_cum = self._cumulative([weights.get(d, 1.0) for d in world.districts])
        self.channel_cum = self._cumulative([w for _, w in CHANNELS])
        self.citizens = max(1, int(size * 0.7))
        # Filing days: weekdays twice as busy as Sundays, growing by half over the year.
        days = [now.date() - timedelta(days=d) for d in range(365, 0, -1)]
        self.days = days
        self.day_cum = self._cumulative([(1.0 + 0.5 * i / 365) * (0.5 if d.weekday() == 6 else 1.0)
                                         for i, d in enumerate(days)])
        self._routes: dict[tuple[str, str], int | None] = {}

    @staticmethod
    def _cumulative(weights: list[float]) -> list[float]:
        out, total = [], 0.0
        for w in weights:
            total += w
            out.append(total)
        return out

    def pick(self, cum: list[float]) -> int:
        return bisect.bisect_left(cum, self.rng.random() * cum[-1])

    def filed_at(self) -> datetime:
        day = self.days[self.pick(self.day_cum)]
        seconds = int(self.rng.triangular(7 * 3600, 20 * 3600, 12 * 3600)) - 5 * 3600 - 1800  # IST working hours
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)

    def route(self, category_path: str, area: str) -> int | None:
        key = (category_path, area)
        if key not in self._routes:
            self._routes[key] = self.world.routed_office(category_path, area)
        return self._routes[key]


class Tables:
    """Rows waiting for COPY, per table, with the columns in COPY order."""

    COLUMNS: ClassVar[dict[str, list[str]]] = {
        "acct_citizen": ["id", "mobile", "name", "email", "language", "created_at", "notify_channels"],
        "grv_grievance": [
            "id", "number", "channel", "status", "citizen_id", "citizen_name", "citizen_mobile", "citizen_email",
            "citizen_address", "language", "area_code", "location_address", "latitude", "longitude", "category_id",
            "category_path", "subject", "description", "relief_sought", "unit_id", "unit_path", "intake_unit_id",
            "assigned_officer_id", "route", "visited", "acting_unit_id", "review_chain", "review_level", "stage",
            "stage_started_at", "due_at", "paused_from", "paused_stage", "paused_remaining_seconds", "stage_mode",
            "disposal_due_at", "escalation_level", "escalation_round", "escalated_to_id", "escalated_at",
            "escalation_due_at", "reminder_at", "rejection_reason", "master_id", "suspected_duplicates",
            "right_to_service", "sensitive", "filed_by_kind", "filed_by_id", "idempotency_key", "version", "filed_at",
            "updated_at", "closed_at"],
        "audit_event": ["id", "object_type", "object_id", "seq", "action", "occurred_at", "actor_kind", "actor_id",
                        "actor_role", "unit_id", "from_state", "to_state", "note", "data", "prev_hash", "hash"],
        "grv_report": ["id", "kind", "concerns_office", "known_before", "action_taken", "resolvable_in_72h",
                       "reasons_if_not", "reply", "outcome", "created_at", "author_id", "grievance_id", "unit_id"],
        "grv_review_step": ["id", "level", "decision", "note", "created_at", "report_id", "reviewer_id", "unit_id"],
        "ntf_outbox": ["id", "idempotency_key", "channel", "recipient", "template", "language", "payload", "status",
                       "attempts", "next_attempt_at", "sent_at", "last_error", "created_at"],
        "fb_feedback": ["id", "round", "source", "resolved", "rating", "remarks", "created_at", "agent_id",
                        "grievance_id"],
        "stats_placement": ["grievance_id", "unit_id", "category_id", "channel", "district", "filed_day"],
    }

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in self.COLUMNS}
        self.ids: dict[str, int] = defaultdict(int)

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]


@dataclass
class Step:
    action: str
    at: datetime
    to_state: str
    unit_id: int
    office: int
    actor_kind: str = "staff"
    actor_id: int | None = None
    role: str = "cell_operator"
    stage_done: dict[str, Any] | None = None
    note: str = ""


class Generator:
    def __init__(self, world: World, size: int, seed: int, now: datetime) -> None:
        self.world, self.size, self.now = world, size, now
        self.rng = random.Random(seed)
        self.sample = Sampler(self.rng, world, size, now)
        self.t = Tables()
        self.facts: dict[tuple[date, int, int, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        self.stock: dict[tuple[int, int, str, str, date], int] = defaultdict(int)
        self.numbers: dict[tuple[str, int], int] = defaultdict(int)
        self.grievance_base = self.citizen_base = 0

    def citizen(self) -> int:
        # Repeat filers: a third of filings come from one citizen in twenty.
        pool = self.sample.citizens
        n = self.rng.randrange(1, pool // 20 + 2) if self.rng.random() < 0.33 else self.rng.randrange(1, pool + 1)
        return self.citizen_base + n

    def grievances(self) -> Iterator[None]:
        for gid in range(self.grievance_base + 1, self.grievance_base + self.size + 1):
            self.one(gid)
            if gid % BATCH == 0:
                yield
        yield

    def one(self, gid: int) -> None:
        rng, w, now = self.rng, self.world, self.now
        filed = self.sample.filed_at()
        leaf = self.sample.leaves[self.sample.pick(self.sample.leaf_cum)]
        district = w.districts[self.sample.pick(self.sample.district_cum)]
        blocks = w.blocks.get(district)
        area = rng.choice(blocks) if blocks and rng.random() < 0.7 else district
        channel = CHANNELS[self.sample.pick(self.sample.channel_cum)][0]
        dept = leaf["department_id"]
        routed = self.sample.route(leaf["path"], area)
        office_id = routed or (w.office.get((dept, area)) or w.office.get((dept, district)) or Office(dept, "")).id
        office = w.units[office_id]
        gob = w.gob
        citizen_id = self.citizen()
        mobile = f"6{citizen_id - self.citizen_base:09d}"
        year = (filed + timedelta(hours=5, minutes=30)).year
        self.numbers[(channel.value, year)] += 1
        number = format_number(gob["code"], channel, year, self.numbers[(channel.value, year)])
        age_days = (now - filed).days

        # How far it has gone: the older, the likelier it is disposed of.
        disposed_share = min(0.97, 0.15 + age_days / 45)
        disposed = rng.random() < disposed_share
        rejected = disposed and rng.random() < 0.06
        pending_state = None if disposed else PENDING_STATES[min(4, int(rng.random() ** 0.7 * 5))]

        citizen_filer = channel is Channel.WEB
        steps = [Step("file", filed, "filed", gob["id"], gob["id"], "citizen" if citizen_filer else "staff",
                      citizen_id if citizen_filer else w.cell_operator, "citizen" if citizen_filer else "cell_operator")]
        t = filed
        unit_id, acting, chain, level = gob["id"], None, [], 0
        done = pending_state == "filed"
        if not done and not rejected:
            t += timedelta(hours=rng.uniform(0.01, 30)) if not routed else timedelta(seconds=1)
            late = t - filed > DAY
            steps.append(Step("auto_route" if routed else "allot", t, "allotted", office_id, office_id,
                              "system" if routed else "staff", None if routed else w.cell_operator,
                              "system" if routed else "cell_operator",
                              {"stage": "registration" if not routed else "allotment", "late": late}))
            unit_id = office_id
            done = pending_state == "allotted"
        officer = (w.staff_by_unit_role.get((office_id, "officer")) or w.staff_by_unit_role.get((office_id, "nodal_officer"))
                   or w.cell_operator)
        assigned = None
        if not done and not rejected and rng.random() < 0.5:
            t += timedelta(hours=rng.uniform(0.5, 20))
            steps.append(Step("assign", t, "assigned", office_id, office_id, role="nodal_officer", actor_id=officer))
            assigned = officer
            done = pending_state == "assigned"
        if not done and not rejected:
            t += timedelta(hours=rng.expovariate(1 / 30))
            steps.append(Step("preliminary_report", t, "in_progress", office_id, office_id, role="officer",
                              actor_id=officer, stage_done={"stage": "preliminary_report",
                                                            "late": t - steps[-1].at > timedelta(days=3)}))
            done = pending_state == "in_progress"
        if not done and not rejected:
            started = t
            t += timedelta(days=rng.expovariate(1 / 9))
            chain = review_chain(office["path"], gob["path"], gob["id"])
            acting = office_id
            steps.append(Step("final_report", t, "under_review", chain[0], office_id, role="officer", actor_id=officer,
                              stage_done={"stage": "final_report", "late": t - started > timedelta(days=21)}))
            unit_id = chain[0]
            done = pending_state == "under_review"
            while not done and level < len(chain) - 1:
                started = t
                t += timedelta(hours=rng.expovariate(1 / 20))
                level += 1
                steps.append(Step("review_approve", t, "under_review", chain[level], office_id, role="reviewer",
                                  actor_id=w.any_staff, stage_done={"stage": "review", "late": t - started > 3 * DAY}))
                unit_id = chain[level]
            if not done:
                started = t
                t += timedelta(hours=rng.expovariate(1 / 20))
                steps.append(Step("close", t, "closed", unit_id, office_id, role="cell_operator",
                                  actor_id=w.cell_operator, stage_done={"stage": "review", "late": t - started > 3 * DAY}))
        if rejected:
            t += timedelta(hours=rng.uniform(1, 48))
            steps.append(Step("reject", t, "rejected", gob["id"], gob["id"], note="Not a grievance: a suggestion.",
                              stage_done={"stage": "registration", "late": t - filed > DAY}))
        # Clocks of a pending grievance: the running stage's limit from its last event.
        if steps[-1].at > now:  # a path that ran past today stops where today is
            while len(steps) > 1 and steps[-1].at > now:
                steps.pop()
            pending_state = steps[-1].to_state if steps[-1].to_state not in ("closed", "rejected") else None
            unit_id = steps[-1].unit_id
        status = steps[-1].to_state
        last = steps[-1].at
        stage = {"filed": "registration", "allotted": "preliminary_report", "assigned": "preliminary_report",
                 "in_progress": "final_report", "under_review": "review"}.get(status)
        limit = {"registration": 1, "preliminary_report": 3, "final_report": 21, "review": 3}.get(stage or "", 0)
        due = last + timedelta(days=limit) if stage else None
        escalation_level, escalated_to, escalated_at, escalation_due = 0, None, None, due
        if due is not None and due < now:
            # Overdue: it was escalated once when the stage ran out; the next rung is later.
            escalation_level, escalated_at = 1, due + timedelta(minutes=1)
            escalated_to = office["parent_id"] or gob["id"]
            escalation_due = max(now + timedelta(days=rng.uniform(1, 14)), due + 7 * DAY)
            steps.append(Step("escalate", escalated_at, status, unit_id, unit_id, "system", None, "system"))
        self._write(gid, number, channel, status, citizen_id, mobile, area, leaf, unit_id, office_id if acting else None,
                    chain, level, stage, last if stage else None, due, filed, escalation_level, escalated_to,
                    escalated_at, escalation_due, assigned, steps, routed is not None, citizen_filer)

    def _write(self, gid: int, number: str, channel: Channel, status: str, citizen_id: int, mobile: str, area: str,
               leaf: Any, unit_id: int, acting: int | None, chain: list[int], level: int, stage: str | None,
               stage_started: datetime | None, due: datetime | None, filed: datetime, escalation_level: int,
               escalated_to: int | None, escalated_at: datetime | None, escalation_due: datetime | None,
               assigned: int | None, steps: list[Step], routed: bool, citizen_filer: bool) -> None:
        t, rng, w = self.t, self.rng, self.world
        unit = w.units[unit_id]
        closed_at = steps[-1].at if status in ("closed", "rejected") else None
        visited = sorted({s.unit_id for s in steps})
        reminder = stage_started + (due - stage_started) * 0.75 if stage_started and due and due > self.now else None
        subject = f"Grievance about {leaf['path']} in {area}"
        description = ("The application submitted at the office has not been acted upon despite several visits; "
                       f"the staff ask me to come again. Case {gid}.")
        t.rows["grv_grievance"].append((
            gid, number, channel.value, status, citizen_id, f"Citizen {citizen_id}", mobile, "", "", "hi", area, "",
            None, None, leaf["id"], leaf["path"], subject, description, "Please act on my application.", unit_id,
            unit["path"], w.gob["id"], assigned, json.dumps([w.gob["id"]] if len(visited) > 1 else []),
            json.dumps(visited), acting, json.dumps(chain), level, stage, stage_started, due, None, None, None,
            "working_days" if stage else None, filed + timedelta(days=30), escalation_level, 1, escalated_to, escalated_at,
            escalation_due if stage else None, reminder, "suggestion_only" if status == "rejected" else None, None, "[]",
            False, bool(leaf["sensitive"]), "citizen" if citizen_filer else "staff",
            citizen_id if citizen_filer else w.cell_operator, None, len(steps), filed, steps[-1].at, closed_at))
        prev_hash, from_state, report_id = "", "", 0
        district = district_of(area)
        for seq, s in enumerate(steps, start=1):
            data: dict[str, Any] = {"office": s.office}
            if s.stage_done:
                data["stage_done"] = s.stage_done
            if s.action == "escalate":
                data["level"] = 1
            data["visibility"] = "internal" if s.action in ("escalate", "assign") else "citizen"
            event = SimpleNamespace(object_type="grievance", object_id=str(gid), seq=seq, action=s.action,
                                    occurred_at=s.at, actor_kind=s.actor_kind,
                                    actor_id="" if s.actor_id is None else str(s.actor_id), actor_role=s.role,
                                    unit_id=s.unit_id, from_state=from_state, to_state=s.to_state, note=s.note,
                                    data=data, prev_hash=prev_hash)
            digest = _digest(_hashed_fields(event))  # type: ignore[arg-type]
            eid = t.next_id("audit_event")
            t.rows["audit_event"].append((eid, "grievance", str(gid), seq, s.action, s.at, s.actor_kind, event.actor_id,
                                          s.role, s.unit_id, from_state, s.to_state, s.note, json.dumps(data),
                                          prev_hash, digest))
            for c in event_counts(s.action, from_state, s.to_state, data, s.at, filed):
                cell = self.facts[(s.at.date(), s.office, leaf["id"], channel.value, district, c.metric)]
                cell[0] += c.count
                cell[1] += c.total
            if s.action in ("file", "allot", "auto_route", "preliminary_report", "final_report", "close", "reject"):
                template = {"file": "grievance_filed", "allot": "grievance_allotted", "auto_route": "grievance_allotted",
                            "preliminary_report": "grievance_taken_up", "final_report": "final_report_submitted",
                            "close": "grievance_closed", "reject": "grievance_rejected"}[s.action]
                oid = t.next_id("ntf_outbox")
                t.rows["ntf_outbox"].append((oid, f"grievance:{gid}:{s.action}:{eid}:sms", "sms", mobile, template, "hi",
                                             json.dumps({"number": number, "grievance_id": gid}), "sent", 1,
                                             s.at, s.at + timedelta(seconds=2), "", s.at))
            if s.action in ("preliminary_report", "final_report"):
                rid = t.next_id("grv_report")
                outcome = ("approved" if status == "closed" else "submitted") if s.action == "final_report" else ""
                t.rows["grv_report"].append((rid, s.action.split("_")[0], True, False,
                                             "Records called for; the matter was examined on the spot.", True, "",
                                             "Your grievance has been examined and action taken.",
                                             outcome, s.at,
                                             s.actor_id or w.cell_operator, gid, s.office))
                report_id = rid
            if s.action in ("review_approve", "close") and chain:
                t.rows["grv_review_step"].append((t.next_id("grv_review_step"), chain.index(s.unit_id),
                                                  "closed" if s.action == "close" else "approved", "",
                                                  s.at, report_id, s.actor_id or w.cell_operator, s.unit_id))
            prev_hash, from_state = digest, s.to_state
        if status == "closed" and rng.random() < 0.45:
            source = "citizen" if rng.random() < 0.6 else "call_centre"
            resolved = rng.random() < 0.68
            rating = rng.choice([4, 5]) if resolved else rng.choice([1, 2, 3])
            at = min(self.now - timedelta(minutes=5), steps[-1].at + timedelta(days=rng.uniform(0.1, 10)))
            t.rows["fb_feedback"].append((t.next_id("fb_feedback"), 1, source, resolved, rating, "", at, None, gid))
            for c in feedback_counts(source, resolved, rating, True):
                closure = steps[-1]
                cell = self.facts[(closure.at.date(), closure.office, leaf["id"], channel.value, district, c.metric)]
                cell[0] += c.count
                cell[1] += c.total
        pending_unit = unit_id if status not in ("closed", "rejected") else None
        if pending_unit is not None:
            self.stock[(pending_unit, leaf["id"], channel.value, district, filed.date())] += 1
        t.rows["stats_placement"].append((gid, pending_unit, leaf["id"], channel.value, district, filed.date()))


async def copy(conn: asyncpg.Connection, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    if rows:
        await conn.copy_records_to_table(table, records=rows, columns=columns)


async def generate(database_url: str, size: int, seed: int, now: datetime) -> dict[str, Any]:
    conn = await asyncpg.connect(_pg(database_url))
    # COPY is binary: jsonb's binary form is a version byte before the text.
    await conn.set_type_codec("jsonb", encoder=lambda v: b"\x01" + v.encode(), decoder=lambda b: json.loads(b[1:]),
                              schema="pg_catalog", format="binary")
    started = time.monotonic()
    world = World()
    await world.load(conn)
    existing = await conn.fetchval("SELECT count(*) FROM grv_grievance")
    if existing > 100:
        raise SystemExit(f"error: the database already holds {existing} grievances (generate into the demo state)")
    gen = Generator(world, size, seed, now)
    # Ids and numbers continue after the demo's own rows.
    for table in ("audit_event", "ntf_outbox", "grv_report", "grv_review_step", "fb_feedback"):
        gen.t.ids[table] = int(await conn.fetchval(f"SELECT coalesce(max(id), 0) FROM {table}"))
    gen.grievance_base = int(await conn.fetchval("SELECT coalesce(max(id), 0) FROM grv_grievance"))
    gen.citizen_base = int(await conn.fetchval("SELECT coalesce(max(id), 0) FROM acct_citizen"))
    for row in await conn.fetch("SELECT channel, year, last_value FROM grv_number_sequence WHERE unit_code = $1",
                                world.gob["code"]):
        gen.numbers[(row["channel"], row["year"])] = row["last_value"]
    done = 0
    async with conn.transaction():
        await conn.execute("SET LOCAL synchronous_commit = off")
        # Grievances reference citizens: the whole pool first (ids known up front), then
        # the grievances and their rows batch by batch, so memory holds one batch.
        pool = range(gen.citizen_base + 1, gen.citizen_base + gen.sample.citizens + 1)
        await copy(conn, "acct_citizen", Tables.COLUMNS["acct_citizen"],
                   [(cid, f"6{cid - gen.citizen_base:09d}", f"Citizen {cid}", "", "hi", now - timedelta(days=400), "[]")
                    for cid in pool])
        counts: dict[str, int] = defaultdict(int)
        spent: dict[str, float] = defaultdict(float)
        for _ in gen.grievances():
            for table in ("grv_grievance", "audit_event", "grv_report", "grv_review_step", "ntf_outbox", "fb_feedback",
                          "stats_placement"):
                rows = gen.t.rows[table]
                copy_started = time.monotonic()
                await copy(conn, table, Tables.COLUMNS[table], rows)
                spent[table] += time.monotonic() - copy_started
                counts[table] += len(rows)
                done += len(rows)
                rows.clear()
            if counts["grv_grievance"] % 100_000 == 0:
                print(f"  {counts['grv_grievance']} grievances ({time.monotonic() - started:.0f} s)", flush=True)
        print("  " + ", ".join(f"{t}: {n} rows, {spent[t]:.0f} s" for t, n in counts.items()), flush=True)
        # Added to the demo's own rollups (same keys add up, as the refresher's upserts do).
        facts = ["day", "unit_id", "category_id", "channel", "district", "metric"]
        await conn.execute("CREATE TEMP TABLE gen_fact (LIKE stats_daily_fact INCLUDING DEFAULTS) ON COMMIT DROP")
        await copy(conn, "gen_fact", [*facts, "count", "total"], [(*k, c, tot) for k, (c, tot) in gen.facts.items()])
        await conn.execute(f"INSERT INTO stats_daily_fact ({', '.join(facts)}, count, total) SELECT {', '.join(facts)}, "
                           f"count, total FROM gen_fact ON CONFLICT ({', '.join(facts)}) DO UPDATE SET "
                           "count = stats_daily_fact.count + excluded.count, total = stats_daily_fact.total + excluded.total")
        stock = ["unit_id", "category_id", "channel", "district", "filed_day"]
        await conn.execute("CREATE TEMP TABLE gen_stock (LIKE stats_pending_stock INCLUDING DEFAULTS) ON COMMIT DROP")
        await copy(conn, "gen_stock", [*stock, "count"], [(*k, c) for k, c in gen.stock.items() if c])
        await conn.execute(f"INSERT INTO stats_pending_stock ({', '.join(stock)}, count) SELECT {', '.join(stock)}, count "
                           f"FROM gen_stock ON CONFLICT ({', '.join(stock)}) DO UPDATE SET "
                           "count = stats_pending_stock.count + excluded.count")
        # The subtree rollups of every unit, from all the daily facts (the demo's included).
        await conn.execute("DELETE FROM stats_subtree_fact")
        await conn.execute(FILL_ALL)
        await conn.execute("DELETE FROM stats_subtree_stock")
        await conn.execute(FILL_STOCK_ALL)
        for (channel, year), last in gen.numbers.items():
            await conn.execute("INSERT INTO grv_number_sequence (unit_code, channel, year, last_value) VALUES ($1, $2, $3, $4) "
                               "ON CONFLICT (unit_code, channel, year) DO UPDATE SET last_value = excluded.last_value",
                               world.gob["code"], channel, year, last)
        # The refresher carries on after the generated rows, as if it had read them.
        for name, table in (("events", "audit_event"), ("feedback", "fb_feedback")):
            await conn.execute("INSERT INTO stats_cursor (name, last_id) VALUES ($1, (SELECT coalesce(max(id), 0) FROM "
                               f"{table})) ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id", name)
        for table in ("acct_citizen", "grv_grievance", "audit_event", "grv_report", "grv_review_step", "ntf_outbox",
                      "fb_feedback", "stats_placement", "stats_daily_fact", "stats_pending_stock", "stats_subtree_fact",
                      "stats_subtree_stock"):
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT coalesce(max(id), 1) FROM {table}))")
    await conn.execute("VACUUM ANALYZE")
    await conn.close()
    return {"grievances": size, "rows": done, "facts": len(gen.facts), "seconds": round(time.monotonic() - started, 1)}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--now", default=None, help="ISO time the history ends at (default: now)")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC).replace(microsecond=0)
    print(json.dumps(asyncio.run(generate(args.database_url, args.size, args.seed, now))))


if __name__ == "__main__":
    main(sys.argv[1:])
