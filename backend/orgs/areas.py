"""Places a citizen can pick when filing: the districts, then a district's blocks.

Derived from the organisation tree (public information: which offices serve which
areas). Several departments have an office for the same district, so choices are
distinct by area code, named after the shallowest office that serves the code.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit


@dataclass(frozen=True)
class Area:
    code: str
    names: dict[str, str]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.code


def _distinct(units: list[Unit], exclude: str = "") -> list[Area]:
    seen: dict[str, Area] = {}
    for unit in sorted(units, key=lambda u: (u.depth, u.id)):
        for code in unit.area_codes or []:
            if code != exclude and code not in seen:
                seen[code] = Area(code, dict(unit.names or {}))
    return sorted(seen.values(), key=lambda a: a.name("en"))


async def filing_areas(parent_code: str = "") -> list[Area]:
    """Districts (no parent), or the areas of the offices under the district's offices."""
    if not parent_code:
        return _distinct(list(await Unit.filter(active=True, kind=UnitKind.DISTRICT)))
    parents = [u for u in await Unit.filter(active=True, kind=UnitKind.DISTRICT) if parent_code in (u.area_codes or [])]
    if not parents:
        return []
    children = await Unit.filter(active=True, parent_id__in=[u.id for u in parents])
    return _distinct(list(children), exclude=parent_code)
