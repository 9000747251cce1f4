"""What anyone may see without signing in (the `/public` page): aggregate figures and
rankings of the units at the top of the tree - counts, times and scores only, never a
grievance's text, a citizen's name or number, or an official's name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.orgs.models import Unit
from backend.stats.dashboard import Figures, Filters, check_period, figures_for
from backend.stats.ranking import Scored, rank_children

PUBLIC_DEPTH = 3  # the nation, states, their departments and districts, and districts within departments


@dataclass(frozen=True)
class PublicView:
    unit: Unit
    figures: Figures
    ranking: list[Scored]


async def public_view(unit_code: str | None, since: date, until: date, today: date) -> PublicView:
    check_period(since, until)
    if unit_code:
        unit = await Unit.get_or_none(code=unit_code.strip().upper(), active=True)
        if unit is None:
            raise validation_error([FieldError("unitCode", "no such unit")])
        if unit.depth > PUBLIC_DEPTH:
            raise DomainError(ErrorCode.FORBIDDEN, "Public figures are published down to districts and departments")
    else:
        unit = await Unit.filter(active=True).order_by("depth", "id").first()
        if unit is None:
            raise validation_error([FieldError("unitCode", "no units yet")])
    figures = await figures_for(unit.path, since, until, Filters(), today)
    children = await rank_children(unit, since, until, today) if unit.depth < PUBLIC_DEPTH else []
    return PublicView(unit, figures, children)
