"""Grievances over GraphQL: thin resolvers over `backend.grievances`.

Every mutation returns `...Success | OperationError`. After a successful one the outbox
dispatcher is woken; if the queue is unreachable the cron sweep sends the messages
later, so the action itself never fails for it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated
from weakref import WeakKeyDictionary

import strawberry

from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.api.grievances.types import (
    Grievance,
    GrievanceContact,
    GrievanceFileSuccess,
    GrievancePage,
    GrievanceSuccess,
    Report,
    ReportSuccess,
)
from backend.api.ids import int_id
from backend.api.limits import page_maximum
from backend.core.clock import utcnow
from backend.core.errors import DomainError
from backend.grievances import access, intake, privacy, reports, selectors, services
from backend.grievances.channels import Channel
from backend.grievances.kinds import ReportKind, Visibility
from backend.grievances.models import Grievance as GrievanceModel
from backend.grievances.states import RejectionReason, Stage, State
from workers import names

log = logging.getLogger(__name__)
Info = strawberry.Info[Context, None]

GrievanceResult = Annotated[GrievanceSuccess | OperationError, strawberry.union("GrievanceResult")]


@strawberry.input
class GrievanceFileInput:
    channel: Channel
    category_id: strawberry.ID
    area_code: str
    subject: str
    description: str
    relief_sought: str
    citizen_name: str = ""
    citizen_mobile: str = strawberry.field(default="", description="Ignored for citizens: their own number is used.")
    citizen_email: str = ""
    citizen_address: str = ""
    language: str = "en"
    location_address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    attachment_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    idempotency_key: str = strawberry.field(default="", description="A retry with the same key returns the same grievance.")
    against_officer_id: strawberry.ID | None = strawberry.field(
        default=None, description="The official the grievance is against: it is never routed to, assigned to or shown "
                                  "to them, and is decided above their office.")
    against_unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="The office the grievance is against: it goes to the next level up, and nobody "
                                  "holding a role at that office or below it sees it.")


@strawberry.input
class ReportInput:
    concerns_office: bool | None = None
    right_authority: str = ""
    known_before: bool | None = None
    action_taken: str = ""
    resolvable_in_72h: bool | None = None
    reasons_if_not: str = ""
    reply: str = strawberry.field(default="", description="What the citizen is told.")
    attachment_ids: list[strawberry.ID] = strawberry.field(default_factory=list)

    def to_domain(self) -> reports.ReportInput:
        return reports.ReportInput(
            concerns_office=self.concerns_office, right_authority=self.right_authority, known_before=self.known_before,
            action_taken=self.action_taken, resolvable_in_72h=self.resolvable_in_72h,
            reasons_if_not=self.reasons_if_not, reply=self.reply, attachment_ids=[int_id(i) for i in self.attachment_ids],
        )


@strawberry.input
class InboxFilterInput:
    statuses: list[State] = strawberry.field(default_factory=list)
    stages: list[Stage] = strawberry.field(default_factory=list)
    due_before: datetime | None = None
    overdue: bool = False
    escalated: bool = False
    escalated_to_me: bool = strawberry.field(default=False, description="Only what was escalated to my units.")
    category_id: strawberry.ID | None = None
    area_code: str = ""
    channel: Channel | None = None
    unit_id: strawberry.ID | None = None
    assigned_to_me: bool = False
    search: str = ""

    def to_domain(self) -> selectors.InboxFilter:
        return selectors.InboxFilter(
            statuses=list(self.statuses), stages=list(self.stages), due_before=self.due_before, overdue=self.overdue,
            escalated=self.escalated, escalated_to_me=self.escalated_to_me,
            category_id=int_id(self.category_id) if self.category_id else None,
            area_code=self.area_code[:128], channel=self.channel,
            unit_id=int_id(self.unit_id) if self.unit_id else None, assigned_to_me=self.assigned_to_me,
            search=self.search[:200],
        )


def _page(page: selectors.Page) -> GrievancePage:
    return GrievancePage(items=[Grievance.from_model(g) for g in page.items], end_cursor=page.end_cursor,
                         has_next_page=page.has_next_page)


# Per queue (one per process), the second in which the next second's wake-up is known to
# be queued: every later action committed in that second is seen by that wake-up, which
# cannot start before the second is over, so it needs no call to Redis at all (two
# enqueues, several round trips each, on nearly every action under load: tests/bench).
_NEXT_QUEUED: WeakKeyDictionary[object, int] = WeakKeyDictionary()


async def wake_outbox(info: Info) -> None:
    try:
        # One wake-up per second at most: a burst of actions shares it. The second is
        # the enqueue's, after the commit, not the request's start.
        second = int(utcnow().timestamp())
        queue = info.context.runtime.queue
        if _NEXT_QUEUED.get(queue) == second:
            return
        if not await queue.enqueue(names.DISPATCH_OUTBOX, job_id=f"{names.DISPATCH_OUTBOX}:{second}"):
            # This second's wake-up exists and may be running already, past the query
            # that would have found this change (which then waited for the cron, up to
            # a minute): one more, starting once this second is over - after our commit.
            await queue.enqueue(names.DISPATCH_OUTBOX, job_id=f"{names.DISPATCH_OUTBOX}:{second + 1}",
                                defer_until=datetime.fromtimestamp(second + 1, UTC))
            _NEXT_QUEUED[queue] = second
    except Exception:  # the cron sweep is the safety net; the action has committed
        log.warning("could not wake the outbox dispatcher", exc_info=True)


async def act(info: Info, call: Callable[[], Awaitable[GrievanceModel]]) -> GrievanceSuccess | OperationError:
    async def run() -> GrievanceSuccess:
        grievance = await call()
        await wake_outbox(info)
        return GrievanceSuccess(grievance=Grievance.from_model(grievance))

    return await as_data(run)


@strawberry.type
class GrievanceQueries:
    @strawberry.field(description="A grievance the viewer may see, else null.")
    async def grievance(self, info: Info, id: strawberry.ID) -> Grievance | None:
        try:
            return Grievance.from_model(await access.get_visible(info.context.actor, int_id(id)))
        except DomainError:
            return None

    @strawberry.field(description="Find a grievance by its number (e.g. GOB/W/2026/0000001), if the viewer may see it.")
    async def grievance_by_number(self, info: Info, number: str) -> Grievance | None:
        try:
            return Grievance.from_model(await access.get_visible_by_number(info.context.actor, number[:96]))
        except DomainError:
            return None

    @strawberry.field(description="The signed-in citizen's grievances, newest first; `first` at most "
                                  f"{page_maximum('Query', 'myGrievances')}.")
    async def my_grievances(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Annotated[GrievancePage | OperationError, strawberry.union("MyGrievancesResult")]:
        async def run() -> GrievancePage:
            return _page(await selectors.my_grievances(info.context.actor, first=first, after=after))

        return await as_data(run)

    @strawberry.field(description="Staff inbox: what the viewer's units hold, due first; cursor-paginated, `first` "
                                  f"at most {page_maximum('Query', 'inbox')}.")
    async def inbox(
        self, info: Info, filter: InboxFilterInput | None = None, first: int = 25, after: str | None = None
    ) -> Annotated[GrievancePage | OperationError, strawberry.union("InboxResult")]:
        async def run() -> GrievancePage:
            filters = (filter or InboxFilterInput()).to_domain()
            return _page(await selectors.inbox(info.context.actor, filters, now=info.context.now, first=first,
                                               after=after))

        return await as_data(run)


@strawberry.type
class GrievanceMutations:
    @strawberry.mutation(description="File a grievance (citizen on the web; agents and the cell for citizens).")
    async def grievance_file(
        self, info: Info, input: GrievanceFileInput
    ) -> Annotated[GrievanceFileSuccess | OperationError, strawberry.union("GrievanceFileResult")]:
        async def run() -> GrievanceFileSuccess:
            data = intake.FilingInput(
                channel=input.channel, category_id=int_id(input.category_id), area_code=input.area_code,
                subject=input.subject, description=input.description, relief_sought=input.relief_sought,
                citizen_name=input.citizen_name, citizen_mobile=input.citizen_mobile, citizen_email=input.citizen_email,
                citizen_address=input.citizen_address, language=input.language, location_address=input.location_address,
                latitude=input.latitude, longitude=input.longitude,
                attachment_ids=[int_id(i) for i in input.attachment_ids], idempotency_key=input.idempotency_key,
                against_officer_id=int_id(input.against_officer_id) if input.against_officer_id is not None else None,
                against_unit_id=int_id(input.against_unit_id) if input.against_unit_id is not None else None,
            )
            result = await intake.file_grievance(info.context.settings, info.context.actor, data, now=info.context.now)
            await wake_outbox(info)
            return GrievanceFileSuccess(grievance=Grievance.from_model(result.grievance), created=result.created)

        return await as_data(run)

    @strawberry.mutation(description="Register (triage) a filed grievance.")
    async def grievance_register(self, info: Info, id: strawberry.ID, note: str = "",
                                 expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: services.register(info.context.actor, int_id(id), note=note,
                                                          expected_version=expected_version, now=info.context.now))

    @strawberry.mutation(description="Allot to the office concerned (within the viewer's jurisdiction).")
    async def grievance_allot(self, info: Info, id: strawberry.ID, unit_id: strawberry.ID, note: str = "",
                              expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: services.allot(info.context.actor, int_id(id), unit_id=int_id(unit_id), note=note,
                                                       expected_version=expected_version, now=info.context.now))

    @strawberry.mutation(description="Transfer down the holding office's subtree.")
    async def grievance_transfer(self, info: Info, id: strawberry.ID, unit_id: strawberry.ID, note: str = "",
                                 expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: services.transfer(info.context.actor, int_id(id), unit_id=int_id(unit_id),
                                                          note=note, expected_version=expected_version,
                                                          now=info.context.now))

    @strawberry.mutation(description="\"Not ours\": back to whoever allotted it, naming the right authority.")
    async def grievance_not_ours(self, info: Info, id: strawberry.ID, right_authority: str,
                                 suggested_unit_id: strawberry.ID | None = None, note: str = "",
                                 expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: services.not_ours(
            info.context.actor, int_id(id), right_authority=right_authority,
            suggested_unit_id=int_id(suggested_unit_id) if suggested_unit_id else None, note=note,
            expected_version=expected_version, now=info.context.now))

    @strawberry.mutation(description="Assign an officer of the holding office.")
    async def grievance_assign(self, info: Info, id: strawberry.ID, officer_id: strawberry.ID, note: str = "",
                               expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: services.assign(info.context.actor, int_id(id), officer_id=int_id(officer_id),
                                                        note=note, expected_version=expected_version,
                                                        now=info.context.now))

    @strawberry.mutation(description="Reject with a reason code (sub judice, RTI matter, ...) and a note.")
    async def grievance_reject(self, info: Info, id: strawberry.ID, reason: RejectionReason, note: str,
                               expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: services.reject(info.context.actor, int_id(id), reason=reason, note=note,
                                                        expected_version=expected_version, now=info.context.now))

    @strawberry.mutation(description="Link as a duplicate of a master grievance; its filer follows the master.")
    async def grievance_link_duplicate(self, info: Info, id: strawberry.ID, master_id: strawberry.ID, note: str = "",
                                       expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: services.link_duplicate(info.context.actor, int_id(id),
                                                                master_id=int_id(master_id), note=note,
                                                                expected_version=expected_version,
                                                                now=info.context.now))

    @strawberry.mutation(description="Ask the citizen for information; the clock pauses until they reply.")
    async def grievance_request_info(self, info: Info, id: strawberry.ID, question: str,
                                     expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: services.request_info(info.context.actor, int_id(id), question=question,
                                                              expected_version=expected_version, now=info.context.now))

    @strawberry.mutation(description="The citizen's reply to a request for information.")
    async def grievance_reply(self, info: Info, id: strawberry.ID, text: str,
                              attachment_ids: list[strawberry.ID] | None = None,
                              expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: services.citizen_reply(
            info.context.actor, int_id(id), text=text, attachment_ids=[int_id(i) for i in attachment_ids or []],
            expected_version=expected_version, now=info.context.now))

    @strawberry.mutation(description="A note on the case: INTERNAL for staff, CITIZEN for everyone on it.")
    async def grievance_comment(self, info: Info, id: strawberry.ID, text: str,
                                visibility: Visibility = Visibility.INTERNAL) -> GrievanceResult:
        return await act(info, lambda: services.comment(info.context.actor, int_id(id), text=text,
                                                         visibility=visibility, now=info.context.now))

    @strawberry.mutation(description="Read the citizen's contact details while not handling the grievance, "
                                     "with the reason recorded in the audit trail.")
    async def grievance_reveal_contact(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> Annotated[GrievanceContact | OperationError, strawberry.union("GrievanceRevealContactResult")]:
        async def run() -> GrievanceContact:
            c = await privacy.reveal_contact(info.context.actor, int_id(id), reason=reason, now=info.context.now)
            return GrievanceContact(name=c.name, mobile=c.mobile, email=c.email, address=c.address)

        return await as_data(run)

    @strawberry.mutation(description="Submit a preliminary report, an interim reply or the final report (ATR).")
    async def report_submit(
        self, info: Info, id: strawberry.ID, kind: ReportKind, input: ReportInput, expected_version: int | None = None
    ) -> Annotated[ReportSuccess | OperationError, strawberry.union("ReportSubmitResult")]:
        submit = {ReportKind.PRELIMINARY: reports.preliminary_report, ReportKind.INTERIM: reports.interim_reply,
                  ReportKind.FINAL: reports.final_report}[kind]

        async def run() -> ReportSuccess:
            grievance, report = await submit(info.context.actor, int_id(id), input.to_domain(),
                                             expected_version=expected_version, now=info.context.now)
            await wake_outbox(info)
            return ReportSuccess(grievance=Grievance.from_model(grievance), report=Report.from_model(report, False))

        return await as_data(run)

    @strawberry.mutation(description="Approve the final report at this level; it goes to the next level up.")
    async def review_approve(self, info: Info, id: strawberry.ID, note: str = "",
                             expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: reports.review_approve(info.context.actor, int_id(id), note=note,
                                                               expected_version=expected_version, now=info.context.now))

    @strawberry.mutation(description="Send the final report back to the acting office with a note.")
    async def review_send_back(self, info: Info, id: strawberry.ID, note: str,
                               expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: reports.send_back(info.context.actor, int_id(id), note=note,
                                                          expected_version=expected_version, now=info.context.now))

    @strawberry.mutation(description="Close the grievance at the top of the review chain; the citizen is told.")
    async def grievance_close(self, info: Info, id: strawberry.ID, note: str = "",
                              expected_version: int | None = None) -> GrievanceResult:
        return await act(info, lambda: reports.close(info.context.actor, int_id(id), note=note,
                                                      expected_version=expected_version, now=info.context.now))
