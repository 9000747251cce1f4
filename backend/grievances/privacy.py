"""The citizen's contact details: shown to whoever is handling the grievance now,
masked for every other official who may see it, and every view of them by an official
recorded (F13: a complaint against the police or a local official can put the citizen
at risk if their number travels).

Handling now means: a casework role (not an administrator's, not a call-centre agent's)
at the office holding it (or acting on it, or reviewing its report, or to which it was
escalated), being the officer it is assigned to, having
filed it for the citizen, or being the call-centre agent on its feedback call. Anyone
else who may see the grievance (the levels above, a department watching its figures)
sees a masked number and address, and the name too when the grievance is sensitive; they
can still reveal the details, with a recorded reason (`reveal_contact`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError

from backend.accounts.roles import Role
from backend.audit.services import record
from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.core.validation import check_text
from backend.grievances.access import get_visible
from backend.grievances.models import Grievance
from backend.grievances.states import State

OBJECT_TYPE = "grievance_contact"
# Roles that do no casework at the office holding a grievance: administrators, and
# call-centre agents (who handle a grievance only while on its feedback call).
NOT_CASEWORK = frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN, Role.CALL_CENTRE_AGENT})
HIDDEN = "(hidden)"


@dataclass(frozen=True)
class Contact:
    name: str
    mobile: str
    email: str
    address: str
    masked: bool


def mask_mobile(mobile: str) -> str:
    """The first two and last two digits, the rest as X: enough to tell two callers apart, not to call."""
    if len(mobile) <= 4:
        return "X" * len(mobile)
    return mobile[:2] + "X" * (len(mobile) - 4) + mobile[-2:]


def mask_email(email: str) -> str:
    local, at, domain = email.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else ("***" if email else "")


def mask_name(name: str) -> str:
    return " ".join(f"{part[:1]}." for part in name.split()) if name else ""


def handling_units(g: Grievance) -> set[int]:
    units = {g.unit_id, g.acting_unit_id, g.escalated_to_id}  # type: ignore[attr-defined]
    if g.status is State.UNDER_REVIEW and 0 <= g.review_level < len(g.review_chain):
        units.add(g.review_chain[g.review_level])
    return {u for u in units if u is not None}


async def handles(actor: Actor, g: Grievance, now: datetime) -> bool:
    if actor.kind is ActorKind.SYSTEM:
        return True
    if actor.kind is ActorKind.CITIZEN:
        return bool(g.citizen_id == actor.id)  # type: ignore[attr-defined]
    if actor.kind is not ActorKind.STAFF or actor.id is None:
        return False
    if g.assigned_officer_id == actor.id:  # type: ignore[attr-defined]
        return True
    if g.filed_by_kind == ActorKind.STAFF.value and g.filed_by_id == actor.id:
        return True
    units = handling_units(g)
    if any(grant.unit_id in units and grant.role not in NOT_CASEWORK for grant in actor.grants):
        return True
    from backend.callcentre.models import CallStatus, FeedbackCall  # lazily: callcentre imports grievances

    return await FeedbackCall.exists(grievance_id=g.id, claimed_by_id=actor.id, status=CallStatus.CLAIMED,
                                     lease_until__gte=now)


def _clear(g: Grievance) -> Contact:
    return Contact(g.citizen_name, g.citizen_mobile, g.citizen_email, g.citizen_address, masked=False)


def _masked(g: Grievance) -> Contact:
    return Contact(mask_name(g.citizen_name) if g.sensitive else g.citizen_name, mask_mobile(g.citizen_mobile),
                   mask_email(g.citizen_email), HIDDEN if g.citizen_address else "", masked=True)


async def contact_for(actor: Actor, g: Grievance, *, now: datetime) -> Contact:
    """The details this actor sees; an official's view of them in clear is recorded."""
    if not await handles(actor, g, now):
        return _masked(g)
    if actor.kind is ActorKind.STAFF:
        await _log(actor, g, "contact_viewed", now, {})
    return _clear(g)


async def _log(actor: Actor, g: Grievance, action: str, now: datetime, data: dict[str, object]) -> None:
    # Views are read-side events: two officials opening the case at the same moment race
    # for the chain's next sequence number, and the loser simply appends after the winner.
    for attempt in range(3):
        try:
            await record(object_type=OBJECT_TYPE, object_id=g.id, action=action, actor=actor, now=now,
                         unit_id=g.unit_id, data=data)  # type: ignore[attr-defined]
            return
        except IntegrityError:
            if attempt == 2:
                raise


async def reveal_contact(actor: Actor, grievance_id: int, *, reason: str, now: datetime) -> Contact:
    """An official who may see the grievance but is not handling it reads the details,
    saying why; the reason is kept with the record of the view."""
    errors: list[FieldError] = []
    reason = check_text("reason", reason, errors, max_length=500)
    if errors:
        raise validation_error(errors)
    if actor.kind is not ActorKind.STAFF:
        raise DomainError(ErrorCode.FORBIDDEN, "Only officials reveal a citizen's contact details")
    g = await get_visible(actor, grievance_id)
    await _log(actor, g, "contact_revealed", now, {"reason": reason})
    return _clear(g)
