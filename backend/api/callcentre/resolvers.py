"""The call-centre feedback queue over GraphQL: thin resolvers over `backend.callcentre`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from backend.api.callcentre.types import (
    CallFigures,
    FeedbackCall,
    FeedbackCallClaimSuccess,
    FeedbackCallQueue,
    FeedbackCallRecordSuccess,
)
from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.api.grievances.resolvers import wake_outbox
from backend.api.ids import int_id
from backend.api.limits import page_maximum, page_size
from backend.callcentre import services
from backend.grievances.models import Grievance as GrievanceModel

Info = strawberry.Info[Context, None]


@strawberry.type
class CallCentreQueries:
    @strawberry.field(description="Feedback calls due now that nobody holds, sensitive first, then oldest closure "
                                  f"(call-centre agents); `first` at most {page_maximum('Query', 'feedbackCallQueue')}.")
    async def feedback_call_queue(
        self, info: Info, first: int = 20
    ) -> Annotated[FeedbackCallQueue | OperationError, strawberry.union("FeedbackCallQueueResult")]:
        async def run() -> FeedbackCallQueue:
            limit = page_size(first, "Query", "feedbackCallQueue")
            calls = await services.queue(info.context.settings, info.context.actor, now=info.context.now, limit=limit)
            return FeedbackCallQueue(items=[FeedbackCall.from_model(c, c.grievance) for c in calls])

        return await as_data(run)

    @strawberry.field(description="Your own feedback calls from `since` until (not including) `until`.")
    async def my_call_figures(
        self, info: Info, since: datetime, until: datetime
    ) -> Annotated[CallFigures | OperationError, strawberry.union("CallFiguresResult")]:
        async def run() -> CallFigures:
            return CallFigures.from_figures(
                await services.agent_figures(info.context.actor, since=since, until=until))

        return await as_data(run)


@strawberry.type
class CallCentreMutations:
    @strawberry.mutation(description="Claim a feedback call for 15 minutes; of two agents at once, one wins.")
    async def feedback_call_claim(
        self, info: Info, id: strawberry.ID
    ) -> Annotated[FeedbackCallClaimSuccess | OperationError, strawberry.union("FeedbackCallClaimResult")]:
        async def run() -> FeedbackCallClaimSuccess:
            call = await services.claim(info.context.settings, info.context.actor, int_id(id), now=info.context.now)
            grievance = await GrievanceModel.get(id=call.grievance_id)  # type: ignore[attr-defined]
            return FeedbackCallClaimSuccess(call=FeedbackCall.from_model(call, grievance))

        return await as_data(run)

    @strawberry.mutation(description=(
        "Record a claimed call's outcome. Not reached: it returns to the queue in 2 hours (unreachable after 3 "
        "attempts). Reached: the citizen's answer is recorded as call-centre feedback; 'not resolved' on a "
        "closure disputes it. `recordingId`: your audio upload, attached to the grievance for staff only."))
    async def feedback_call_record(
        self, info: Info, id: strawberry.ID, reached: bool, resolved: bool | None = None, rating: int | None = None,
        remarks: str = "", recording_id: strawberry.ID | None = None,
    ) -> Annotated[FeedbackCallRecordSuccess | OperationError, strawberry.union("FeedbackCallRecordResult")]:
        async def run() -> FeedbackCallRecordSuccess:
            outcome = await services.record_outcome(
                info.context.settings, info.context.actor, int_id(id), reached=reached, resolved=resolved,
                rating=rating, remarks=remarks,
                recording_attachment_id=int_id(recording_id) if recording_id is not None else None,
                now=info.context.now)
            if outcome.feedback is not None:
                await wake_outbox(info)
            return FeedbackCallRecordSuccess.from_outcome(outcome)

        return await as_data(run)
