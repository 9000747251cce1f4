"""The grievance domain's enums as GraphQL enums (registered once, used by every type)."""

from __future__ import annotations

import strawberry

from backend.grievances.channels import Channel
from backend.grievances.kinds import ReportKind, ReportOutcome, ReviewDecision, Visibility
from backend.grievances.states import Action, RejectionReason, Stage, State

GrievanceStatus = strawberry.enum(State, name="GrievanceStatus", description="Where a grievance is in its lifecycle.")
GrievanceStage = strawberry.enum(Stage, name="GrievanceStage", description="The clock that runs now.")
ChannelEnum = strawberry.enum(Channel, name="Channel", description="How the grievance arrived.")
RejectionReasonEnum = strawberry.enum(RejectionReason, name="RejectionReason")
ReportKindEnum = strawberry.enum(ReportKind, name="ReportKind")
ReportOutcomeEnum = strawberry.enum(ReportOutcome, name="ReportOutcome")
ReviewDecisionEnum = strawberry.enum(ReviewDecision, name="ReviewDecision")
VisibilityEnum = strawberry.enum(Visibility, name="Visibility", description="Who may read it: citizen or staff only.")
GrievanceActionEnum = strawberry.enum(Action, name="GrievanceAction")
