"""Grievance figures over GraphQL: disposed and resolved side by side (thin)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.api.ids import int_id
from backend.grievances import figures

Info = strawberry.Info[Context, None]


@strawberry.type(description="Counts for a unit's subtree and a period. 'disposed' counts closures and "
                             "rejections; 'resolved' only closures the citizen confirmed as resolved.")
class GrievanceFigures:
    received: int
    disposed: int
    closed: int
    rejected: int
    resolved: int
    not_resolved: int = strawberry.field(description="Closures upheld over the citizen's 'not resolved'.")
    pending: int
    disputed: int
    appealed: int


@strawberry.type
class FigureQueries:
    @strawberry.field(description="Figures of a unit's subtree for the period [since, until).")
    async def grievance_figures(
        self, info: Info, unit_id: strawberry.ID, since: datetime, until: datetime,
    ) -> Annotated[GrievanceFigures | OperationError, strawberry.union("GrievanceFiguresResult")]:
        async def run() -> GrievanceFigures:
            found = await figures.figures(info.context.actor, int_id(unit_id), since, until)
            return GrievanceFigures(**vars(found))

        return await as_data(run)
