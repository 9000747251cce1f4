"""Appending to and verifying the hash-chained audit trail."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from backend.audit.models import AuditEvent
from backend.authz.actors import Actor


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
    last = (
        await AuditEvent.filter(object_type=object_type, object_id=str(object_id))
        .order_by("-seq")
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
