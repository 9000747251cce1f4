"""The filing form's place pickers (public, thin)."""

from __future__ import annotations

import strawberry

from backend.api.context import Context
from backend.orgs.areas import filing_areas

Info = strawberry.Info[Context, None]


@strawberry.type(description="A place a grievance can be about: its area code and name.")
class FilingArea:
    code: str
    name: str


@strawberry.type
class AreaQueries:
    @strawberry.field(description="Districts, or (with parentCode) a district's blocks, for the filing form.")
    async def filing_areas(self, info: Info, parent_code: str = "", language: str = "en") -> list[FilingArea]:
        areas = await filing_areas(parent_code.strip()[:128])
        return [FilingArea(code=a.code, name=a.name(language[:8])) for a in areas]
