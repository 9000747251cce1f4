"""The automatic appeal of seed 002: a Right-to-Service deadline that passes files the
appeal to the first appellate authority, and that authority's own deadline passing
files it to the second.

Like the escalation sweep, it reads only due rows through an index, locks a batch with
SKIP LOCKED on PostgreSQL, and writes by compare-and-set, so several workers and
reruns act exactly once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from tortoise.expressions import F, Subquery
from tortoise.transactions import in_transaction

from backend.accounts.models import Membership
from backend.appeals.services import appellate_authority_above, appellate_authority_for
from backend.authz.actors import SYSTEM
from backend.core.errors import DomainError, ErrorCode
from backend.core.sweeping import locked_batch, sweep
from backend.grievances import conflicts, services
from backend.grievances.models import Grievance
from backend.grievances.states import RTS_APPEALABLE, TERMINAL, Action, State
from backend.grievances.transitions import commit, decide
from backend.notifications.recipients import tell_staff
from backend.orgs.models import Unit
from backend.rts.models import RtsCase
from backend.sla.sweeps import nodal_officers_for

log = logging.getLogger(__name__)

BATCH = 200
LAST_LEVEL = 2
APPEALED, ADOPTED, CLEARED, SKIPPED = "appealed", "adopted", "cleared", "skipped"
# Rows the sweep can settle now; a grievance waiting on the citizen keeps its due time
# until the citizen replies (the citizen's turn stops every clock).
_SETTLEABLE = sorted({*RTS_APPEALABLE, *TERMINAL})


async def auto_appeal_due(now: datetime, *, batch: int = BATCH) -> int:
    """File every appeal whose Right-to-Service deadline has passed; returns how many."""
    due = RtsCase.filter(due_at__lte=now, grievance_id__in=Subquery(
        Grievance.filter(status__in=_SETTLEABLE).values("id"))).order_by("due_at", "id").limit(batch)
    return await sweep(lambda: locked_batch(due), lambda case: _settle(case, now), batch=batch, counted=APPEALED,
                       skipped=SKIPPED)


async def _clear(case: RtsCase, now: datetime) -> str:
    done = await RtsCase.filter(id=case.id, version=case.version).update(
        due_at=None, version=F("version") + 1, updated_at=now)
    return CLEARED if done else SKIPPED


async def _settle(case: RtsCase, now: datetime) -> str:
    g = await Grievance.get(id=case.grievance_id)  # type: ignore[attr-defined]
    if g.status in TERMINAL or case.appeal_level >= LAST_LEVEL:
        return await _clear(case, now)
    if g.status is State.APPEALED and case.appeal_level == 0:
        # The citizen appealed a disposal before the deadline passed: that is the first
        # appeal, and its decision deadline is the one that files the second.
        done = await RtsCase.filter(id=case.id, version=case.version).update(
            appeal_level=1, first_authority_id=g.unit_id, due_at=g.due_at,  # type: ignore[attr-defined]
            version=F("version") + 1, updated_at=now)
        return ADOPTED if done else SKIPPED
    try:
        return await _appeal(case, g, now)
    except DomainError as error:
        # No authority configured, or an officer acted meanwhile: the stage clocks and the
        # escalation ladder still watch the grievance; say so in the log.
        log.warning("automatic RTS appeal of %s not filed: %s", g.number, error.message)
        if error.code is ErrorCode.CHANGED_MEANWHILE:
            return SKIPPED
        return await _clear(case, now)


async def _authority(case: RtsCase, g: Grievance) -> Unit:
    if case.appeal_level == 0:
        return await appellate_authority_for(g)
    # The second appeal lies with the appellate authority above the first one (which
    # may have sent the grievance back to the office meanwhile).
    first = await Unit.get(id=case.first_authority_id or g.unit_id)  # type: ignore[attr-defined]
    return await appellate_authority_above(first)


async def _appeal(case: RtsCase, g: Grievance, now: datetime) -> str:
    authority = await conflicts.clear_for(g, await _authority(case, g))
    level = case.appeal_level + 1
    decision = decide(SYSTEM, g, Action.RTS_APPEAL, g.unit_path)
    office_id = case.office_id or g.unit_id  # type: ignore[attr-defined]
    missed = case.due_at or now
    async with in_transaction():
        event = await commit(
            g, decision, action=Action.RTS_APPEAL, actor=SYSTEM, now=now, unit_id=authority.id,
            changes={"unit_id": authority.id, "unit_path": authority.path, "escalation_level": 0,
                     "escalation_round": g.escalation_round + 1, "escalated_to_id": None, "escalated_at": None,
                     "disposal_due_at": None, "visited": sorted({*g.visited, authority.id})},
            note=f"Appealed automatically to {authority.name()}: the Right-to-Service deadline passed",
            data={"level": level, "to_unit": authority.code, "missed_due_at": missed.isoformat()},
        )
        first = {"first_authority_id": authority.id} if level == 1 else {}
        done = await RtsCase.filter(id=case.id, version=case.version).update(
            appeal_level=level, office_id=office_id, due_at=g.due_at if level < LAST_LEVEL else None,
            version=F("version") + 1, updated_at=now, **first)
        if not done:  # an officer's use case wrote the case meanwhile: undo, retry next sweep
            raise DomainError(ErrorCode.CHANGED_MEANWHILE, "the Right-to-Service case changed meanwhile")
        await services.inform_citizen(g, "rts_appealed", event.id, now, authority=authority.name(g.language),
                                      level=level)
        await tell_staff(await _staff_to_tell(authority), key=f"rts-appeal:{g.id}:{level}", template="rts_appeal_to_you",
                         payload={"number": g.number, "grievance_id": g.id, "level": level, "event": event.id},
                         now=now)
    return APPEALED


async def _staff_to_tell(authority: Unit) -> list[int]:
    rows: list[int] = await Membership.filter(active=True, unit_id=authority.id).values_list(  # type: ignore[assignment]
        "user_id", flat=True)
    return sorted({int(u) for u in rows} | set(await nodal_officers_for(authority.path)))
