"""The grievance domain's pending-work provider for restructuring (seed 000).

Moving a subtree, merging a unit or deactivating an account carries the pending
grievances along inside the restructuring transaction; each moved grievance gets an
audit event saying why it moved. Registered at import (see `backend.grievances`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise import connections

from backend.audit.services import record
from backend.authz.actors import Actor
from backend.core.sql import placeholders
from backend.grievances import conflicts
from backend.grievances.models import Grievance
from backend.grievances.states import PENDING
from backend.grievances.transitions import OBJECT_TYPE
from backend.orgs import pending_work
from backend.orgs.models import Unit

_PENDING = sorted(PENDING)
PREVIEW_LIMIT = 500


def _swap(ids: list[int], old: set[int], new: int) -> list[int]:
    return [new if i in old else i for i in ids]


class GrievanceWork:
    name = "grievances"

    async def count_for_units(self, unit_ids: Sequence[int]) -> int:
        return await Grievance.filter(unit_id__in=list(unit_ids), status__in=_PENDING).count()

    async def list_for_units(self, unit_ids: Sequence[int]) -> list[str]:
        return list(await Grievance.filter(unit_id__in=list(unit_ids), status__in=_PENDING)
                    .order_by("id").limit(PREVIEW_LIMIT).values_list("number", flat=True))  # type: ignore[arg-type]

    async def move_unit_work(self, from_unit_ids: Sequence[int], to_unit_id: int, *, actor: Actor, now: datetime) -> int:
        target = await Unit.get(id=to_unit_id)
        old = set(from_unit_ids)
        moved = 0
        for g in await Grievance.filter(unit_id__in=list(old), status__in=_PENDING).order_by("id"):
            # A grievance against the receiving office (or an officer there) goes above it.
            dest = await conflicts.clear_for(g, target)
            await self._write(g, {
                "unit_id": dest.id, "unit_path": dest.path, "route": _swap(g.route, old, dest.id),
                "review_chain": _swap(g.review_chain, old, dest.id),
                "acting_unit_id": dest.id if g.acting_unit_id in old else g.acting_unit_id,  # type: ignore[attr-defined]
                "visited": sorted({*g.visited, dest.id}),
            }, actor=actor, now=now, unit_id=dest.id, data={"from_unit": g.unit_id, "to_unit": dest.code})  # type: ignore[attr-defined]
            moved += 1
        return moved

    async def count_for_users(self, user_ids: Sequence[int]) -> int:
        return await Grievance.filter(assigned_officer_id__in=list(user_ids), status__in=_PENDING).count()

    async def list_for_users(self, user_ids: Sequence[int]) -> list[str]:
        return list(await Grievance.filter(assigned_officer_id__in=list(user_ids), status__in=_PENDING)
                    .order_by("id").limit(PREVIEW_LIMIT).values_list("number", flat=True))  # type: ignore[arg-type]

    async def move_user_work(self, from_user_id: int, to_user_id: int, *, actor: Actor, now: datetime) -> int:
        moved = 0
        for g in await Grievance.filter(assigned_officer_id=from_user_id, status__in=_PENDING).order_by("id"):
            # Never to the successor it is against: unassigned, the office assigns it anew.
            to = None if g.against_officer_id == to_user_id else to_user_id  # type: ignore[attr-defined]
            await self._write(g, {"assigned_officer_id": to}, actor=actor, now=now,
                              unit_id=g.unit_id, data={"from_officer": from_user_id, "to_officer": to})  # type: ignore[attr-defined]
            moved += 1
        return moved

    async def rewrite_unit_paths(self, old_prefix: str, new_prefix: str) -> None:
        """A moved subtree's grievances keep their denormalised paths in step, in one
        statement however many there are."""
        conn = connections.get("default")
        p = placeholders(conn.capabilities.dialect, 3)
        await conn.execute_query(
            f"UPDATE grv_grievance SET unit_path = {p[0]} || substr(unit_path, {len(old_prefix) + 1}) "
            f"WHERE substr(unit_path, 1, {len(old_prefix)}) = {p[1]} AND {p[2]} <> ''",
            [new_prefix, old_prefix, old_prefix],
        )

    async def _write(self, g: Grievance, changes: dict[str, object], *, actor: Actor, now: datetime, unit_id: int,
                     data: dict[str, object]) -> None:
        # Inside the restructuring transaction; a concurrent officer's action makes the
        # compare-and-set miss, and the whole restructuring rolls back for a new preview.
        if not await Grievance.filter(id=g.id, version=g.version).update(**changes, version=g.version + 1,
                                                                          updated_at=now):
            from backend.core.errors import DomainError, ErrorCode

            raise DomainError(ErrorCode.CHANGED_MEANWHILE, f"Grievance {g.number} changed meanwhile; preview again")
        await record(object_type=OBJECT_TYPE, object_id=g.id, action="restructure_move", actor=actor, now=now,
                     unit_id=unit_id, role="system", from_state=g.status.value, to_state=g.status.value,
                     data={**data, "visibility": "internal"})


def register() -> None:
    pending_work.register(GrievanceWork())
