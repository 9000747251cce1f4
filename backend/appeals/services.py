"""Appeals (F8): the citizen appeals a closure or a rejection within the window; the
appellate authority upholds it with reasons or reopens it with directions.

The appellate authority is configured on units (`Unit.appellate_authority`): the
designated office's, else the nearest unit's above it. The appeal has its own clock
(`Stage.APPEAL_DECISION`, 30 days by default) and a fresh round of the escalation
ladder, so a missed appeal clock escalates like any other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.core.validation import check_text
from backend.feedback.services import reopen_changes
from backend.grievances import conflicts
from backend.grievances.access import get_visible
from backend.grievances.models import Grievance
from backend.grievances.services import inform_citizen, load_for_action
from backend.grievances.states import Action, State
from backend.grievances.transitions import commit, decide
from backend.notifications.recipients import tell_staff
from backend.orgs.models import Unit
from backend.rts import services as rts
from backend.settings import Settings
from backend.sla.policies import ids_of


async def appellate_authority_for(g: Grievance) -> Unit:
    office = await Unit.get(id=g.acting_unit_id or g.unit_id)  # type: ignore[attr-defined]
    return await appellate_authority_above(office)


async def appellate_authority_above(unit: Unit) -> Unit:
    """The authority configured on the unit, else on the nearest unit above it; never the
    unit itself (which also gives the Right-to-Service second appeal: the appellate
    authority above the first one)."""
    units = {u.id: u for u in await Unit.filter(id__in=ids_of(unit.path))}
    for unit_id in reversed(ids_of(unit.path)):
        authority_id = units[unit_id].appellate_authority_id  # type: ignore[attr-defined]
        if authority_id is not None and authority_id != unit.id:
            authority = await Unit.get(id=authority_id)
            if authority.active:
                return authority
    raise DomainError(ErrorCode.CONFLICT, f"No appellate authority is configured above {unit.name()}; contact the "
                                          "grievance cell")


def appeal_deadline(settings: Settings, g: Grievance) -> datetime | None:
    if g.status not in (State.CLOSED, State.REJECTED) or g.closed_at is None:
        return None
    return g.closed_at + timedelta(days=settings.appeal_window_days)


async def file_appeal(settings: Settings, actor: Actor, grievance_id: int, *, grounds: str, now: datetime) -> Grievance:
    if actor.kind is not ActorKind.CITIZEN:
        raise DomainError(ErrorCode.UNAUTHENTICATED if actor.kind is ActorKind.ANONYMOUS else ErrorCode.FORBIDDEN,
                          "Only the citizen who filed the grievance appeals")
    errors: list[FieldError] = []
    grounds = check_text("grounds", grounds, errors, max_length=5000)
    if errors:
        raise validation_error(errors)
    g = await get_visible(actor, grievance_id)
    decision = decide(actor, g, Action.APPEAL, g.unit_path)
    deadline = appeal_deadline(settings, g)
    if deadline is None or now > deadline:
        raise DomainError(ErrorCode.EXPIRED, f"An appeal is filed within {settings.appeal_window_days} days of "
                                             "disposal")
    authority = await conflicts.clear_for(g, await appellate_authority_for(g))
    async with in_transaction():
        await commit(g, decision, action=Action.APPEAL, actor=actor, now=now, unit_id=authority.id, note=grounds,
                     changes={"unit_id": authority.id, "unit_path": authority.path, "escalation_level": 0,
                              "escalation_round": g.escalation_round + 1, "escalated_to_id": None,
                              "disposal_due_at": None,
                              "visited": sorted({*g.visited, authority.id})},
                     data={"to_unit": authority.code})
        from backend.callcentre.services import close_moot_calls  # lazily: callcentre imports feedback

        await close_moot_calls(g, now)
    return g


async def decide_appeal(actor: Actor, grievance_id: int, *, reopen: bool, text: str,
                        expected_version: int | None = None, now: datetime) -> Grievance:
    """Uphold (with reasons) or reopen (with directions, back to the designated office)."""
    errors: list[FieldError] = []
    text = check_text("directions" if reopen else "reasons", text, errors, max_length=5000)
    if errors:
        raise validation_error(errors)
    g = await load_for_action(actor, grievance_id, expected_version)
    action = Action.APPEAL_REOPEN if reopen else Action.APPEAL_UPHOLD
    decision = decide(actor, g, action, g.unit_path)
    async with in_transaction():
        if reopen:
            # A Right-to-Service grievance goes back to the service's designated office;
            # any other to the office whose report was appealed, else where it entered.
            office = await rts.designated_office(g) or await Unit.get(
                id=g.acting_unit_id or g.intake_unit_id)  # type: ignore[attr-defined]
            event = await commit(g, decision, action=action, actor=actor, now=now, unit_id=office.id, note=text,
                                 changes=reopen_changes(g, office, g.assigned_officer_id),  # type: ignore[attr-defined]
                                 data={"to_unit": office.code})
            await inform_citizen(g, "grievance_reopened", event.id, now, office=office.name(g.language))
            if g.assigned_officer_id is not None:  # type: ignore[attr-defined]
                await tell_staff([g.assigned_officer_id], key=f"grievance:{g.id}:event:{event.id}",  # type: ignore[attr-defined]
                                 template="remanded_to_you",
                                 payload={"number": g.number, "grievance_id": g.id, "directions": text[:300]}, now=now)
        else:
            event = await commit(g, decision, action=action, actor=actor, now=now, note=text,
                                 changes={"closed_at": now})
            await inform_citizen(g, "appeal_upheld", event.id, now, reasons=text[:300])
        await rts.after_appeal_decision(g, reopened=reopen, now=now)
    return g
