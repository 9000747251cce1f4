"""Conflict of interest (F13): a grievance against an officer or a unit goes one level
above them, and nothing moves it back under them.

The units it may not be with ("barred"): the unit it is against and everything below it,
and each unit where the named officer holds a role now (read when it moves, so the bar
follows an officer posted elsewhere) - that office itself, not the offices below a
supervisor, who simply never sees it. Who may *see* it is
`backend.authz.policy.in_conflict`, applied by `backend.grievances.access`.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.accounts.models import Membership
from backend.authz.policy import parent_path
from backend.core.errors import DomainError, ErrorCode, FieldError
from backend.grievances.models import Grievance
from backend.orgs.models import Unit


@dataclass(frozen=True)
class Bar:
    path: str
    subtree: bool

    def covers(self, path: str) -> bool:
        return path.startswith(self.path) if self.subtree else path == self.path


async def bars(against_officer_id: int | None, against_unit_id: int | None) -> list[Bar]:
    found: list[Bar] = []
    if against_unit_id is not None:
        found += [Bar(str(p), True) for p in await Unit.filter(id=against_unit_id).values_list("path", flat=True)]
    if against_officer_id is not None:
        found += [Bar(str(p), False) for p in await Membership.filter(user_id=against_officer_id, active=True)
                  .values_list("unit__path", flat=True)]
    return sorted(set(found), key=lambda b: len(b.path))


def is_barred(path: str, barred: list[Bar]) -> bool:
    return any(b.covers(path) for b in barred)


async def clear_of(unit: Unit, barred: list[Bar]) -> Unit:
    """The unit itself if it is not barred, else the nearest unit above it that is not;
    the root stays the root (the people it is against still never see it there)."""
    path = unit.path
    while is_barred(path, barred) and parent_path(path) != path:
        path = parent_path(path)
    if path == unit.path:
        return unit
    return await Unit.get(id=int(path.strip("/").split("/")[-1]))


async def check_may_hold(g: Grievance, unit: Unit, field: str = "unitId") -> None:
    """Refuse to move the grievance to a unit it is against (or its officer's)."""
    barred = await bars(g.against_officer_id, g.against_unit_id)  # type: ignore[attr-defined]
    if is_barred(unit.path, barred):
        raise DomainError(ErrorCode.CONFLICT_OF_INTEREST,
                          f"The grievance is against {unit.code} or an officer there; it is decided above them",
                          [FieldError(field, "the grievance is against this office or one of its officers")])


def check_may_assign(g: Grievance, officer_id: int) -> None:
    if g.against_officer_id is not None and g.against_officer_id == officer_id:  # type: ignore[attr-defined]
        raise DomainError(ErrorCode.CONFLICT_OF_INTEREST, "The grievance is against this officer",
                          [FieldError("officerId", "the grievance is against this officer")])


async def clear_for(g: Grievance, unit: Unit) -> Unit:
    """Where the grievance goes instead of `unit` (a dispute's department, an appellate
    authority) when it is against that unit or an officer there: the nearest unit above."""
    if g.against_officer_id is None and g.against_unit_id is None:  # type: ignore[attr-defined]
        return unit
    return await clear_of(unit, await bars(g.against_officer_id, g.against_unit_id))  # type: ignore[attr-defined]


async def without_conflicted(grievance_id: int, staff_ids: list[int]) -> list[int]:
    """The officials among `staff_ids` the grievance is not against: not the named
    officer, nor anyone holding a role at the office it is against or below it."""
    marks = await Grievance.filter(id=grievance_id).values_list("against_officer_id", "against_unit_id")
    if not marks or marks[0] == (None, None):
        return staff_ids
    officer_id, unit_id = marks[0]
    barred = {officer_id} if officer_id is not None else set()
    if unit_id is not None:
        barred |= set(await Membership.filter(user_id__in=staff_ids, active=True, unit__path__contains=f"/{unit_id}/")
                      .values_list("user_id", flat=True))
    return [i for i in staff_ids if i not in barred]
