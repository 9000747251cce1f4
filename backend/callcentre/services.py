"""The call-centre feedback queue (F7, seed 002).

Every disposal (closure or rejection) queues one call for its round. Agents see the
calls of grievances in their call centre's area, sensitive ones first and then the
oldest closure; an agent claims a call for LEASE (a compare-and-set on `version`, so
two agents never work the same call) and records the outcome. Not reached: the call
comes back after RETRY_AFTER, until MAX_ATTEMPTS. Reached: the citizen's answer is
recorded as call-centre feedback, which disputes a closure the citizen says did not
resolve anything, exactly as the citizen's own feedback would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from backend.accounts.roles import Role
from backend.attachments import services as attachments
from backend.attachments.models import Attachment
from backend.attachments.sniffing import AUDIO
from backend.authz.actors import Actor, ActorKind
from backend.callcentre.models import CallAttempt, CallStatus, FeedbackCall
from backend.core.errors import DomainError, ErrorCode, FieldError, not_found, validation_error
from backend.core.validation import check_text
from backend.feedback.models import Feedback, FeedbackSource
from backend.feedback.services import FeedbackInput, record_feedback
from backend.grievances.access import conflict_free_q
from backend.grievances.kinds import Visibility
from backend.grievances.models import Grievance
from backend.grievances.states import State
from backend.orgs.models import Unit
from backend.settings import Settings

LEASE = timedelta(minutes=15)
RETRY_AFTER = timedelta(hours=2)
MAX_ATTEMPTS = 3
MAX_QUEUE = 100
_DISPOSED = (State.CLOSED, State.REJECTED)
_OPEN = (CallStatus.QUEUED, CallStatus.CLAIMED)


@dataclass(frozen=True)
class CallOutcome:
    call: FeedbackCall
    attempt: CallAttempt
    grievance: Grievance
    feedback: Feedback | None


@dataclass(frozen=True)
class AgentFigures:
    calls: int
    reached: int
    satisfied: int


async def enqueue_call(g: Grievance, now: datetime) -> FeedbackCall:
    """The call for the grievance's current round (call inside the disposing transaction).
    Idempotent; a call still open for an earlier round is moot now and is closed."""
    existing = await FeedbackCall.get_or_none(grievance_id=g.id, round=g.escalation_round)
    if existing is not None:
        return existing
    await close_moot_calls(g, now)
    return await FeedbackCall.create(
        grievance_id=g.id, round=g.escalation_round, status=CallStatus.QUEUED, attempts=0, next_attempt_at=now,
        sensitive=g.sensitive, closed_at=g.closed_at or now, created_at=now, updated_at=now,
    )


async def close_moot_calls(g: Grievance, now: datetime) -> int:
    """Open calls about an earlier disposal of the grievance are moot once it has moved
    on (a dispute, an appeal, a new disposal): the citizen is not called about a
    decision that no longer stands. Call inside the transaction that moved it."""
    return await FeedbackCall.filter(grievance_id=g.id, round__lt=g.escalation_round, status__in=_OPEN).update(
        status=CallStatus.MOOT, claimed_by_id=None, lease_until=None, updated_at=now, version=F("version") + 1)


async def expire_overdue_calls(settings: Settings, now: datetime) -> int:
    """Calls whose feedback window has closed leave the queue as EXPIRED (not deleted:
    the call centre's figures count what it missed). A call an agent is on, claimed
    while the window was open, is left to finish: the answer given on it counts."""
    return await FeedbackCall.filter(
        _available_q(now), closed_at__lte=now - timedelta(days=settings.feedback_window_days)).update(
        status=CallStatus.EXPIRED, claimed_by_id=None, lease_until=None, updated_at=now, version=F("version") + 1)


def _window_closed(settings: Settings, call: FeedbackCall, at: datetime) -> bool:
    return at >= call.closed_at + timedelta(days=settings.feedback_window_days)


def _require_agent(actor: Actor) -> list[int]:
    """The units where the actor is a call-centre agent (FORBIDDEN when none)."""
    if actor.kind is ActorKind.ANONYMOUS:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    units = [g.unit_id for g in actor.grants if g.role is Role.CALL_CENTRE_AGENT] if actor.is_staff else []
    if not units or actor.id is None:
        raise DomainError(ErrorCode.FORBIDDEN, "Only call-centre agents make feedback calls")
    return units


async def _scope_q(actor: Actor) -> Q:
    """Calls on grievances within the agent's call centres' areas; a centre with no
    area codes serves everywhere."""
    # Never a call on a grievance against the agent or their centre (F13).
    clear = conflict_free_q(actor, "grievance__")
    codes: set[str] = set()
    for unit_codes in await Unit.filter(id__in=_require_agent(actor)).values_list("area_codes", flat=True):
        if not unit_codes:
            return clear
        codes.update(str(c) for c in unit_codes)  # type: ignore[union-attr]
    q = Q(grievance__area_code__in=sorted(codes))
    for code in sorted(codes):
        q |= Q(grievance__area_code__startswith=f"{code}-")
    return q & clear


def _available_q(now: datetime) -> Q:
    return Q(status=CallStatus.QUEUED) | Q(status=CallStatus.CLAIMED, lease_until__lt=now)


async def queue(settings: Settings, actor: Actor, *, now: datetime, limit: int = 20) -> list[FeedbackCall]:
    """Calls due now that nobody holds: sensitive first, then the oldest closure."""
    scope = await _scope_q(actor)
    await expire_overdue_calls(settings, now)
    limit = max(1, min(limit, MAX_QUEUE))
    return await (FeedbackCall.filter(scope, _available_q(now), next_attempt_at__lte=now,
                                      grievance__status__in=_DISPOSED)
                  .order_by("-sensitive", "closed_at", "id").limit(limit).prefetch_related("grievance"))


async def _call_for(actor: Actor, call_id: int) -> FeedbackCall:
    call = await FeedbackCall.filter(await _scope_q(actor), id=call_id).first()
    if call is None:
        raise not_found("Feedback call")
    return call


async def claim(settings: Settings, actor: Actor, call_id: int, *, now: datetime) -> FeedbackCall:
    """Take the call for LEASE; of two agents claiming at once exactly one wins."""
    await expire_overdue_calls(settings, now)
    call = await _call_for(actor, call_id)
    if call.status is CallStatus.EXPIRED or (call.status in _OPEN and _window_closed(settings, call, now)):
        raise DomainError(ErrorCode.EXPIRED, f"The {settings.feedback_window_days}-day feedback window of this "
                                             "disposal has closed; the call is no longer made")
    mine = call.claimed_by_id == actor.id  # type: ignore[attr-defined]
    held = call.status is CallStatus.CLAIMED and call.lease_until is not None and call.lease_until >= now
    if call.status not in _OPEN or (held and not mine):
        raise DomainError(ErrorCode.CONFLICT, "This call is taken or finished; pick another from the queue")
    if call.next_attempt_at > now:
        raise DomainError(ErrorCode.CONFLICT, "This call is not due yet")
    values = {"status": CallStatus.CLAIMED, "claimed_by_id": actor.id, "lease_until": now + LEASE,
              "updated_at": now, "version": call.version + 1}
    if not await FeedbackCall.filter(id=call.id, version=call.version).update(**values):
        raise DomainError(ErrorCode.CHANGED_MEANWHILE, "Another agent took this call meanwhile")
    for name, value in values.items():
        setattr(call, name, value)
    return call


async def record_outcome(settings: Settings, actor: Actor, call_id: int, *, reached: bool, resolved: bool | None,
                         rating: int | None = None, remarks: str = "", recording_attachment_id: int | None = None,
                         now: datetime) -> CallOutcome:
    """The claiming agent records one attempt (with the recording, if any)."""
    errors: list[FieldError] = []
    if reached and resolved is None:
        errors.append(FieldError("resolved", "say whether the citizen says it was resolved"))
    if rating is not None and not 1 <= rating <= 5:
        errors.append(FieldError("rating", "must be from 1 to 5"))
    remarks = check_text("remarks", remarks, errors, max_length=2000, required=False)
    if errors:
        raise validation_error(errors)
    call = await _call_for(actor, call_id)
    if (call.status is not CallStatus.CLAIMED or call.claimed_by_id != actor.id  # type: ignore[attr-defined]
            or call.lease_until is None or call.lease_until < now):
        raise DomainError(ErrorCode.CONFLICT, "Claim the call before recording its outcome")
    # The citizen answered on a call claimed inside the window (claim refuses it after),
    # so the answer counts even if the window closed while they were talking.
    asked_at = call.lease_until - LEASE
    g = await Grievance.get(id=call.grievance_id)  # type: ignore[attr-defined]
    attempts = call.attempts + 1
    if reached:
        status, next_at = CallStatus.DONE, call.next_attempt_at
    elif attempts >= MAX_ATTEMPTS:
        status, next_at = CallStatus.UNREACHABLE, call.next_attempt_at
    else:
        status, next_at = CallStatus.QUEUED, now + RETRY_AFTER
    values = {"status": status, "attempts": attempts, "claimed_by_id": None, "lease_until": None,
              "next_attempt_at": next_at, "updated_at": now, "version": call.version + 1}
    feedback: Feedback | None = None
    async with in_transaction():
        recording_id = await _bind_recording(actor, recording_attachment_id, g)
        if not await FeedbackCall.filter(id=call.id, version=call.version).update(**values):
            raise DomainError(ErrorCode.CHANGED_MEANWHILE, "The call changed meanwhile; reload it")
        attempt = await CallAttempt.create(call_id=call.id, agent_id=actor.id, reached=reached,
                                           resolved=resolved if reached else None,
                                           rating=rating if reached else None, remarks=remarks,
                                           recording_id=recording_id, created_at=now)
        if reached:
            g, feedback = await record_feedback(
                settings, g, FeedbackSource.CALL_CENTRE, FeedbackInput(resolved=resolved, rating=rating,
                                                                       remarks=remarks),
                remarks, actor.id, now, asked_at=asked_at)
    for name, value in values.items():
        setattr(call, name, value)
    return CallOutcome(call, attempt, g, feedback)


async def _bind_recording(actor: Actor, attachment_id: int | None, g: Grievance) -> int | None:
    """The agent's own unbound audio upload, bound to the grievance for staff only."""
    if attachment_id is None:
        return None
    row = await Attachment.get_or_none(id=attachment_id)
    if row is None or row.content_type not in AUDIO:
        raise validation_error([FieldError("recordingId", "not an audio upload of yours")])
    try:
        await attachments.bind(actor, [attachment_id], grievance=g)
    except DomainError as error:
        if error.code is not ErrorCode.VALIDATION:
            raise
        raise validation_error([FieldError("recordingId", e.message) for e in error.field_errors]) from None
    await Attachment.filter(id=attachment_id).update(visibility=Visibility.INTERNAL)
    return attachment_id


async def agent_figures(actor: Actor, *, since: datetime, until: datetime) -> AgentFigures:
    """The actor's own calls in [since, until): made, reached, and reached citizens who
    said their grievance was resolved."""
    _require_agent(actor)
    if until <= since:
        raise validation_error([FieldError("until", "must be after since")])
    rows = CallAttempt.filter(agent_id=actor.id, created_at__gte=since, created_at__lt=until)
    return AgentFigures(
        calls=await rows.count(),
        reached=await rows.filter(reached=True).count(),
        satisfied=await rows.filter(reached=True, resolved=True).count(),
    )
