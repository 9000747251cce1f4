"""Right-to-Service use cases (seed 002's Auto Appeal System).

A grievance about a notified service goes to the office's nodal officer, who forwards
it (assigns it) to the designated officer. If the citizen never applied for the
service through the proper channel, the designated officer records that: the office
then has 30 days (`Stage.HELP_TO_APPLY`) to help the citizen apply, and records the
application in an interim reply, which starts the service's own timeline. Such a
grievance is never returned or rejected because the citizen had not applied
(`backend.rts.guards`). When the timeline passes, the appeal goes up by itself
(`backend.rts.sweeps`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from backend.authz.actors import Actor
from backend.core.errors import DomainError, ErrorCode, FieldError, validation_error
from backend.core.validation import check_text
from backend.grievances import reports, services
from backend.grievances.kinds import ReportKind
from backend.grievances.models import Grievance
from backend.grievances.states import Action
from backend.grievances.transitions import commit
from backend.orgs.models import Unit
from backend.rts.models import RtsCase
from backend.sla import calendar
from backend.sla.calendar import Mode
from backend.sla.policies import calendar_for

INDIA = ZoneInfo("Asia/Kolkata")
_APPLICATION_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$")


async def service_deadline(unit_path: str, days: int, start: datetime) -> datetime:
    """The notified timeline counts working days on the office's calendar."""
    cal = await calendar_for(unit_path, start)
    return calendar.deadline(cal, Mode.WORKING_DAYS, days, start)


async def open_case(g: Grievance, service_days: int, due_at: datetime, now: datetime) -> RtsCase:
    """At filing, inside the filing transaction."""
    return await RtsCase.create(grievance=g, service_days=service_days, due_at=due_at, created_at=now, updated_at=now)


async def case_for(g: Grievance) -> RtsCase:
    case = await RtsCase.get_or_none(grievance_id=g.id) if g.right_to_service else None
    if case is None:
        raise DomainError(ErrorCode.CONFLICT, "This grievance is not about a notified Right-to-Service service")
    return case


async def _update_case(case: RtsCase, now: datetime, **changes: object) -> None:
    """Compare-and-set: a sweep filing the appeal meanwhile makes this use case fail whole."""
    done = await RtsCase.filter(id=case.id, version=case.version).update(
        **changes, version=F("version") + 1, updated_at=now)
    if not done:
        raise DomainError(ErrorCode.CHANGED_MEANWHILE, "The grievance changed since you opened it; reload it and "
                                                       "try again")


async def record_not_applied(actor: Actor, grievance_id: int, *, note: str, expected_version: int | None = None,
                             now: datetime) -> Grievance:
    """The citizen never applied for the service: the office now helps them apply."""
    errors: list[FieldError] = []
    note = check_text("note", note, errors, max_length=4000)
    if errors:
        raise validation_error(errors)
    g = await services.load_for_action(actor, grievance_id, expected_version)
    case = await case_for(g)
    if case.not_applied_at is not None:
        raise DomainError(ErrorCode.CONFLICT, "It is already recorded that the citizen had not applied")
    if case.appeal_level:
        raise DomainError(ErrorCode.CONFLICT, "The grievance is already in appeal under the Right to Service")
    decision = reports.officer_decision(actor, g, Action.RTS_NOT_APPLIED)
    async with in_transaction():
        event = await commit(g, decision, action=Action.RTS_NOT_APPLIED, actor=actor, now=now, note=note,
                             data={"help_until": g.due_at.isoformat() if g.due_at else None})
        # The service's timeline runs from the application, which does not exist yet;
        # the help-to-apply stage clock (and its escalation ladder) governs meanwhile.
        await _update_case(case, now, not_applied_at=now, due_at=None)
        await services.inform_citizen(g, "rts_help_to_apply", event.id, now)
    return g


async def record_application(actor: Actor, grievance_id: int, *, application_number: str, applied_on: date | None,
                             reply: str, expected_version: int | None = None, now: datetime) -> Grievance:
    """The interim reply with the application's details; the service's timeline starts."""
    errors: list[FieldError] = []
    number = application_number.strip()
    if not _APPLICATION_NUMBER.match(number):
        errors.append(FieldError("applicationNumber", "give the application's number (letters, digits, / - _ .; "
                                                      "at most 64)"))
    reply = check_text("reply", reply, errors, max_length=5000)
    today = now.astimezone(INDIA).date()
    if applied_on is None:
        errors.append(FieldError("appliedOn", "give the date the citizen applied"))
    elif applied_on > today:
        errors.append(FieldError("appliedOn", "cannot be in the future"))
    if errors:
        raise validation_error(errors)
    assert applied_on is not None
    g = await services.load_for_action(actor, grievance_id, expected_version)
    # Who may act comes before what the case says: one who may not is refused, not told
    # when the office recorded what.
    decision = reports.officer_decision(actor, g, Action.RTS_APPLICATION)
    case = await case_for(g)
    if case.not_applied_at is None:
        raise DomainError(ErrorCode.CONFLICT, "Record first that the citizen had not applied")
    if case.application_recorded_at is not None:
        raise DomainError(ErrorCode.CONFLICT, f"The application {case.application_number} is already recorded")
    if applied_on < case.not_applied_at.astimezone(INDIA).date():
        raise validation_error([FieldError("appliedOn", "cannot be before the office recorded that the citizen "
                                                        "had not applied")])
    start = max(datetime.combine(applied_on, time(), INDIA), g.filed_at)
    due_at = await service_deadline(g.unit_path, case.service_days, start)
    async with in_transaction():
        report = await reports.save_report(actor, g, ReportKind.INTERIM, reports.ReportInput(
            action_taken=f"Application {number} made on {applied_on.isoformat()}", reply=reply), now)
        await commit(g, decision, action=Action.RTS_APPLICATION, actor=actor, now=now, note=reply,
                     data={"report": report.id, "application_number": number, "applied_on": applied_on.isoformat(),
                           "service_due_at": due_at.isoformat()})
        await _update_case(case, now, application_number=number, applied_on=applied_on,
                           application_recorded_at=now, due_at=due_at)
    return g


async def after_appeal_decision(g: Grievance, *, reopened: bool, now: datetime) -> None:
    """An appellate order under the Act: reopened by the first appellate authority, the
    service is due again within its timeline (missed, the second appeal follows);
    otherwise no automatic appeal is left (call inside the deciding transaction)."""
    case = await RtsCase.get_or_none(grievance_id=g.id)
    if case is None:
        return
    due_at = None
    if reopened and case.appeal_level == 1:
        due_at = await service_deadline(g.unit_path, case.service_days, now)
    await RtsCase.filter(id=case.id).update(due_at=due_at, version=F("version") + 1, updated_at=now)


async def designated_office(g: Grievance) -> Unit | None:
    """Where an appellate authority's reopening sends an RTS grievance back to."""
    case = await RtsCase.get_or_none(grievance_id=g.id)
    if case is None or case.office_id is None:  # type: ignore[attr-defined]
        return None
    return await Unit.get_or_none(id=case.office_id, active=True)  # type: ignore[attr-defined]
