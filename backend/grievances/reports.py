"""Reports and the review chain (F5, seed 004).

The office that holds a grievance answers seed 004's questions in a preliminary report
(24 h), may send interim replies, and files the final report (ATR, 72 h). The ATR then
climbs the review chain: the acting office's ancestors up to the allotting authority
(block office -> DM office -> department -> the Chief Secretary's cell). Each level
approves it upward or sends it back to the acting office with a note; the top level
closes the grievance and the citizen is told.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tortoise.transactions import in_transaction

from backend.accounts.models import StaffUser
from backend.attachments import services as attachments
from backend.authz.actors import Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.core.validation import check_text
from backend.feedback import links as feedback_links
from backend.feedback.gate import require_feedback_viewed
from backend.grievances import services
from backend.grievances.kinds import ReportKind, ReportOutcome, ReviewDecision, Visibility
from backend.grievances.models import Grievance, Report, ReviewStep
from backend.grievances.review_chain import review_chain
from backend.grievances.states import Action, Party
from backend.grievances.transitions import Decision, commit, decide
from backend.notifications.recipients import tell_staff
from backend.orgs.models import Unit
from backend.sla.sweeps import who_must_act


@dataclass
class ReportInput:
    """Seed 004's questions; which are required depends on the report and the answers."""

    concerns_office: bool | None = None
    right_authority: str = ""
    known_before: bool | None = None
    action_taken: str = ""
    resolvable_in_72h: bool | None = None
    reasons_if_not: str = ""
    reply: str = ""
    attachment_ids: list[int] = field(default_factory=list)


def _check(kind: ReportKind, data: ReportInput) -> tuple[ReportInput, list[FieldError]]:
    errors: list[FieldError] = []
    right_authority = check_text("rightAuthority", data.right_authority, errors, max_length=500, required=False)
    action_taken = check_text("actionTaken", data.action_taken, errors, max_length=5000,
                              required=kind is not ReportKind.INTERIM and data.concerns_office is not False)
    reasons = check_text("reasonsIfNot", data.reasons_if_not, errors, max_length=2000, required=False)
    reply = check_text("reply", data.reply, errors, max_length=5000,
                       required=kind is not ReportKind.PRELIMINARY)
    if kind is ReportKind.PRELIMINARY:
        if data.concerns_office is None:
            errors.append(FieldError("concernsOffice", "say whether the grievance concerns this office"))
        elif data.concerns_office is False and not right_authority:
            errors.append(FieldError("rightAuthority", "name the public authority the grievance concerns"))
        elif data.concerns_office:
            if data.known_before is None:
                errors.append(FieldError("knownBefore", "say whether the office knew of it before"))
            if data.resolvable_in_72h is None:
                errors.append(FieldError("resolvableIn72h", "say whether it can be resolved within 72 hours"))
            elif data.resolvable_in_72h is False and not reasons:
                errors.append(FieldError("reasonsIfNot", "give the reasons it cannot be resolved within 72 hours"))
    if len(data.attachment_ids) > 5:
        errors.append(FieldError("attachmentIds", "at most 5 attachments"))
    clean = ReportInput(data.concerns_office, right_authority, data.known_before, action_taken,
                        data.resolvable_in_72h, reasons, reply, list(dict.fromkeys(data.attachment_ids)))
    return clean, errors


def officer_decision(actor: Actor, g: Grievance, action: Action) -> Decision:
    decision = decide(actor, g, action, g.unit_path)
    # A last-mile officer reports on what is assigned to them, not on a colleague's case.
    if (decision.party is Party.OFFICER and g.assigned_officer_id is not None  # type: ignore[attr-defined]
            and g.assigned_officer_id != actor.id):  # type: ignore[attr-defined]
        raise DomainError(ErrorCode.FORBIDDEN, "This grievance is assigned to another officer")
    return decision


async def save_report(actor: Actor, g: Grievance, kind: ReportKind, data: ReportInput, now: datetime,
                       outcome: ReportOutcome = ReportOutcome.NONE) -> Report:
    author = await StaffUser.get(id=actor.id)
    report = await Report.create(
        grievance=g, kind=kind, author=author, unit_id=g.unit_id, concerns_office=data.concerns_office,  # type: ignore[attr-defined]
        known_before=data.known_before, action_taken=data.action_taken, resolvable_in_72h=data.resolvable_in_72h,
        reasons_if_not=data.reasons_if_not, reply=data.reply, outcome=outcome, created_at=now,
    )
    if data.attachment_ids:
        await attachments.bind(actor, data.attachment_ids, grievance=g, report=report)
    return report


def _require_staff(actor: Actor) -> None:
    if actor.kind is ActorKind.ANONYMOUS:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")
    if actor.kind is not ActorKind.STAFF:
        raise DomainError(ErrorCode.FORBIDDEN, "Only officers file reports")


async def preliminary_report(actor: Actor, grievance_id: int, data: ReportInput, *,
                             expected_version: int | None = None, now: datetime) -> tuple[Grievance, Report]:
    """Answering "no, not ours" sends it back up at once, with the authority named."""
    _require_staff(actor)
    clean, errors = _check(ReportKind.PRELIMINARY, data)
    if errors:
        raise validation_error(errors)
    g = await services.load_for_action(actor, grievance_id, expected_version)
    if clean.concerns_office is False:
        decide(actor, g, Action.NOT_OURS, g.unit_path)
        async with in_transaction():
            report = await save_report(actor, g, ReportKind.PRELIMINARY, clean, now)
            await services.not_ours(actor, g.id, right_authority=clean.right_authority, now=now,
                                    expected_version=g.version, report_id=report.id)
        return await Grievance.get(id=g.id), report
    decision = officer_decision(actor, g, Action.PRELIMINARY_REPORT)
    office = await Unit.get(id=g.unit_id)  # type: ignore[attr-defined]
    async with in_transaction():
        report = await save_report(actor, g, ReportKind.PRELIMINARY, clean, now)
        event = await commit(g, decision, action=Action.PRELIMINARY_REPORT, actor=actor, now=now, note=clean.reply,
                             data={"report": report.id, "resolvable_in_72h": clean.resolvable_in_72h},
                             visibility=Visibility.INTERNAL)
        await services.inform_citizen(g, "grievance_taken_up", event.id, now, office=office.name(g.language))
    return g, report


async def interim_reply(actor: Actor, grievance_id: int, data: ReportInput, *, expected_version: int | None = None,
                        now: datetime) -> tuple[Grievance, Report]:
    _require_staff(actor)
    clean, errors = _check(ReportKind.INTERIM, data)
    if errors:
        raise validation_error(errors)
    g = await services.load_for_action(actor, grievance_id, expected_version)
    decision = officer_decision(actor, g, Action.INTERIM_REPLY)
    async with in_transaction():
        report = await save_report(actor, g, ReportKind.INTERIM, clean, now)
        await commit(g, decision, action=Action.INTERIM_REPLY, actor=actor, now=now, note=clean.reply,
                     data={"report": report.id})
    return g, report


async def final_report(actor: Actor, grievance_id: int, data: ReportInput, *, expected_version: int | None = None,
                       now: datetime) -> tuple[Grievance, Report]:
    """The ATR: the grievance goes to the first level of the review chain."""
    _require_staff(actor)
    clean, errors = _check(ReportKind.FINAL, data)
    if errors:
        raise validation_error(errors)
    g = await services.load_for_action(actor, grievance_id, expected_version)
    decision = officer_decision(actor, g, Action.FINAL_REPORT)
    await require_feedback_viewed(actor, g)
    intake = await Unit.get(id=g.intake_unit_id)  # type: ignore[attr-defined]
    chain = review_chain(g.unit_path, intake.path, intake.id)
    first = await Unit.get(id=chain[0])
    office = await Unit.get(id=g.unit_id)  # type: ignore[attr-defined]
    async with in_transaction():
        report = await save_report(actor, g, ReportKind.FINAL, clean, now, ReportOutcome.SUBMITTED)
        event = await commit(
            g, decision, action=Action.FINAL_REPORT, actor=actor, now=now, unit_id=g.unit_id,  # type: ignore[attr-defined]
            changes={"acting_unit_id": g.unit_id, "review_chain": chain, "review_level": 0,  # type: ignore[attr-defined]
                     "unit_id": first.id, "unit_path": first.path, "visited": sorted({*g.visited, *chain})},
            note=clean.reply, data={"report": report.id, "review_chain": chain},
        )
        await services.inform_citizen(g, "final_report_submitted", event.id, now, office=office.name(g.language))
    return g, report


async def _review_context(actor: Actor, grievance_id: int, action: Action, expected_version: int | None,
                          ) -> tuple[Grievance, Decision, Unit, Report]:
    g = await services.load_for_action(actor, grievance_id, expected_version)
    level_unit = await Unit.get(id=g.unit_id)  # type: ignore[attr-defined]
    decision = decide(actor, g, action, level_unit.path)
    report = await Report.filter(grievance_id=g.id, kind=ReportKind.FINAL,
                                 outcome=ReportOutcome.SUBMITTED).order_by("-id").first()
    if report is None:  # pragma: no cover - UNDER_REVIEW always has a submitted ATR
        raise DomainError(ErrorCode.CONFLICT, "There is no final report under review")
    return g, decision, level_unit, report


def _is_top(g: Grievance) -> bool:
    return g.review_level >= len(g.review_chain) - 1


async def review_approve(actor: Actor, grievance_id: int, *, note: str = "", expected_version: int | None = None,
                         now: datetime) -> Grievance:
    errors: list[FieldError] = []
    note = check_text("note", note, errors, max_length=4000, required=False)
    if errors:
        raise validation_error(errors)
    g, decision, level_unit, report = await _review_context(actor, grievance_id, Action.REVIEW_APPROVE, expected_version)
    if _is_top(g):
        raise DomainError(ErrorCode.CONFLICT, "This is the last level of review: close the grievance or send it back")
    await require_feedback_viewed(actor, g)
    upper = await Unit.get(id=g.review_chain[g.review_level + 1])
    async with in_transaction():
        await ReviewStep.create(report=report, level=g.review_level, unit=level_unit, decision=ReviewDecision.APPROVED,
                                note=note, reviewer_id=actor.id, created_at=now)
        await commit(g, decision, action=Action.REVIEW_APPROVE, actor=actor, now=now, unit_id=level_unit.id,
                     changes={"review_level": g.review_level + 1, "unit_id": upper.id, "unit_path": upper.path},
                     note=note, data={"report": report.id, "to_unit": upper.code}, visibility=Visibility.INTERNAL)
    return g


async def send_back(actor: Actor, grievance_id: int, *, note: str, expected_version: int | None = None,
                    now: datetime) -> Grievance:
    errors: list[FieldError] = []
    note = check_text("note", note, errors, max_length=4000)
    if errors:
        raise validation_error(errors)
    g, decision, level_unit, report = await _review_context(actor, grievance_id, Action.SEND_BACK, expected_version)
    acting = await Unit.get(id=g.acting_unit_id)  # type: ignore[attr-defined]
    async with in_transaction():
        await ReviewStep.create(report=report, level=g.review_level, unit=level_unit,
                                decision=ReviewDecision.SENT_BACK, note=note, reviewer_id=actor.id, created_at=now)
        await Report.filter(id=report.id).update(outcome=ReportOutcome.SENT_BACK)
        event = await commit(g, decision, action=Action.SEND_BACK, actor=actor, now=now, unit_id=level_unit.id,
                             changes={"review_level": 0, "unit_id": acting.id, "unit_path": acting.path},
                             note=note, data={"report": report.id, "to_unit": acting.code},
                             visibility=Visibility.INTERNAL)
        await tell_staff(await who_must_act(g), key=f"grievance:{g.id}:event:{event.id}", template="report_sent_back",
                         payload={"number": g.number, "grievance_id": g.id, "note": note[:300]}, now=now)
    return g


async def close(actor: Actor, grievance_id: int, *, note: str = "", expected_version: int | None = None,
                now: datetime) -> Grievance:
    """The top of the chain accepts the ATR: disposed, and the citizen (and every linked
    filer) is told."""
    errors: list[FieldError] = []
    note = check_text("note", note, errors, max_length=4000, required=False)
    if errors:
        raise validation_error(errors)
    g, decision, level_unit, report = await _review_context(actor, grievance_id, Action.CLOSE, expected_version)
    if not _is_top(g):
        upper = await Unit.get(id=g.review_chain[-1])
        raise DomainError(ErrorCode.CONFLICT, f"Only the last level of review ({upper.code}) closes it; approve it upward")
    async with in_transaction():
        await ReviewStep.create(report=report, level=g.review_level, unit=level_unit, decision=ReviewDecision.CLOSED,
                                note=note, reviewer_id=actor.id, created_at=now)
        await Report.filter(id=report.id).update(outcome=ReportOutcome.APPROVED)
        event = await commit(g, decision, action=Action.CLOSE, actor=actor, now=now, unit_id=level_unit.id,
                             changes={"closed_at": now}, note=note or report.reply,
                             data={"report": report.id})
        await services.inform_citizen(g, "grievance_closed", event.id, now,
                                      **feedback_links.payload_for(g.id, g.escalation_round, now))
        await services.inform_linked_of_closure(g, now)
        from backend.callcentre.services import enqueue_call  # lazily: callcentre imports grievances

        await enqueue_call(g, now)
    return g


