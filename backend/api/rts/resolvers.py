"""Right-to-Service actions over GraphQL: thin resolvers over `backend.rts.services`."""

from __future__ import annotations

from datetime import date

import strawberry

from backend.api.context import Context
from backend.api.grievances.resolvers import GrievanceResult, act
from backend.api.ids import int_id
from backend.rts import services as rts

Info = strawberry.Info[Context, None]


@strawberry.type
class RtsMutations:
    @strawberry.mutation(description="The designated officer records that the citizen has not applied for the "
                                     "service through the proper channel: 30 days to help them apply.")
    async def rts_record_not_applied(self, info: Info, id: strawberry.ID, note: str,
                                     expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: rts.record_not_applied(info.context.actor, int_id(id), note=note,
                                                               expected_version=expected_version, now=info.context.now))

    @strawberry.mutation(description="The interim reply with the application's details; the service's own "
                                     "timeline starts from the application.")
    async def rts_record_application(self, info: Info, id: strawberry.ID, application_number: str,
                                     reply: str, applied_on: date | None = None,
                                     expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: rts.record_application(
            info.context.actor, int_id(id), application_number=application_number, applied_on=applied_on,
            reply=reply, expected_version=expected_version, now=info.context.now))
