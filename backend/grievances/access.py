"""Who may see a grievance, and which parties an actor acts as on it.

Citizens see their own grievances. Staff see a grievance that is, or once was, with a
unit their grant covers (`visited`), or that is assigned to them - unless it is against
them or against their unit (`policy.in_conflict`): then it does not exist for them on
any read path (the queries, the inbox and its search, subscriptions, the call queue),
since they all go through `may_view` or `current_scope_q`. Which actions they
may take is the state table's business (`states.transition`) given the parties this
module says they act as *at the unit that matters* for the action.
"""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Q

from backend.accounts.roles import SUBTREE_ROLES
from backend.authz.actors import Actor, ActorKind
from backend.authz.policy import conflict_unit_ids, in_conflict
from backend.core.errors import DomainError, ErrorCode, not_found
from backend.grievances.models import Grievance
from backend.grievances.states import Party
from backend.orgs.models import Unit


def parties_at(actor: Actor, unit_path: str) -> frozenset[Party]:
    """The parties the actor acts as for a unit: the roles of grants covering it."""
    if actor.kind is ActorKind.SYSTEM:
        return frozenset({Party.SYSTEM})
    if actor.kind is ActorKind.CITIZEN:
        return frozenset({Party.CITIZEN})
    if actor.kind is not ActorKind.STAFF:
        return frozenset()
    return frozenset(Party.of_role(g.role) for g in actor.grants if g.covers(unit_path))


def current_scope_q(actor: Actor) -> Q:
    """Grievances currently with a unit the actor covers, or assigned to them."""
    if actor.kind is ActorKind.SYSTEM:
        return Q()
    if actor.kind is ActorKind.CITIZEN:
        return Q(citizen_id=actor.id)
    if actor.kind is not ActorKind.STAFF:
        return Q(id__in=[])
    q = Q(assigned_officer_id=actor.id) | escalated_to_q(actor)
    for g in actor.grants:
        q |= Q(unit_path__startswith=g.unit_path) if g.role in SUBTREE_ROLES else Q(unit_id=g.unit_id)
    return q & conflict_free_q(actor)


def conflict_free_q(actor: Actor, prefix: str = "") -> Q:
    """Grievances not against the actor nor against a unit they answer to (`prefix`
    reaches the grievance from a related table, e.g. `grievance__`)."""
    if actor.kind is not ActorKind.STAFF:
        return Q()
    # NULL-safe: `NOT (col = x)` is NULL, not true, for a grievance against nobody.
    def q(lookup: str, value: Any) -> Q:
        return Q(**{f"{prefix}{lookup}": value})

    officer = q("against_officer_id__isnull", True) | ~q("against_officer_id", actor.id)
    unit = q("against_unit_id__isnull", True) | ~q("against_unit_id__in", sorted(conflict_unit_ids(actor)))
    return officer & unit


def escalated_to_q(actor: Actor) -> Q:
    """Grievances escalated to a unit where the actor holds a role (the "escalated to me" inbox)."""
    return Q(escalated_to_id__in=sorted({g.unit_id for g in actor.grants}))


async def may_view(actor: Actor, grievance: Grievance) -> bool:
    if actor.kind is ActorKind.SYSTEM:
        return True
    if actor.kind is ActorKind.CITIZEN:
        return bool(grievance.citizen_id == actor.id)  # type: ignore[attr-defined]
    if actor.kind is not ActorKind.STAFF or not actor.grants:
        return False
    if in_conflict(actor, grievance.against_officer_id, grievance.against_unit_id):  # type: ignore[attr-defined]
        return False
    if grievance.assigned_officer_id == actor.id:  # type: ignore[attr-defined]
        return True
    if grievance.filed_by_kind == ActorKind.STAFF.value and grievance.filed_by_id == actor.id:
        return True
    if any(g.covers(grievance.unit_path) for g in actor.grants):
        return True
    ids = {*grievance.visited, *grievance.review_chain, grievance.intake_unit_id}  # type: ignore[attr-defined]
    paths = await Unit.filter(id__in=list(ids)).values_list("path", flat=True)
    return any(g.covers(str(p)) for g in actor.grants for p in paths)


async def get_visible(actor: Actor, grievance_id: int) -> Grievance:
    """The grievance, or NOT_FOUND - also when it exists but the actor may not see it, so
    that ids cannot be probed."""
    if actor.kind is ActorKind.ANONYMOUS:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    grievance = await Grievance.get_or_none(id=grievance_id)
    if grievance is None or not await may_view(actor, grievance):
        raise not_found("Grievance")
    return grievance


async def get_visible_by_number(actor: Actor, number: str) -> Grievance:
    if actor.kind is ActorKind.ANONYMOUS:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    grievance = await Grievance.get_or_none(number=number.strip().upper())
    if grievance is None or not await may_view(actor, grievance):
        raise not_found("Grievance")
    return grievance
