"""Appending to and verifying the hash-chained audit trail."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Max

from backend.audit.models import AuditEvent
from backend.authz.actors import Actor
from backend.core import bulk


def _digest(fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "object_type": event.object_type,
        "object_id": event.object_id,
        "seq": event.seq,
        "action": event.action,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor_kind": event.actor_kind,
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "unit_id": event.unit_id,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "note": event.note,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }


async def record(
    *,
    object_type: str,
    object_id: int | str,
    action: str,
    actor: Actor,
    now: datetime,
    unit_id: int | None = None,
    role: str = "",
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; call inside the use case's transaction."""
    # Only the link is needed, not the last event's data.
    last = (
        await AuditEvent.filter(object_type=object_type, object_id=str(object_id))
        .order_by("-seq")
        .only("id", "seq", "hash")
        .first()
    )
    event = AuditEvent(
        object_type=object_type,
        object_id=str(object_id),
        seq=(last.seq + 1) if last else 1,
        action=action,
        occurred_at=now,
        actor_kind=actor.kind.value,
        actor_id=actor.audit_id,
        actor_role=role,
        unit_id=unit_id,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
        prev_hash=last.hash if last else "",
    )
    event.hash = _digest(_hashed_fields(event))
    await event.save()
    return event


async def record_many(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append many events (each as `record`'s keyword arguments) in two statements: one
    read of every object's last event, one insert. Call inside the use case's
    transaction, with the objects locked (a sweep's batch): the unique (object, seq)
    still refuses a fork if anything raced."""
    if not events:
        return []
    conn = AuditEvent._choose_db(for_write=True)  # the transaction's connection
    keys = sorted({(str(e["object_type"]), str(e["object_id"])) for e in events})
    last: dict[tuple[str, str], tuple[int, str]] = {}
    for object_type in sorted({k[0] for k in keys}):
        ids = [k[1] for k in keys if k[0] == object_type]
        for start in range(0, len(ids), 500):
            last.update({(object_type, o): v for o, v in (await _last_links(conn, object_type, ids[start:start + 500])).items()})
    made: list[AuditEvent] = []
    for e in events:
        key = (str(e["object_type"]), str(e["object_id"]))
        seq, prev = last.get(key, (0, ""))
        actor: Actor = e["actor"]
        event = AuditEvent(
            object_type=key[0], object_id=key[1], seq=seq + 1, action=e["action"], occurred_at=e["now"],
            actor_kind=actor.kind.value, actor_id=actor.audit_id, actor_role=e.get("role", ""), unit_id=e.get("unit_id"),
            from_state=e.get("from_state", ""), to_state=e.get("to_state", ""), note=e.get("note", ""),
            data=e.get("data") or {}, prev_hash=prev,
        )
        event.hash = _digest(_hashed_fields(event))
        last[key] = (event.seq, event.hash)
        made.append(event)
    await bulk.insert_models(made, key=("object_type", "object_id", "seq"))
    return made


async def _last_links(conn: BaseDBAsyncClient, object_type: str, object_ids: list[str]) -> dict[str, tuple[int, str]]:
    """Each object's last (seq, hash), read through the unique (type, id, seq) index."""
    if conn.capabilities.dialect == "postgres":
        rows = await conn.execute_query_dict(
            "SELECT DISTINCT ON (object_id) object_id, seq, hash FROM audit_event "
            "WHERE object_type = $1 AND object_id = ANY($2::text[]) ORDER BY object_id, seq DESC",
            [object_type, object_ids])
        return {str(r["object_id"]): (int(r["seq"]), str(r["hash"])) for r in rows}
    tops = {str(o): int(t) for o, t in await AuditEvent.filter(object_type=object_type, object_id__in=object_ids)
            .annotate(top=Max("seq")).group_by("object_id").values_list("object_id", "top")}
    out: dict[str, tuple[int, str]] = {}
    if tops:
        for object_id, seq, digest in await AuditEvent.filter(
                object_type=object_type, object_id__in=list(tops), seq__in=sorted(set(tops.values()))).values_list(
                "object_id", "seq", "hash"):
            if tops.get(str(object_id)) == seq:
                out[str(object_id)] = (int(seq), str(digest))
    return out


async def verify_chain(object_type: str, object_id: int | str) -> bool:
    """True when no event of the object was altered, removed or reordered."""
    prev = ""
    expected_seq = 1
    async for event in AuditEvent.filter(
        object_type=object_type, object_id=str(object_id)
    ).order_by("seq"):
        if event.seq != expected_seq or event.prev_hash != prev:
            return False
        if event.hash != _digest(_hashed_fields(event)):
            return False
        prev = event.hash
        expected_seq += 1
    return True


async def broken_chains(object_type: str, object_id: str | None = None, *, batch: int = 500) -> tuple[int, list[str]]:
    """(objects checked, ids whose chain was altered): one pass, a batch of objects at a time."""
    query = AuditEvent.filter(object_type=object_type)
    if object_id is not None:
        query = query.filter(object_id=object_id)
    ids = sorted({str(i) for i in await query.distinct().values_list("object_id", flat=True)})
    broken: list[str] = []
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        by_object: dict[str, list[AuditEvent]] = {}
        for event in await AuditEvent.filter(object_type=object_type, object_id__in=chunk).order_by("object_id", "seq"):
            by_object.setdefault(event.object_id, []).append(event)
        broken += [oid for oid in chunk if not _chain_intact(by_object.get(oid, []))]
    return len(ids), broken


def _chain_intact(events: list[AuditEvent]) -> bool:
    prev = ""
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq or event.prev_hash != prev or event.hash != _digest(_hashed_fields(event)):
            return False
        prev = event.hash
    return True
