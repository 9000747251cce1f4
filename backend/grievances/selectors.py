"""Reads: the staff inbox, a citizen's own grievances, the timeline and the reports.

The inbox is sorted by what is due first (no deadline last) with keyset pagination on
(due_at, id), so page N costs the same as page 1 however large the backlog.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.expressions import Q

from backend.accounts.models import StaffUser
from backend.audit.models import AuditEvent
from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.core.validation import normalise_mobile
from backend.grievances.access import current_scope_q, escalated_to_q
from backend.grievances.channels import Channel
from backend.grievances.kinds import ReportKind, Visibility
from backend.grievances.models import Grievance, Report
from backend.grievances.states import PENDING, Stage, State
from backend.grievances.transitions import OBJECT_TYPE
from backend.orgs.models import Unit

MAX_PAGE = 100


@dataclass
class InboxFilter:
    statuses: list[State] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    due_before: datetime | None = None
    overdue: bool = False
    escalated: bool = False
    escalated_to_me: bool = False
    category_id: int | None = None
    area_code: str = ""
    channel: Channel | None = None
    unit_id: int | None = None  # exactly at this unit (else: anywhere the actor covers)
    assigned_to_me: bool = False
    search: str = ""  # a grievance number, a mobile number or words of the subject


@dataclass(frozen=True)
class Page:
    items: list[Grievance]
    end_cursor: str | None
    has_next_page: bool


def _encode(due_at: datetime | None, grievance_id: int) -> str:
    raw = json.dumps([due_at.isoformat() if due_at else None, grievance_id])
    return base64.urlsafe_b64encode(raw.encode()).decode()


# Grievance ids are 64-bit: a larger number in a forged cursor would overflow the query.
_MAX_ID = 2**63 - 1


def _decode(cursor: str) -> tuple[datetime | None, int]:
    """What `_encode` wrote, or VALIDATION: a cursor is client input and may be forged."""
    try:
        due, gid = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        when = datetime.fromisoformat(due) if due is not None else None
        if (when is not None and when.utcoffset() is None) or type(gid) is not int or not 0 <= gid <= _MAX_ID:
            raise ValueError(cursor)
        return when, gid
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise validation_error([FieldError("after", "is not a cursor from this list")]) from None


def _first(first: int) -> int:
    if first < 1 or first > MAX_PAGE:
        raise validation_error([FieldError("first", f"must be between 1 and {MAX_PAGE}")])
    return first


async def inbox(actor: Actor, filters: InboxFilter, *, now: datetime, first: int = 25, after: str | None = None) -> Page:
    if actor.kind is ActorKind.ANONYMOUS:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    if actor.kind is not ActorKind.STAFF and actor.kind is not ActorKind.SYSTEM:
        raise DomainError(ErrorCode.FORBIDDEN, "The inbox is for staff")
    limit = _first(first)
    query = Grievance.filter(current_scope_q(actor))
    query = query.filter(status__in=filters.statuses or sorted(PENDING))
    if filters.stages:
        query = query.filter(stage__in=filters.stages)
    if filters.due_before:
        query = query.filter(due_at__lte=filters.due_before)
    if filters.overdue:
        query = query.filter(due_at__lt=now)
    if filters.escalated:
        query = query.filter(escalation_level__gt=0)
    if filters.escalated_to_me:
        query = query.filter(escalated_to_q(actor))
    if filters.category_id is not None:
        from backend.categories.models import Category

        category = await Category.get_or_none(id=filters.category_id)
        if category is None:
            raise validation_error([FieldError("categoryId", "no such category")])
        query = query.filter(category_path__startswith=category.path)
    if filters.area_code:
        code = filters.area_code.strip().upper()
        query = query.filter(Q(area_code=code) | Q(area_code__startswith=code + "-"))
    if filters.channel:
        query = query.filter(channel=filters.channel)
    if filters.unit_id is not None:
        query = query.filter(unit_id=filters.unit_id)
    if filters.assigned_to_me:
        query = query.filter(assigned_officer_id=actor.id)
    if filters.search.strip():
        query = query.filter(_search_q(filters.search))
    # NULLS LAST, portably: first the rows with a deadline in (due_at, id) order, then
    # those without one in id order; the cursor says which part a page continues.
    due, gid = _decode(after) if after else (None, 0)
    rows: list[Grievance] = []
    if not after or due is not None:
        dated = query.filter(due_at__isnull=False)
        if due is not None:
            dated = dated.filter(Q(due_at__gt=due) | Q(due_at=due, id__gt=gid))
        rows = await dated.order_by("due_at", "id").limit(limit + 1)
    if len(rows) <= limit:
        undated = query.filter(due_at__isnull=True)
        if after and due is None:
            undated = undated.filter(id__gt=gid)
        rows += await undated.order_by("id").limit(limit + 1 - len(rows))
    has_next = len(rows) > limit
    items = rows[:limit]
    cursor = _encode(items[-1].due_at, items[-1].id) if items else None
    return Page(items, cursor, has_next)


def _search_q(text: str) -> Q:
    text = text.strip()[:200]
    q = Q(number=text.upper()) | Q(subject__icontains=text)
    mobile = normalise_mobile(text)
    if mobile.isdigit() and len(mobile) == 10:
        q |= Q(citizen_mobile=mobile)
    return q


async def my_grievances(actor: Actor, *, first: int = 20, after: str | None = None) -> Page:
    if actor.kind is not ActorKind.CITIZEN:
        raise DomainError(ErrorCode.UNAUTHENTICATED if actor.kind is ActorKind.ANONYMOUS else ErrorCode.FORBIDDEN,
                          "Sign in with your mobile number to see your grievances")
    limit = _first(first)
    query = Grievance.filter(citizen_id=actor.id)
    if after:
        _, gid = _decode(after)
        query = query.filter(id__lt=gid)
    rows = await query.order_by("-id").limit(limit + 1)
    items = rows[:limit]
    return Page(items, _encode(None, items[-1].id) if items else None, len(rows) > limit)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    from_state: str
    to_state: str
    note: str
    role: str
    unit_name: str
    actor_name: str  # empty where policy hides staff identities from the citizen
    internal: bool
    data: dict[str, object]


async def timeline(actor: Actor, grievance: Grievance, language: str = "en", *,
                   citizen_name: str | None = None) -> list[TimelineEntry]:
    """The full trail for staff; for the citizen without internal notes, staff names or
    internal details (they see which office acted, not which person). `citizen_name` is
    the name as this viewer may see it (`privacy.contact_for`: initials on a sensitive
    grievance for officials not handling it); the stored name when not given."""
    events = await AuditEvent.filter(object_type=OBJECT_TYPE, object_id=str(grievance.id)).order_by("seq")
    citizen_view = actor.kind is ActorKind.CITIZEN
    unit_ids = {e.unit_id for e in events if e.unit_id is not None}
    units = {u.id: u for u in await Unit.filter(id__in=list(unit_ids))}
    staff_ids = {int(e.actor_id) for e in events if e.actor_kind == ActorKind.STAFF.value and e.actor_id.isdigit()}
    names = {} if citizen_view else dict(await StaffUser.filter(id__in=list(staff_ids)).values_list("id", "full_name"))
    entries = []
    for e in events:
        internal = (e.data or {}).get("visibility") == Visibility.INTERNAL.value
        if citizen_view and internal:
            entries.append(TimelineEntry(e.occurred_at, e.action, e.from_state, e.to_state, "", _role(e.actor_kind, e.actor_role),
                                         _unit_name(units, e.unit_id, language), "", True, {}))
            continue
        actor_name = ""
        if e.actor_kind == ActorKind.STAFF.value and not citizen_view:
            actor_name = str(names.get(int(e.actor_id), "")) if e.actor_id.isdigit() else ""
        elif e.actor_kind == ActorKind.CITIZEN.value:
            actor_name = grievance.citizen_name if citizen_name is None else citizen_name
        data = {} if citizen_view else {k: v for k, v in (e.data or {}).items() if k != "visibility"}
        entries.append(TimelineEntry(e.occurred_at, e.action, e.from_state, e.to_state, e.note,
                                     _role(e.actor_kind, e.actor_role), _unit_name(units, e.unit_id, language),
                                     actor_name, internal, data))
    return entries


def _role(kind: str, role: str) -> str:
    return role or kind


def _unit_name(units: dict[int, Unit], unit_id: int | None, language: str) -> str:
    unit = units.get(unit_id) if unit_id is not None else None
    return unit.name(language) if unit else ""


async def reports_of(actor: Actor, grievance: Grievance) -> list[Report]:
    """Citizens read the replies of final and interim reports; staff read everything."""
    reports = await Report.filter(grievance_id=grievance.id).order_by("id")
    if actor.kind is ActorKind.CITIZEN:
        return [r for r in reports if r.kind is not ReportKind.PRELIMINARY]
    return reports
