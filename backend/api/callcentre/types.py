"""GraphQL types of the call-centre feedback queue."""

from __future__ import annotations

from datetime import datetime

import strawberry

from backend.api.feedback.resolvers import Feedback
from backend.api.grievances.types import Grievance
from backend.callcentre.models import CallStatus
from backend.callcentre.models import FeedbackCall as FeedbackCallModel
from backend.callcentre.services import AgentFigures, CallOutcome
from backend.grievances.models import Grievance as GrievanceModel

CallStatusEnum = strawberry.enum(CallStatus, name="FeedbackCallStatus")


@strawberry.type(description="A call to the citizen about one disposal (grievance and round).")
class FeedbackCall:
    id: strawberry.ID
    round: int
    status: CallStatus
    attempts: int
    sensitive: bool
    closed_at: datetime
    next_attempt_at: datetime
    lease_until: datetime | None = strawberry.field(description="Until when the claiming agent holds it.")
    grievance: Grievance

    @classmethod
    def from_model(cls, call: FeedbackCallModel, grievance: GrievanceModel) -> FeedbackCall:
        return cls(id=strawberry.ID(str(call.id)), round=call.round, status=call.status, attempts=call.attempts,
                   sensitive=call.sensitive, closed_at=call.closed_at, next_attempt_at=call.next_attempt_at,
                   lease_until=call.lease_until, grievance=Grievance.from_model(grievance))


@strawberry.type
class FeedbackCallQueue:
    items: list[FeedbackCall]


@strawberry.type
class FeedbackCallClaimSuccess:
    call: FeedbackCall


@strawberry.type
class FeedbackCallRecordSuccess:
    call: FeedbackCall
    grievance: Grievance
    feedback: Feedback | None = strawberry.field(description="Recorded when the citizen was reached.")

    @classmethod
    def from_outcome(cls, outcome: CallOutcome) -> FeedbackCallRecordSuccess:
        return cls(call=FeedbackCall.from_model(outcome.call, outcome.grievance),
                   grievance=Grievance.from_model(outcome.grievance),
                   feedback=Feedback.from_model(outcome.feedback) if outcome.feedback else None)


@strawberry.type(description="An agent's own calls in a period.")
class CallFigures:
    calls: int
    reached: int
    satisfied: int = strawberry.field(description="Reached citizens who said the grievance was resolved.")

    @classmethod
    def from_figures(cls, figures: AgentFigures) -> CallFigures:
        return cls(calls=figures.calls, reached=figures.reached, satisfied=figures.satisfied)
