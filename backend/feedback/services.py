"""Citizen feedback after disposal, the dispute it raises, and the head's decision.

Seed 002 and F7: when the ATR claimed the grievance resolved (it was closed) and the
feedback says it was not, the case becomes *disputed* at once and lands with the
department's head, who remands it to the designated office with directions and a
fresh clock, or upholds the closure with a recorded reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.accounts.models import Membership, StaffUser
from backend.accounts.roles import Role
from backend.audit.models import AuditEvent
from backend.authz.actors import SYSTEM, Actor, ActorKind
from backend.categories.models import Category
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.core.validation import check_text
from backend.feedback import links
from backend.feedback.models import Feedback, FeedbackSource, FeedbackView
from backend.grievances import conflicts
from backend.grievances.access import get_visible
from backend.grievances.kinds import ReportKind, ReportOutcome
from backend.grievances.models import Grievance, Report
from backend.grievances.services import inform_citizen, load_for_action
from backend.grievances.states import Action, State
from backend.grievances.transitions import OBJECT_TYPE, commit, decide
from backend.notifications.recipients import tell_staff
from backend.orgs.models import Unit
from backend.settings import Settings
from backend.sla.sweeps import who_must_act


@dataclass(frozen=True)
class FeedbackInput:
    resolved: bool | None
    rating: int | None = None
    remarks: str = ""


def _check(data: FeedbackInput) -> tuple[str, list[FieldError]]:
    errors: list[FieldError] = []
    if data.resolved is None:
        errors.append(FieldError("resolved", "say whether the grievance was resolved"))
    if data.rating is not None and not 1 <= data.rating <= 5:
        errors.append(FieldError("rating", "must be from 1 to 5"))
    remarks = check_text("remarks", data.remarks, errors, max_length=2000, required=False)
    return remarks, errors


async def give_feedback(settings: Settings, actor: Actor, grievance_id: int, data: FeedbackInput, *,
                        now: datetime) -> tuple[Grievance, Feedback]:
    """The citizen's own feedback, once per disposal, within the feedback window."""
    if actor.kind is not ActorKind.CITIZEN:
        raise DomainError(ErrorCode.UNAUTHENTICATED if actor.kind is ActorKind.ANONYMOUS else ErrorCode.FORBIDDEN,
                          "Only the citizen who filed it gives this feedback")
    remarks, errors = _check(data)
    if errors:
        raise validation_error(errors)
    g = await get_visible(actor, grievance_id)
    return await record_feedback(settings, g, FeedbackSource.CITIZEN, data, remarks, None, now)


async def record_feedback(settings: Settings, g: Grievance, source: FeedbackSource, data: FeedbackInput,
                          remarks: str, agent_id: int | None, now: datetime,
                          asked_at: datetime | None = None) -> tuple[Grievance, Feedback]:
    """Record one source's feedback on the current disposal (checked by the caller); a
    "not resolved" on a closed grievance raises the dispute in the same transaction.
    `asked_at` is when the answer was asked for (a call started inside the window)."""
    if g.status not in (State.CLOSED, State.REJECTED) or g.closed_at is None:
        raise DomainError(ErrorCode.CONFLICT, "Feedback is given once the grievance has been disposed of")
    if await decided_over_feedback(g):
        raise DomainError(ErrorCode.CONFLICT, "This disposal was upheld after review of your feedback; "
                                              "you may appeal against it instead")
    if (asked_at or now) > g.closed_at + timedelta(days=settings.feedback_window_days):
        raise DomainError(ErrorCode.EXPIRED, f"Feedback is accepted for {settings.feedback_window_days} days "
                                             "after disposal")
    try:
        async with in_transaction():
            feedback = await Feedback.create(grievance=g, round=g.escalation_round, source=source,
                                             resolved=bool(data.resolved), rating=data.rating, remarks=remarks,
                                             agent_id=agent_id, created_at=now)
            if g.status is State.CLOSED and not data.resolved:
                g = await raise_dispute(g, feedback, now)
    except IntegrityError:
        raise DomainError(ErrorCode.ALREADY_USED, "Feedback for this disposal has already been recorded") from None
    return g, feedback


# Closures that were themselves the decision on the citizen's word: the head upholding
# a disputed ATR, or the appellate authority upholding the disposal. Feedback on them
# would only dispute the decision again, round after round; the route is the appeal.
DECIDED_OVER_FEEDBACK = frozenset({Action.UPHOLD.value, Action.APPEAL_UPHOLD.value})


async def decided_over_feedback(g: Grievance) -> bool:
    last = await AuditEvent.filter(object_type=OBJECT_TYPE, object_id=str(g.id),
                                   to_state__in=[State.CLOSED.value, State.REJECTED.value]
                                   ).order_by("-seq").only("action").first()
    return last is not None and last.action in DECIDED_OVER_FEEDBACK


async def feedback_open(settings: Settings, g: Grievance, now: datetime) -> bool:
    """Whether the citizen may still give feedback on the current disposal (the same
    rules `record_feedback` enforces), so that the app offers the form only then."""
    if g.status not in (State.CLOSED, State.REJECTED) or g.closed_at is None:
        return False
    if now > g.closed_at + timedelta(days=settings.feedback_window_days):
        return False
    if await Feedback.exists(grievance_id=g.id, round=g.escalation_round, source=FeedbackSource.CITIZEN):
        return False
    return not await decided_over_feedback(g)


async def raise_dispute(g: Grievance, feedback: Feedback, now: datetime) -> Grievance:
    """The ATR said resolved, the citizen says not: to the department's head, at once."""
    department = await conflicts.clear_for(g, await department_of(g))
    decision = decide(SYSTEM, g, Action.DISPUTE, g.unit_path)
    event = await commit(
        g, decision, action=Action.DISPUTE, actor=SYSTEM, now=now, unit_id=department.id,
        changes={"unit_id": department.id, "unit_path": department.path, "visited": sorted({*g.visited, department.id}),
                 # The head's decision has its own clock and ladder round.
                 "disposal_due_at": None, "escalation_level": 0, "escalation_round": g.escalation_round + 1,
                 "escalated_to_id": None},
        note="The citizen says the grievance was not resolved", data={"feedback": feedback.id,
                                                                      "source": feedback.source.value},
    )
    from backend.callcentre.services import close_moot_calls  # lazily: callcentre imports this module

    await close_moot_calls(g, now)
    heads: list[int] = await Membership.filter(  # type: ignore[assignment]
        unit_id=department.id, role=Role.HEAD, active=True).values_list("user_id", flat=True)
    await tell_staff(heads, key=f"grievance:{g.id}:event:{event.id}", template="dispute_to_decide",
                     payload={"number": g.number, "grievance_id": g.id}, now=now)
    return g


async def department_of(g: Grievance) -> Unit:
    category = await Category.get(id=g.category_id)  # type: ignore[attr-defined]
    return await Unit.get(id=category.department_id)  # type: ignore[attr-defined]


async def remand(actor: Actor, grievance_id: int, *, directions: str, expected_version: int | None = None,
                 now: datetime) -> Grievance:
    """Back to the designated office (and officer) with directions and a fresh clock; the
    new ATR climbs the review chain again."""
    errors: list[FieldError] = []
    directions = check_text("directions", directions, errors, max_length=4000)
    if errors:
        raise validation_error(errors)
    g = await load_for_action(actor, grievance_id, expected_version)
    decision = decide(actor, g, Action.REMAND, g.unit_path)
    office_id = g.acting_unit_id or g.intake_unit_id  # type: ignore[attr-defined]
    office = await Unit.get(id=office_id)
    last_atr = await Report.filter(grievance_id=g.id, kind=ReportKind.FINAL,
                                   outcome=ReportOutcome.APPROVED).order_by("-id").first()
    officer_id = last_atr.author_id if last_atr else None  # type: ignore[attr-defined]
    if officer_id is not None and not await StaffUser.exists(id=officer_id, active=True):
        officer_id = None
    async with in_transaction():
        event = await commit(g, decision, action=Action.REMAND, actor=actor, now=now, unit_id=office.id,
                             changes=reopen_changes(g, office, officer_id), note=directions,
                             data={"to_unit": office.code})
        await inform_citizen(g, "grievance_reopened", event.id, now, office=office.name(g.language))
        told = [officer_id] if officer_id is not None else await who_must_act(g)
        await tell_staff(told, key=f"grievance:{g.id}:event:{event.id}", template="remanded_to_you",
                         payload={"number": g.number, "grievance_id": g.id, "directions": directions[:300]}, now=now)
    return g


def reopen_changes(g: Grievance, office: Unit, officer_id: int | None) -> dict[str, object]:
    """A reopened grievance starts a new round: a fresh ladder, no closure, the designated
    office and officer again."""
    return {
        "unit_id": office.id, "unit_path": office.path, "assigned_officer_id": officer_id, "closed_at": None,
        "review_chain": [], "review_level": 0, "acting_unit_id": None, "escalation_level": 0,
        "escalation_round": g.escalation_round + 1, "escalated_to_id": None, "escalated_at": None,
        # The 21-day disposal clock belonged to the first round; the new round's stage
        # clocks (and their ladder) govern it now.
        "disposal_due_at": None,
        "visited": sorted({*g.visited, office.id}),
    }


async def uphold(actor: Actor, grievance_id: int, *, reason: str, expected_version: int | None = None,
                 now: datetime) -> Grievance:
    errors: list[FieldError] = []
    reason = check_text("reason", reason, errors, max_length=4000)
    if errors:
        raise validation_error(errors)
    g = await load_for_action(actor, grievance_id, expected_version)
    decision = decide(actor, g, Action.UPHOLD, g.unit_path)
    async with in_transaction():
        event = await commit(g, decision, action=Action.UPHOLD, actor=actor, now=now, note=reason,
                             changes={"closed_at": now})
        await inform_citizen(g, "dispute_upheld", event.id, now, reasons=reason[:300])
    return g


async def view_feedback(actor: Actor, grievance_id: int, *, now: datetime) -> list[Feedback]:
    """Staff open the feedback on a case; each view is recorded (seed 002)."""
    if actor.kind is not ActorKind.STAFF or actor.id is None:
        raise DomainError(ErrorCode.FORBIDDEN, "Feedback views are recorded for officials")
    g = await get_visible(actor, grievance_id)
    items = await Feedback.filter(grievance_id=g.id).order_by("id")
    seen = set(await FeedbackView.filter(feedback_id__in=[f.id for f in items], user_id=actor.id)
               .values_list("feedback_id", flat=True))
    for item in items:
        if item.id not in seen:
            try:
                await FeedbackView.create(feedback=item, user_id=actor.id, viewed_at=now)
            except IntegrityError:
                pass  # viewed in another tab at the same moment
    return items


@dataclass(frozen=True)
class LinkedDisposal:
    """What the feedback page shows for a link: enough to recognise the grievance, no
    personal details (the link may be forwarded)."""

    grievance: Grievance
    expires_at: datetime
    already_given: bool


async def disposal_for_link(settings: Settings, token: str, *, now: datetime) -> LinkedDisposal:
    claim = links.read_token(settings.secret_key, token, now)
    g = await Grievance.get_or_none(id=claim.grievance_id)
    if g is None:
        raise DomainError(ErrorCode.NOT_FOUND, "This feedback link is not valid; check that it was copied whole")
    if g.escalation_round != claim.round or g.status not in (State.CLOSED, State.REJECTED):
        raise DomainError(ErrorCode.EXPIRED, "The grievance has moved on since this link was sent; see its status "
                                             "on the portal")
    given = await Feedback.exists(grievance_id=g.id, round=claim.round, source=FeedbackSource.CITIZEN)
    return LinkedDisposal(g, claim.expires_at, given)


async def give_feedback_by_link(settings: Settings, token: str, data: FeedbackInput, *,
                                now: datetime) -> tuple[Grievance, Feedback]:
    """The citizen's feedback through the SMS link, without signing in: the same record,
    window and once-per-disposal rule as in the app."""
    remarks, errors = _check(data)
    if errors:
        raise validation_error(errors)
    linked = await disposal_for_link(settings, token, now=now)
    return await record_feedback(settings, linked.grievance, FeedbackSource.CITIZEN, data, remarks, None, now)
