"""The floor: what the database itself allows on this machine for one lifecycle's
writes, done by plain SQL from one process (asyncpg, prepared statements, no ORM, no
GraphQL, no HTTP) - the same transactions (one per step) and the same rows per table
as `grievance serve` writes for file -> allot -> preliminary -> final -> approve ->
close, and the citizen's status read. `tests.bench.run` prints the app's measured
writes per lifecycle beside these, from PostgreSQL's own counters.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

# Rows written per step (table -> inserts), and the grievance row updated once a step.
STEPS: list[dict[str, int]] = [
    {"grv_grievance": 1, "audit_event": 1, "ntf_outbox": 1},                       # file
    {"audit_event": 1, "ntf_outbox": 1},                                            # allot
    {"grv_report": 1, "audit_event": 1, "ntf_outbox": 1},                           # preliminary
    {"grv_report": 1, "audit_event": 1, "ntf_outbox": 1},                           # final
    {"grv_review_step": 1, "audit_event": 1},                                       # approve
    {"grv_review_step": 1, "audit_event": 1, "ntf_outbox": 1},                      # close
]


def inserts_per_lifecycle() -> dict[str, int]:
    total: dict[str, int] = {}
    for step in STEPS:
        for table, n in step.items():
            total[table] = total.get(table, 0) + n
    return total


async def _lifecycle(conn: asyncpg.Connection, s: dict[str, Any], ctx: dict[str, Any], rng: random.Random) -> None:
    now = datetime.now(UTC)
    prev = ""

    async def event(gid: int, seq: int, action: str, to_state: str) -> None:
        nonlocal prev
        digest = hashlib.sha256(f"{gid}:{seq}:{action}:{prev}".encode()).hexdigest()
        await conn.execute(s["event"], str(gid), seq, action, now, to_state, json.dumps({"office": ctx["unit"]}), prev, digest)
        prev = digest

    async def outbox(gid: int, key: str, template: str) -> None:
        await conn.execute(s["outbox"], f"floor:{gid}:{key}", ctx["mobile"], template, json.dumps({"grievance_id": gid}), now)

    async with conn.transaction():
        await conn.fetchval(s["number"], ctx["year"])
        gid = await conn.fetchval(s["grievance"], f"FLOOR/{ctx['year']}/{rng.getrandbits(60)}", ctx["citizen"], ctx["category"],
                                  ctx["category_path"], ctx["gob"], ctx["gob_path"], now, now + timedelta(days=1))
        await event(gid, 1, "file", "filed")
        await outbox(gid, "filed", "grievance_filed")
    async with conn.transaction():
        await conn.execute(s["move"], gid, "allotted", ctx["unit"], ctx["unit_path"], now)
        await event(gid, 2, "allot", "allotted")
        await outbox(gid, "allotted", "grievance_allotted")
    report = 0
    for seq, (kind, to_state) in enumerate((("preliminary", "in_progress"), ("final", "under_review")), start=3):
        async with conn.transaction():
            report = await conn.fetchval(s["report"], kind, now, ctx["author"], gid, ctx["unit"])
            await conn.execute(s["move"], gid, to_state, ctx["unit"], ctx["unit_path"], now)
            await event(gid, seq, f"{kind}_report", to_state)
            await outbox(gid, kind, "grievance_taken_up")
    async with conn.transaction():
        await conn.execute(s["step"], 0, "approved", now, report, ctx["author"], ctx["unit"])
        await conn.execute(s["move"], gid, "under_review", ctx["gob"], ctx["gob_path"], now)
        await event(gid, 5, "review_approve", "under_review")
    async with conn.transaction():
        await conn.execute(s["step"], 1, "closed", now, report, ctx["author"], ctx["gob"])
        await conn.execute(s["move"], gid, "closed", ctx["gob"], ctx["gob_path"], now)
        await event(gid, 6, "close", "closed")
        await outbox(gid, "closed", "grievance_closed")
    await conn.fetchrow(s["status"], gid)
    await conn.fetch(s["timeline"], str(gid))


async def run(database_url: str, *, seconds: float, connections: int = 8) -> dict[str, Any]:
    """Lifecycles per second by plain SQL, `connections` at once from this one process."""
    dsn = database_url.replace("postgres://", "postgresql://", 1)
    pool = await asyncpg.create_pool(dsn, min_size=connections, max_size=connections)
    async with pool.acquire() as conn:
        row = await conn.fetchrow("SELECT g.id AS gob, g.path AS gob_path, u.id AS unit, u.path AS unit_path FROM org_unit g, "
                                  "org_unit u WHERE g.code = 'GOB' AND u.code = 'REV-DLRS'")
        cat = await conn.fetchrow("SELECT id, path FROM cat_category WHERE code LIKE 'REV-%' AND parent_id IS NOT NULL "
                                  "ORDER BY id LIMIT 1")
        author = await conn.fetchval("SELECT id FROM acct_staff_user WHERE username = 'nodal.revenue'")
        citizen = await conn.fetchrow("SELECT id, mobile FROM acct_citizen ORDER BY id LIMIT 1")
    ctx = {**dict(row), "category": cat["id"], "category_path": cat["path"], "author": author, "citizen": citizen["id"],
           "mobile": citizen["mobile"], "year": 2099}
    sql = {
        "number": "INSERT INTO grv_number_sequence (unit_code, channel, year, last_value) VALUES ('FLOOR', 'whatsapp', $1, 1) "
                  "ON CONFLICT (unit_code, channel, year) DO UPDATE SET last_value = grv_number_sequence.last_value + 1 "
                  "RETURNING last_value",
        "grievance": (
            "INSERT INTO grv_grievance (number, channel, status, citizen_id, citizen_name, citizen_mobile, citizen_email, "
            "citizen_address, language, area_code, location_address, category_id, category_path, subject, description, "
            "relief_sought, unit_id, unit_path, intake_unit_id, route, visited, review_chain, review_level, stage, "
            "stage_started_at, due_at, stage_mode, disposal_due_at, escalation_level, escalation_round, "
            "escalation_due_at, reminder_at, suspected_duplicates, right_to_service, sensitive, filed_by_kind, version, "
            "filed_at, updated_at) VALUES ($1, 'whatsapp', 'filed', $2, 'Floor Citizen', '7000000000', '', '', 'en', "
            "'BR-PAT-BIHTA', '', $3, $4, 'Mutation pending', 'My land mutation application has been pending since March.', "
            "'Complete the mutation.', $5, $6, $5, '[]', '[]', '[]', 0, 'registration', $7, $8, 'working_days', $8, 0, 1, "
            "$8, $8, '[]', false, false, 'staff', 1, $7, $7) RETURNING id"),
        "move": ("UPDATE grv_grievance SET status = $2, unit_id = $3, unit_path = $4, updated_at = $5, version = version + 1, "
                 "stage_started_at = $5, due_at = $5, escalation_due_at = $5, reminder_at = $5 WHERE id = $1"),
        "event": ("INSERT INTO audit_event (object_type, object_id, seq, action, occurred_at, actor_kind, actor_id, actor_role, "
                  "from_state, to_state, note, data, prev_hash, hash) VALUES ('grievance', $1, $2, $3, $4, 'staff', '1', "
                  "'officer', '', $5, '', $6::jsonb, $7, $8)"),
        "outbox": ("INSERT INTO ntf_outbox (idempotency_key, channel, recipient, template, language, payload, status, "
                   "attempts, next_attempt_at, last_error, created_at) "
                   "VALUES ($1, 'sms', $2, $3, 'en', $4::jsonb, 'pending', 0, $5, '', $5)"),
        "report": ("INSERT INTO grv_report (kind, action_taken, reasons_if_not, reply, outcome, created_at, author_id, "
                   "grievance_id, unit_id) VALUES ($1, 'Case file called for.', '', 'We are examining your case.', '', $2, $3, "
                   "$4, $5) RETURNING id"),
        "step": ("INSERT INTO grv_review_step (level, decision, note, created_at, report_id, reviewer_id, unit_id) "
                 "VALUES ($1, $2, '', $3, $4, $5, $6)"),
        "status": "SELECT * FROM grv_grievance WHERE id = $1",
        "timeline": "SELECT * FROM audit_event WHERE object_type = 'grievance' AND object_id = $1 ORDER BY seq",
    }
    done = 0
    deadline = time.monotonic() + seconds

    async def worker(n: int) -> None:
        nonlocal done
        rng = random.Random(n)
        async with pool.acquire() as conn:  # asyncpg prepares each statement once per connection
            while time.monotonic() < deadline:
                await _lifecycle(conn, sql, ctx, rng)
                done += 1

    started = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(connections)))
    elapsed = time.monotonic() - started
    await pool.close()
    return {"rate": done / elapsed, "done": done, "connections": connections, "inserts": inserts_per_lifecycle()}
