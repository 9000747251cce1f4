"""Seed 002's rule, used by the report services: feedback is seen before an ATR goes up."""

from __future__ import annotations

from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode
from backend.feedback.models import Feedback, FeedbackView
from backend.grievances.models import Grievance


async def require_feedback_viewed(actor: Actor, g: Grievance) -> None:
    """An official may not send an ATR upward while feedback on the case is unseen by them."""
    if actor.kind is not ActorKind.STAFF:
        return
    ids = set(await Feedback.filter(grievance_id=g.id).values_list("id", flat=True))
    seen = set(await FeedbackView.filter(feedback_id__in=list(ids), user_id=actor.id).values_list("feedback_id",
                                                                                                  flat=True))
    unseen = len(ids - seen)
    if unseen:
        raise DomainError(ErrorCode.CONFLICT, f"View the {unseen} feedback item(s) on this case before forwarding "
                                              "the report")
