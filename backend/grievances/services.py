"""Moving and triaging grievances (F4): register, allot, transfer, "not ours", assign,
reject, link a duplicate, ask the citizen for information, the citizen's reply, comments.

Each function is one use case: it loads what the actor may see, asks the state table
(through `transitions.decide`) whether the actor may act for the unit that matters, and
writes the transition, its audit event and its outbox rows in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from backend.accounts.models import Membership, StaffUser
from backend.accounts.roles import Role
from backend.attachments import services as attachments
from backend.authz.actors import SYSTEM, Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.core.validation import check_text
from backend.feedback import links as feedback_links
from backend.grievances import conflicts
from backend.grievances.access import get_visible, parties_at
from backend.grievances.kinds import Visibility
from backend.grievances.models import Grievance
from backend.grievances.states import (
    ALLOTTERS,
    NOT_FOR_RIGHT_TO_SERVICE,
    Action,
    Party,
    RejectionReason,
    State,
)
from backend.grievances.transitions import check_version, commit, decide
from backend.notifications.recipients import tell_citizen, tell_staff
from backend.orgs.models import Unit
from backend.rts.guards import refuse_return


async def load_for_action(actor: Actor, grievance_id: int, expected_version: int | None) -> Grievance:
    grievance = await get_visible(actor, grievance_id)
    check_version(grievance, expected_version)
    return grievance


def _note(raw: str, errors: list[FieldError], *, required: bool = False, field: str = "note") -> str:
    return check_text(field, raw, errors, max_length=4000, required=required)


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise validation_error(errors)


async def register(actor: Actor, grievance_id: int, *, note: str = "", expected_version: int | None = None,
                   now: datetime) -> Grievance:
    errors: list[FieldError] = []
    note = _note(note, errors)
    _raise(errors)
    g = await load_for_action(actor, grievance_id, expected_version)
    decision = decide(actor, g, Action.REGISTER, g.unit_path)
    async with in_transaction():
        await commit(g, decision, action=Action.REGISTER, actor=actor, now=now, note=note,
                     visibility=Visibility.INTERNAL)
    return g


async def _active_unit(unit_id: int, field: str) -> Unit:
    unit = await Unit.get_or_none(id=unit_id, active=True)
    if unit is None:
        raise validation_error([FieldError(field, "no such active unit")])
    return unit


def _moved_to(g: Grievance, target: Unit) -> dict[str, object]:
    return {
        "unit_id": target.id, "unit_path": target.path, "assigned_officer_id": None,
        "route": [*g.route, g.unit_id],  # type: ignore[attr-defined]
        "visited": sorted({*g.visited, target.id}),
    }


async def allot(actor: Actor, grievance_id: int, *, unit_id: int, note: str = "", expected_version: int | None = None,
                now: datetime) -> Grievance:
    """The cell (or whoever holds it for triage) sends it to the office concerned, anywhere
    within the actor's own jurisdiction."""
    return await _move(actor, grievance_id, Action.ALLOT, unit_id, note, expected_version, now)


async def transfer(actor: Actor, grievance_id: int, *, unit_id: int, note: str = "",
                   expected_version: int | None = None, now: datetime) -> Grievance:
    """Down the holder's subtree only: a district sends it to one of its blocks."""
    return await _move(actor, grievance_id, Action.TRANSFER, unit_id, note, expected_version, now)


async def _move(actor: Actor, grievance_id: int, action: Action, unit_id: int, note: str,
                expected_version: int | None, now: datetime) -> Grievance:
    errors: list[FieldError] = []
    note = _note(note, errors)
    _raise(errors)
    g = await load_for_action(actor, grievance_id, expected_version)
    decision = decide(actor, g, action, g.unit_path)
    target = await _active_unit(unit_id, "unitId")
    if action is Action.TRANSFER:
        if target.path == g.unit_path or not target.path.startswith(g.unit_path):
            raise validation_error([FieldError("unitId", "transfer goes down the tree: choose a unit under the "
                                                         "current office")])
    elif target.id == g.unit_id:  # type: ignore[attr-defined]
        raise validation_error([FieldError("unitId", "the grievance is already with this unit")])
    elif actor.kind is not ActorKind.SYSTEM and not parties_at(actor, target.path) & ALLOTTERS:
        raise DomainError(ErrorCode.FORBIDDEN, f"You may not allot to {target.code}: it is outside your jurisdiction")
    await conflicts.check_may_hold(g, target)
    async with in_transaction():
        event = await commit(g, decision, action=action, actor=actor, now=now, unit_id=target.id,
                             changes=_moved_to(g, target), note=note,
                             data={"from_unit": g.unit_id, "to_unit": target.code})  # type: ignore[attr-defined]
        await inform_citizen(g, "grievance_allotted", event.id, now, office=target.name(g.language))
    return g


async def not_ours(actor: Actor, grievance_id: int, *, right_authority: str, suggested_unit_id: int | None = None,
                   note: str = "", expected_version: int | None = None, now: datetime,
                   report_id: int | None = None) -> Grievance:
    """Back to whoever allotted it, naming the authority it concerns; never a closure."""
    errors: list[FieldError] = []
    authority = check_text("rightAuthority", right_authority, errors, max_length=500)
    note = _note(note, errors)
    suggested = None
    if suggested_unit_id is not None:
        suggested = await Unit.get_or_none(id=suggested_unit_id, active=True)
        if suggested is None:
            errors.append(FieldError("suggestedUnitId", "no such active unit"))
    _raise(errors)
    g = await load_for_action(actor, grievance_id, expected_version)
    decision = decide(actor, g, Action.NOT_OURS, g.unit_path)
    await refuse_return(g)
    back_id = g.route[-1] if g.route else g.intake_unit_id  # type: ignore[attr-defined]
    back = await Unit.get(id=back_id)
    if not back.active:
        back = await Unit.get(id=g.intake_unit_id)  # type: ignore[attr-defined]
    # Never back under whom it is against (a unit marked as such is never on its route,
    # but a named officer may have been posted there since).
    back = await conflicts.clear_of(back, await conflicts.bars(g.against_officer_id, g.against_unit_id))  # type: ignore[attr-defined]
    async with in_transaction():
        await commit(
            g, decision, action=Action.NOT_OURS, actor=actor, now=now,
            changes={"unit_id": back.id, "unit_path": back.path, "assigned_officer_id": None, "route": g.route[:-1],
                     "visited": sorted({*g.visited, back.id})},
            note=note, data={"right_authority": authority, "suggested_unit": suggested.code if suggested else "",
                             "from_unit": g.unit_id, "to_unit": back.code, "report": report_id},  # type: ignore[attr-defined]
        )
    return g


async def assign(actor: Actor, grievance_id: int, *, officer_id: int, note: str = "",
                 expected_version: int | None = None, now: datetime) -> Grievance:
    errors: list[FieldError] = []
    note = _note(note, errors)
    _raise(errors)
    g = await load_for_action(actor, grievance_id, expected_version)
    decision = decide(actor, g, Action.ASSIGN, g.unit_path)
    conflicts.check_may_assign(g, officer_id)
    officer = await StaffUser.get_or_none(id=officer_id, active=True)
    if officer is None or not await Membership.exists(
        user_id=officer_id, unit_id=g.unit_id, active=True, role__in=[Role.OFFICER, Role.NODAL_OFFICER]  # type: ignore[attr-defined]
    ):
        raise validation_error([FieldError("officerId", "must be an active officer of the office holding the grievance")])
    async with in_transaction():
        event = await commit(g, decision, action=Action.ASSIGN, actor=actor, now=now,
                             changes={"assigned_officer_id": officer.id}, note=note,
                             data={"officer": officer.id, "officer_name": officer.full_name})
        await tell_assigned(g, officer.id, event.id, now)
    return g


async def tell_assigned(g: Grievance, officer_id: int, event_id: int, now: datetime) -> None:
    await tell_staff([officer_id], key=f"grievance:{g.id}:event:{event_id}", template="assigned_to_you",
                     payload={"number": g.number, "grievance_id": g.id,
                              "due_at": g.due_at.isoformat() if g.due_at else ""}, now=now)


async def reject(actor: Actor, grievance_id: int, *, reason: RejectionReason, note: str,
                 expected_version: int | None = None, now: datetime) -> Grievance:
    errors: list[FieldError] = []
    note = _note(note, errors, required=True)
    _raise(errors)
    g = await load_for_action(actor, grievance_id, expected_version)
    decision = decide(actor, g, Action.REJECT, g.unit_path)
    if g.right_to_service and reason in NOT_FOR_RIGHT_TO_SERVICE:
        raise validation_error([FieldError("reason", "a Right-to-Service grievance is never rejected because the "
                                                     "citizen has not applied; help them apply instead")])
    async with in_transaction():
        event = await commit(g, decision, action=Action.REJECT, actor=actor, now=now,
                             changes={"rejection_reason": reason, "closed_at": now}, note=note,
                             data={"reason": reason.value})
        await inform_citizen(g, "grievance_rejected", event.id, now, reason=reason.value.replace("_", " "),
                             **feedback_links.payload_for(g.id, g.escalation_round, now))
        from backend.callcentre.services import enqueue_call  # lazily: callcentre imports grievances

        await enqueue_call(g, now)
    return g


async def link_duplicate(actor: Actor, grievance_id: int, *, master_id: int, note: str = "",
                         expected_version: int | None = None, now: datetime) -> Grievance:
    errors: list[FieldError] = []
    note = _note(note, errors)
    _raise(errors)
    g = await load_for_action(actor, grievance_id, expected_version)
    decision = decide(actor, g, Action.LINK_DUPLICATE, g.unit_path)
    try:
        master = await get_visible(actor, master_id)
    except DomainError:
        raise validation_error([FieldError("masterId", "no such grievance that you may see")]) from None
    if master.status is State.LINKED and master.master_id:  # type: ignore[attr-defined]
        master = await Grievance.get(id=master.master_id)  # type: ignore[attr-defined]
    if master.id == g.id:
        raise validation_error([FieldError("masterId", "a grievance cannot be its own master")])
    if master.status is State.REJECTED:
        raise validation_error([FieldError("masterId", "the master grievance was rejected")])
    async with in_transaction():
        event = await commit(g, decision, action=Action.LINK_DUPLICATE, actor=actor, now=now,
                             changes={"master_id": master.id, "closed_at": now}, note=note,
                             data={"master": master.number})
        template = "master_closed" if master.status is State.CLOSED else "grievance_linked"
        await inform_citizen(g, template, event.id, now, master=master.number)
    return g


async def request_info(actor: Actor, grievance_id: int, *, question: str, expected_version: int | None = None,
                       now: datetime) -> Grievance:
    """Ask the citizen; the stage clock pauses until they reply (with the reason on record)."""
    errors: list[FieldError] = []
    question = check_text("question", question, errors, max_length=2000)
    _raise(errors)
    g = await load_for_action(actor, grievance_id, expected_version)
    decision = decide(actor, g, Action.REQUEST_INFO, g.unit_path)
    async with in_transaction():
        event = await commit(g, decision, action=Action.REQUEST_INFO, actor=actor, now=now, note=question,
                             data={"clock_paused": "waiting for the citizen's reply"})
        await inform_citizen(g, "info_requested", event.id, now)
    return g


async def citizen_reply(actor: Actor, grievance_id: int, *, text: str, attachment_ids: list[int] | None = None,
                        expected_version: int | None = None, now: datetime) -> Grievance:
    errors: list[FieldError] = []
    text = check_text("text", text, errors, max_length=5000)
    _raise(errors)
    g = await load_for_action(actor, grievance_id, expected_version)
    decision = decide(actor, g, Action.CITIZEN_REPLY, g.unit_path)
    async with in_transaction():
        if attachment_ids:
            await attachments.bind(actor, attachment_ids, grievance=g)
        await commit(g, decision, action=Action.CITIZEN_REPLY, actor=actor, now=now, note=text,
                     data={"attachments": attachment_ids or [], "clock_resumed": True})
    return g


async def comment(actor: Actor, grievance_id: int, *, text: str, visibility: Visibility = Visibility.INTERNAL,
                  now: datetime) -> Grievance:
    """A note on the case: internal (staff only) or for the citizen to read."""
    errors: list[FieldError] = []
    text = check_text("text", text, errors, max_length=4000)
    _raise(errors)
    g = await get_visible(actor, grievance_id)
    if actor.kind is ActorKind.CITIZEN:
        visibility = Visibility.CITIZEN
    # Anyone who may see the case may comment on it, in whatever role they hold.
    involved = frozenset(Party.of_role(grant.role) for grant in actor.grants)
    decision = decide(actor, g, Action.COMMENT, g.unit_path, extra_parties=involved)
    async with in_transaction():
        await commit(g, decision, action=Action.COMMENT, actor=actor, now=now, note=text, visibility=visibility)
    return g


async def inform_citizen(g: Grievance, template: str, event_id: int, now: datetime, **payload: object) -> None:
    """Queue the citizen's messages about an event on their channels, once per event."""
    await tell_citizen(citizen_id=g.citizen_id, key=f"grievance:{g.id}:event:{event_id}", template=template,  # type: ignore[attr-defined]
                       payload={"number": g.number, "grievance_id": g.id, "status": State(g.status).value, **payload},
                       mobile=g.citizen_mobile, email=g.citizen_email, language=g.language, now=now)


async def inform_linked_of_closure(master: Grievance, now: datetime) -> int:
    """Closing a master tells every linked filer (one event and message each)."""
    count = 0
    for linked in await Grievance.filter(master_id=master.id, status=State.LINKED):
        decision = decide(SYSTEM, linked, Action.MASTER_CLOSED, linked.unit_path)
        event = await commit(linked, decision, action=Action.MASTER_CLOSED, actor=SYSTEM, now=now,
                             data={"master": master.number})
        await inform_citizen(linked, "master_closed", event.id, now, master=master.number)
        count += 1
    return count


