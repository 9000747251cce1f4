"""Feedback, disputes and appeals over GraphQL: thin resolvers over `backend.feedback`
and `backend.appeals`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.api.grievances import enums  # noqa: F401  (registers GrievanceStatus)
from backend.api.grievances.resolvers import GrievanceResult, act, wake_outbox
from backend.api.grievances.types import Grievance
from backend.api.ids import int_id
from backend.appeals import services as appeals
from backend.feedback import services as feedback
from backend.feedback.models import Feedback as FeedbackModel
from backend.feedback.models import FeedbackSource
from backend.grievances.models import Grievance as GrievanceModel
from backend.grievances.states import State

Info = strawberry.Info[Context, None]
FeedbackSourceEnum = strawberry.enum(FeedbackSource, name="FeedbackSource")


@strawberry.type(description="Feedback on one disposal: from the citizen or a call-centre call.")
class Feedback:
    id: strawberry.ID
    source: FeedbackSource
    resolved: bool
    rating: int | None
    remarks: str
    created_at: datetime

    @classmethod
    def from_model(cls, item: FeedbackModel) -> Feedback:
        return cls(id=strawberry.ID(str(item.id)), source=item.source, resolved=item.resolved, rating=item.rating,
                   remarks=item.remarks, created_at=item.created_at)


@strawberry.type
class FeedbackSuccess:
    grievance: Grievance
    feedback: Feedback
    appeal_offered: bool = strawberry.field(description="A poor rating or 'not resolved' offers the appeal at once.")


@strawberry.type
class FeedbackList:
    items: list[Feedback]


@strawberry.type(description="What the feedback page shows for an SMS link: no personal details.")
class FeedbackLinkInfo:
    number: str
    subject: str
    status: State
    disposed_at: datetime | None
    expires_at: datetime
    already_given: bool


@strawberry.type
class FeedbackByLinkSuccess:
    number: str
    status: State
    feedback: Feedback
    appeal_offered: bool = strawberry.field(description="A poor rating or 'not resolved': the citizen may appeal "
                                                        "after signing in with their mobile.")


def _appeal_offered(info: Info, g: GrievanceModel, item: FeedbackModel) -> bool:
    return (not item.resolved or (item.rating or 5) <= 2) and appeals.appeal_deadline(
        info.context.settings, g) is not None


@strawberry.type
class FeedbackQueries:
    @strawberry.field(description="The disposal an SMS feedback link is about (no sign-in needed).")
    async def feedback_link(
        self, info: Info, token: str
    ) -> Annotated[FeedbackLinkInfo | OperationError, strawberry.union("FeedbackLinkResult")]:
        async def run() -> FeedbackLinkInfo:
            linked = await feedback.disposal_for_link(info.context.settings, token[:200], now=info.context.now)
            g = linked.grievance
            return FeedbackLinkInfo(number=g.number, subject=g.subject, status=g.status, disposed_at=g.closed_at,
                                    expires_at=linked.expires_at, already_given=linked.already_given)

        return await as_data(run)


@strawberry.type
class FeedbackMutations:
    @strawberry.mutation(description="The citizen says whether it was resolved (1-5 and remarks), once per disposal.")
    async def feedback_give(
        self, info: Info, id: strawberry.ID, resolved: bool, rating: int | None = None, remarks: str = ""
    ) -> Annotated[FeedbackSuccess | OperationError, strawberry.union("FeedbackGiveResult")]:
        async def run() -> FeedbackSuccess:
            g, item = await feedback.give_feedback(
                info.context.settings, info.context.actor, int_id(id),
                feedback.FeedbackInput(resolved=resolved, rating=rating, remarks=remarks), now=info.context.now)
            return FeedbackSuccess(grievance=Grievance.from_model(g), feedback=Feedback.from_model(item),
                                   appeal_offered=_appeal_offered(info, g, item))

        return await as_data(run)

    @strawberry.mutation(description="Feedback through the SMS link, without signing in: once per disposal, "
                                     "within the feedback window.")
    async def feedback_give_by_link(
        self, info: Info, token: str, resolved: bool, rating: int | None = None, remarks: str = ""
    ) -> Annotated[FeedbackByLinkSuccess | OperationError, strawberry.union("FeedbackGiveByLinkResult")]:
        async def run() -> FeedbackByLinkSuccess:
            g, item = await feedback.give_feedback_by_link(
                info.context.settings, token[:200],
                feedback.FeedbackInput(resolved=resolved, rating=rating, remarks=remarks), now=info.context.now)
            await wake_outbox(info)
            return FeedbackByLinkSuccess(number=g.number, status=g.status, feedback=Feedback.from_model(item),
                                         appeal_offered=_appeal_offered(info, g, item))

        return await as_data(run)

    @strawberry.mutation(description="Open the feedback on a case (officials); the view is recorded, and an ATR "
                                     "cannot go up while feedback on the case is unseen by the sender.")
    async def feedback_view(
        self, info: Info, id: strawberry.ID
    ) -> Annotated[FeedbackList | OperationError, strawberry.union("FeedbackViewResult")]:
        async def run() -> FeedbackList:
            items = await feedback.view_feedback(info.context.actor, int_id(id), now=info.context.now)
            return FeedbackList(items=[Feedback.from_model(i) for i in items])

        return await as_data(run)

    @strawberry.mutation(description="The head remands a disputed case to the designated office with directions.")
    async def dispute_remand(self, info: Info, id: strawberry.ID, directions: str,
                             expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: feedback.remand(info.context.actor, int_id(id), directions=directions,
                                                        expected_version=expected_version, now=info.context.now))

    @strawberry.mutation(description="The head upholds the closure of a disputed case, with the reason.")
    async def dispute_uphold(self, info: Info, id: strawberry.ID, reason: str,
                             expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: feedback.uphold(info.context.actor, int_id(id), reason=reason,
                                                        expected_version=expected_version, now=info.context.now))

    @strawberry.mutation(description="The citizen appeals a closure or rejection within the appeal window.")
    async def appeal_file(self, info: Info, id: strawberry.ID, grounds: str) -> GrievanceResult:
        return await act(info, lambda: appeals.file_appeal(info.context.settings, info.context.actor, int_id(id),
                                                            grounds=grounds, now=info.context.now))

    @strawberry.mutation(description="The appellate authority upholds (reasons) or reopens (directions).")
    async def appeal_decide(self, info: Info, id: strawberry.ID, reopen: bool, text: str,
                            expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: appeals.decide_appeal(info.context.actor, int_id(id), reopen=reopen, text=text,
                                                              expected_version=expected_version, now=info.context.now))
