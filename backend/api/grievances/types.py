"""GraphQL types of grievances, their reports and their timeline."""

from __future__ import annotations

import asyncio
from datetime import datetime

import strawberry

from backend.accounts.models import StaffUser
from backend.api.attachments.types import Attachment
from backend.api.categories.types import Category
from backend.api.context import Context
from backend.api.grievances import enums  # noqa: F401  (registers the GraphQL enums)
from backend.api.orgs.types import Unit
from backend.api.rts.types import RightToServiceCase
from backend.attachments.models import Attachment as AttachmentModel
from backend.attachments.services import visible_on
from backend.authz.actors import ActorKind
from backend.grievances import access, selectors
from backend.grievances.access import parties_at
from backend.grievances.channels import Channel
from backend.grievances.kinds import ReportKind, ReportOutcome, ReviewDecision, Visibility
from backend.grievances.models import Grievance as GrievanceModel
from backend.grievances.models import Report as ReportModel
from backend.grievances.models import ReviewStep as ReviewStepModel
from backend.grievances.privacy import Contact, contact_for
from backend.grievances.states import Action, RejectionReason, Stage, State, actions_for

Info = strawberry.Info[Context, None]



@strawberry.type(description="One event of the audit trail, as the viewer may see it.")
class TimelineEntry:
    at: datetime
    action: str
    from_status: str
    to_status: str
    note: str
    role: str
    unit_name: str
    actor_name: str = strawberry.field(description="Empty where staff identities are hidden from the citizen.")
    internal: bool


@strawberry.type
class ReviewStep:
    level: int
    decision: ReviewDecision
    note: str
    created_at: datetime
    _model: strawberry.Private[ReviewStepModel]

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        unit = await info.context.loaders.unit_by_id.load(self._model.unit_id)  # type: ignore[attr-defined]
        return Unit.from_model(unit) if unit else None

    @strawberry.field
    async def reviewer_name(self) -> str:
        user = await StaffUser.get_or_none(id=self._model.reviewer_id)  # type: ignore[attr-defined]
        return user.full_name if user else ""


@strawberry.type(description="A preliminary report, interim reply or final report (ATR).")
class Report:
    id: strawberry.ID
    kind: ReportKind
    reply: str
    created_at: datetime
    outcome: ReportOutcome
    concerns_office: bool | None
    known_before: bool | None
    action_taken: str
    resolvable_in_72h: bool | None
    reasons_if_not: str
    _model: strawberry.Private[ReportModel]
    _citizen_view: strawberry.Private[bool]

    @classmethod
    def from_model(cls, report: ReportModel, citizen_view: bool) -> Report:
        # The structured answers are for the reviewers; the citizen reads the reply.
        hidden = citizen_view
        return cls(
            id=strawberry.ID(str(report.id)), kind=report.kind, reply=report.reply, created_at=report.created_at,
            outcome=report.outcome, concerns_office=None if hidden else report.concerns_office,
            known_before=None if hidden else report.known_before, action_taken="" if hidden else report.action_taken,
            resolvable_in_72h=None if hidden else report.resolvable_in_72h,
            reasons_if_not="" if hidden else report.reasons_if_not, _model=report, _citizen_view=citizen_view,
        )

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        unit = await info.context.loaders.unit_by_id.load(self._model.unit_id)  # type: ignore[attr-defined]
        return Unit.from_model(unit) if unit else None

    @strawberry.field(description="The author's name; empty for the citizen.")
    async def author_name(self) -> str:
        if self._citizen_view:
            return ""
        user = await StaffUser.get_or_none(id=self._model.author_id)  # type: ignore[attr-defined]
        return user.full_name if user else ""

    @strawberry.field(description="Evidence filed with the report that the viewer may read.")
    async def attachments(self, info: Info) -> list[Attachment]:
        rows = await AttachmentModel.filter(report_id=self._model.id).order_by("id")
        if info.context.actor.kind is not ActorKind.STAFF:
            rows = [a for a in rows if a.visibility is Visibility.CITIZEN]
        return [Attachment.from_model(a) for a in rows]

    @strawberry.field(description="Each level's decision on a final report; empty for the citizen.")
    async def review_steps(self) -> list[ReviewStep]:
        if self._citizen_view or self._model.kind is not ReportKind.FINAL:
            return []
        steps = await ReviewStepModel.filter(report_id=self._model.id).order_by("id")
        return [ReviewStep(level=s.level, decision=s.decision, note=s.note, created_at=s.created_at, _model=s)
                for s in steps]


@strawberry.type(description="The running clock, for a countdown: times are instants, seconds are wall time.")
class StageClock:
    stage: Stage | None
    started_at: datetime | None
    due_at: datetime | None
    seconds_left: int | None = strawberry.field(description="Negative once overdue; null when no clock runs.")
    overdue: bool
    paused: bool = strawberry.field(description="True while waiting for the citizen's reply.")
    paused_stage: Stage | None
    paused_seconds_left: int | None = strawberry.field(
        description="What the paused stage had left (working time for working-time limits).")
    mode: str | None = strawberry.field(description="wall_hours, working_hours or working_days.")
    disposal_due_at: datetime | None


@strawberry.type
class Grievance:
    id: strawberry.ID
    number: str
    channel: Channel
    status: State
    stage: Stage | None
    stage_started_at: datetime | None
    due_at: datetime | None = strawberry.field(description="When the current stage's clock runs out.")
    paused_remaining_seconds: int | None
    escalation_level: int
    subject: str
    description: str
    relief_sought: str
    language: str
    area_code: str
    location_address: str
    latitude: float | None
    longitude: float | None
    right_to_service: bool
    sensitive: bool
    rejection_reason: RejectionReason | None
    filed_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    version: int
    category_id: strawberry.ID
    _model: strawberry.Private[GrievanceModel]

    @classmethod
    def from_model(cls, g: GrievanceModel) -> Grievance:
        return cls(
            id=strawberry.ID(str(g.id)), number=g.number, channel=g.channel, status=g.status, stage=g.stage,
            stage_started_at=g.stage_started_at, due_at=g.due_at, paused_remaining_seconds=g.paused_remaining_seconds,
            escalation_level=g.escalation_level, subject=g.subject, description=g.description,
            relief_sought=g.relief_sought, language=g.language, area_code=g.area_code,
            location_address=g.location_address, latitude=g.latitude, longitude=g.longitude,
            right_to_service=g.right_to_service, sensitive=g.sensitive,
            rejection_reason=g.rejection_reason, filed_at=g.filed_at, updated_at=g.updated_at, closed_at=g.closed_at,
            version=g.version, category_id=strawberry.ID(str(g.category_id)), _model=g,  # type: ignore[attr-defined]
        )

    def _contact(self, info: Info) -> asyncio.Future[Contact]:
        # One decision (and one recorded view) per grievance per request, however many
        # of the contact fields the query asks for, even when they resolve concurrently.
        cache = info.context.contacts
        if self._model.id not in cache:
            cache[self._model.id] = asyncio.ensure_future(
                contact_for(info.context.actor, self._model, now=info.context.now))
        return cache[self._model.id]

    @strawberry.field(description="The citizen's name (initials only on a sensitive grievance, for officials "
                                  "not handling it).")
    async def citizen_name(self, info: Info) -> str:
        return (await self._contact(info)).name

    @strawberry.field(description="The citizen's mobile; masked (only the first and last two digits) for officials "
                                  "not handling the grievance now, who may reveal it with a reason "
                                  "(grievanceRevealContact).")
    async def citizen_mobile(self, info: Info) -> str:
        return (await self._contact(info)).mobile

    @strawberry.field(description="The citizen's e-mail; masked like the mobile.")
    async def citizen_email(self, info: Info) -> str:
        return (await self._contact(info)).email

    @strawberry.field(description="The citizen's postal address; \"(hidden)\" like the mobile.")
    async def citizen_address(self, info: Info) -> str:
        return (await self._contact(info)).address

    @strawberry.field(description="True when the contact fields are masked for the viewer.")
    async def contact_masked(self, info: Info) -> bool:
        return (await self._contact(info)).masked

    @strawberry.field(description="The category (a leaf); its `path` gives department -> ... -> leaf.")
    async def category(self, info: Info) -> Category | None:
        category = await info.context.loaders.category_by_id.load(self._model.category_id)  # type: ignore[attr-defined]
        return Category.from_model(category) if category else None

    @strawberry.field(description="The Right-to-Service case (null: not a notified service).")
    async def right_to_service_case(self, info: Info) -> RightToServiceCase | None:
        if not self._model.right_to_service:
            return None
        case = await info.context.loaders.rts_case_by_grievance_id.load(self._model.id)
        return RightToServiceCase.from_model(case) if case else None

    @strawberry.field(description="Until when the citizen may appeal this disposal (null: not disposed).")
    def appeal_deadline(self, info: Info) -> datetime | None:
        from backend.appeals.services import appeal_deadline

        return appeal_deadline(info.context.settings, self._model)

    @strawberry.field(description="Whether the citizen may give feedback on the current disposal now: disposed, "
                                  "within the window, not yet given, and not a closure upheld on their feedback.")
    async def feedback_open(self, info: Info) -> bool:
        from backend.feedback.services import feedback_open

        return await feedback_open(info.context.settings, self._model, info.context.now)

    @strawberry.field(description="The live clock of the current stage and of the whole disposal.")
    def clock(self, info: Info) -> StageClock:
        g, now = self._model, info.context.now
        left = int((g.due_at - now).total_seconds()) if g.due_at else None
        return StageClock(stage=g.stage, started_at=g.stage_started_at, due_at=g.due_at, seconds_left=left,
                          overdue=left is not None and left < 0, paused=g.status is State.AWAITING_CITIZEN,
                          paused_stage=g.paused_stage, paused_seconds_left=g.paused_remaining_seconds,
                          mode=g.stage_mode, disposal_due_at=g.disposal_due_at)

    @strawberry.field(description="Where the escalation ladder has taken it (null: not escalated).")
    async def escalated_to(self, info: Info) -> Unit | None:
        unit_id = self._model.escalated_to_id  # type: ignore[attr-defined]
        unit = await info.context.loaders.unit_by_id.load(unit_id) if unit_id else None
        return Unit.from_model(unit) if unit else None

    @strawberry.field
    def escalated_at(self) -> datetime | None:
        return self._model.escalated_at

    @strawberry.field(description="When the next rung of the ladder is due, if any.")
    def escalation_due_at(self) -> datetime | None:
        return self._model.escalation_due_at

    @strawberry.field(description="The office the grievance is with now.")
    async def unit(self, info: Info) -> Unit | None:
        unit = await info.context.loaders.unit_by_id.load(self._model.unit_id)  # type: ignore[attr-defined]
        return Unit.from_model(unit) if unit else None

    @strawberry.field(description="Where it entered: the allotting authority, top of the review chain.")
    async def intake_unit(self, info: Info) -> Unit | None:
        unit = await info.context.loaders.unit_by_id.load(self._model.intake_unit_id)  # type: ignore[attr-defined]
        return Unit.from_model(unit) if unit else None

    @strawberry.field(description="The units that review the final report, lowest first.")
    async def review_chain(self, info: Info) -> list[Unit]:
        units = [await info.context.loaders.unit_by_id.load(i) for i in self._model.review_chain]
        return [Unit.from_model(u) for u in units if u]

    @strawberry.field
    def review_level(self) -> int:
        return self._model.review_level

    @strawberry.field(description="The officer who must act; empty for the citizen.")
    async def assigned_officer_name(self, info: Info) -> str:
        officer_id = self._model.assigned_officer_id  # type: ignore[attr-defined]
        if officer_id is None or info.context.actor.kind is ActorKind.CITIZEN:
            return ""
        user = await StaffUser.get_or_none(id=officer_id)
        return user.full_name if user else ""

    @strawberry.field(description="The office the grievance is against (conflict of interest): it is never "
                                  "routed there, and nobody holding a role there or below sees it.")
    async def against_unit(self, info: Info) -> Unit | None:
        unit_id = self._model.against_unit_id  # type: ignore[attr-defined]
        unit = await info.context.loaders.unit_by_id.load(unit_id) if unit_id is not None else None
        return Unit.from_model(unit) if unit else None

    @strawberry.field(description="The official the grievance is against, who never sees it; empty when none.")
    async def against_officer_name(self) -> str:
        officer_id = self._model.against_officer_id  # type: ignore[attr-defined]
        user = await StaffUser.get_or_none(id=officer_id) if officer_id is not None else None
        return user.full_name if user else ""

    @strawberry.field
    def assigned_officer_id(self) -> strawberry.ID | None:
        officer_id = self._model.assigned_officer_id  # type: ignore[attr-defined]
        return strawberry.ID(str(officer_id)) if officer_id else None

    @strawberry.field(description="The grievance this one was linked to as a duplicate.")
    async def master_number(self) -> str | None:
        master_id = self._model.master_id  # type: ignore[attr-defined]
        if master_id is None:
            return None
        master = await GrievanceModel.get_or_none(id=master_id)
        return master.number if master else None

    @strawberry.field(description="Earlier grievances this one resembles (staff only).")
    async def suspected_duplicates(self, info: Info) -> list[str]:
        if info.context.actor.kind is not ActorKind.STAFF or not self._model.suspected_duplicates:
            return []
        # Only those the viewer may see: a look-alike elsewhere, or one against the viewer, is no business of theirs.
        rows = await GrievanceModel.filter(id__in=self._model.suspected_duplicates)
        return sorted([g.number for g in rows if await access.may_view(info.context.actor, g)])

    @strawberry.field(description="The trail of events; the citizen's omits internal notes and staff names.")
    async def timeline(self, info: Info, language: str = "en") -> list[TimelineEntry]:
        # The citizen's own entries carry their name: masked like the contact fields.
        name = (await self._contact(info)).name
        entries = await selectors.timeline(info.context.actor, self._model, language[:8], citizen_name=name)
        return [TimelineEntry(at=e.at, action=e.action, from_status=e.from_state, to_status=e.to_state, note=e.note,
                              role=e.role, unit_name=e.unit_name, actor_name=e.actor_name, internal=e.internal)
                for e in entries]

    @strawberry.field(description="Files the viewer may read: the citizen's, and staff-only ones for staff.")
    async def attachments(self, info: Info) -> list[Attachment]:
        return [Attachment.from_model(a) for a in await visible_on(info.context.actor, self._model)]

    @strawberry.field
    async def reports(self, info: Info) -> list[Report]:
        citizen_view = info.context.actor.kind is ActorKind.CITIZEN
        return [Report.from_model(r, citizen_view) for r in await selectors.reports_of(info.context.actor, self._model)]

    @strawberry.field(description="What the viewer may do now according to the lifecycle table (their role at the "
                                  "office holding it); the server checks again on every action.")
    def available_actions(self, info: Info) -> list[Action]:
        parties = parties_at(info.context.actor, self._model.unit_path)
        return [a for a in actions_for(self._model.status, parties) if a is not Action.FILE]


@strawberry.type
class GrievancePage:
    items: list[Grievance]
    end_cursor: str | None
    has_next_page: bool


@strawberry.type
class GrievanceSuccess:
    grievance: Grievance


@strawberry.type
class GrievanceFileSuccess:
    grievance: Grievance
    created: bool = strawberry.field(description="False when this idempotency key had already filed it.")


@strawberry.type
class ReportSuccess:
    grievance: Grievance
    report: Report




@strawberry.type(description="A citizen's contact details, revealed with a recorded reason.")
class GrievanceContact:
    name: str
    mobile: str
    email: str
    address: str
