"""The grievance lifecycle as one explicit table: (state, action, party) -> next state + clock.

Every status change anywhere (services, workers, imports) goes through `transition()`;
no other module writes a status. Pure: standard library only, so the property tests can
drive it without a database.

Parties are the staff roles plus the citizen and the system (jobs: auto-routing,
escalation, disputes raised by feedback, the Right-to-Service auto appeal). The table
says who *may* take an action in a state; which unit they must hold it in (the holder,
the reviewing level, the department's head) is decided by the service with
`backend.authz.policy`, because it depends on where the grievance is.

Rows for feedback, disputes and appeals are here already, so that the issues which add
those use cases only add services, not states.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from backend.accounts.roles import Role


class State(StrEnum):
    FILED = "filed"                    # received, waiting for the cell / nodal unit to register it
    REGISTERED = "registered"          # registered (triaged), waiting to be allotted
    ALLOTTED = "allotted"              # with an office, no officer assigned yet
    ASSIGNED = "assigned"              # an officer of the holding office must act
    IN_PROGRESS = "in_progress"        # the preliminary report is in; the final report is due
    AWAITING_CITIZEN = "awaiting_citizen"  # information requested from the citizen; clock paused
    RETURNED = "returned"              # "not ours": back with whoever allotted it, to re-route
    UNDER_REVIEW = "under_review"      # the final report (ATR) climbs the review chain
    SENT_BACK = "sent_back"            # a reviewer sent the ATR back to the acting office
    CLOSED = "closed"                  # disposed: the top of the chain accepted the ATR
    REJECTED = "rejected"              # not admissible (reason code recorded)
    LINKED = "linked"                  # a duplicate: follows its master grievance
    DISPUTED = "disputed"              # feedback contradicts the ATR: with the department's head
    APPEALED = "appealed"              # with the appellate authority


class Action(StrEnum):
    FILE = "file"
    REGISTER = "register"
    ALLOT = "allot"
    AUTO_ROUTE = "auto_route"
    TRANSFER = "transfer"
    NOT_OURS = "not_ours"
    ASSIGN = "assign"
    PRELIMINARY_REPORT = "preliminary_report"
    INTERIM_REPLY = "interim_reply"
    FINAL_REPORT = "final_report"
    REVIEW_APPROVE = "review_approve"
    SEND_BACK = "send_back"
    CLOSE = "close"
    REJECT = "reject"
    REQUEST_INFO = "request_info"
    CITIZEN_REPLY = "citizen_reply"
    LINK_DUPLICATE = "link_duplicate"
    MASTER_CLOSED = "master_closed"
    COMMENT = "comment"
    ESCALATE = "escalate"
    # Feedback, disputes and appeals (their services come with the feedback issue).
    DISPUTE = "dispute"
    REMAND = "remand"
    UPHOLD = "uphold"
    APPEAL = "appeal"
    APPEAL_REOPEN = "appeal_reopen"
    APPEAL_UPHOLD = "appeal_uphold"
    # Right to Service (seed 002): the designated officer records that the citizen has
    # not applied through the proper channel (30 days to help them apply), then the
    # application once made; a missed RTS deadline files the next appeal by itself.
    RTS_NOT_APPLIED = "rts_not_applied"
    RTS_APPLICATION = "rts_application"
    RTS_APPEAL = "rts_appeal"


class Party(StrEnum):
    CITIZEN = "citizen"
    SYSTEM = "system"
    CALL_CENTRE_AGENT = Role.CALL_CENTRE_AGENT.value
    CELL_OPERATOR = Role.CELL_OPERATOR.value
    NODAL_OFFICER = Role.NODAL_OFFICER.value
    OFFICER = Role.OFFICER.value
    REVIEWER = Role.REVIEWER.value
    HEAD = Role.HEAD.value
    ESCALATION_AUTHORITY = Role.ESCALATION_AUTHORITY.value
    APPELLATE_AUTHORITY = Role.APPELLATE_AUTHORITY.value
    ORG_ADMIN = Role.ORG_ADMIN.value
    SYSTEM_ADMIN = Role.SYSTEM_ADMIN.value

    @classmethod
    def of_role(cls, role: Role) -> Party:
        return cls(role.value)


class Stage(StrEnum):
    """The clock that runs in a state: what is due, and from whom."""

    REGISTRATION = "registration"
    ALLOTMENT = "allotment"
    PRELIMINARY_REPORT = "preliminary_report"
    FINAL_REPORT = "final_report"
    REVIEW = "review"
    CITIZEN_REPLY = "citizen_reply"
    DISPUTE_DECISION = "dispute_decision"
    HELP_TO_APPLY = "help_to_apply"     # RTS: the office helps the citizen apply (30 days)
    APPEAL_DECISION = "appeal_decision"
    # Clocks that run beside the stages: the whole disposal (CPGRAMS' 21 days) and
    # telling the citizen of the outcome (sent at once through the outbox).
    DISPOSAL = "disposal"
    INFORM_CITIZEN = "inform_citizen"


class Clock(StrEnum):
    """What a transition does to the stage clock."""

    START = "start"    # a new stage begins: its deadline is set from now
    KEEP = "keep"      # the running stage continues (a comment, a transfer within a stage)
    PAUSE = "pause"    # stop counting; remember the time left
    RESUME = "resume"  # continue the paused stage with the time that was left
    STOP = "stop"      # no clock runs (closed, rejected, linked)


class RejectionReason(StrEnum):
    SUB_JUDICE = "sub_judice"
    RTI_MATTER = "rti_matter"
    SUGGESTION_ONLY = "suggestion_only"
    DUPLICATE = "duplicate"
    SERVICE_MATTER = "service_matter"          # a government servant's own service matter
    POLICY_DECISION = "policy_decision"
    OUTSIDE_JURISDICTION = "outside_jurisdiction"
    INCOMPLETE = "incomplete"
    ABUSIVE = "abusive"


# Rejection reasons that may never be used on a Right-to-Service grievance (seed 002:
# such grievances are never returned or rejected because the citizen did not apply).
NOT_FOR_RIGHT_TO_SERVICE: frozenset[RejectionReason] = frozenset({RejectionReason.INCOMPLETE})


@dataclass(frozen=True)
class Row:
    state: State | None       # None: the grievance does not exist yet
    action: Action
    parties: frozenset[Party]
    next_state: State | None  # None: return to the state that was paused (citizen reply)
    clock: Clock
    stage: Stage | None = None  # the stage a START begins


_P = Party
INTAKE = frozenset({_P.CITIZEN, _P.CALL_CENTRE_AGENT, _P.CELL_OPERATOR, _P.SYSTEM})
TRIAGE = frozenset({_P.CELL_OPERATOR, _P.NODAL_OFFICER, _P.ORG_ADMIN, _P.SYSTEM_ADMIN})
ALLOTTERS = TRIAGE | {_P.HEAD}
HOLDERS = frozenset({_P.NODAL_OFFICER, _P.CELL_OPERATOR, _P.HEAD})
OFFICERS = frozenset({_P.OFFICER, _P.NODAL_OFFICER})
REVIEWERS = frozenset({_P.REVIEWER, _P.HEAD, _P.NODAL_OFFICER, _P.CELL_OPERATOR, _P.ESCALATION_AUTHORITY})
CLOSERS = frozenset({_P.CELL_OPERATOR, _P.NODAL_OFFICER, _P.HEAD, _P.ESCALATION_AUTHORITY})
COMMENTERS = frozenset(Party) - {_P.SYSTEM}
OPEN_WORK = (State.ALLOTTED, State.ASSIGNED, State.IN_PROGRESS, State.SENT_BACK)
# Where a Right-to-Service grievance can be when its deadline passes and the appeal is
# filed by itself. Not AWAITING_CITIZEN: the citizen's turn stops every clock.
RTS_APPEALABLE = (State.FILED, State.REGISTERED, State.RETURNED, *OPEN_WORK, State.UNDER_REVIEW, State.APPEALED)

S, A, C, G = State, Action, Clock, Stage


def _rows() -> tuple[Row, ...]:
    rows: list[Row] = [
        Row(None, A.FILE, INTAKE, S.FILED, C.START, G.REGISTRATION),
        Row(S.FILED, A.REGISTER, TRIAGE, S.REGISTERED, C.START, G.ALLOTMENT),
        Row(S.FILED, A.AUTO_ROUTE, frozenset({_P.SYSTEM}), S.ALLOTTED, C.START, G.PRELIMINARY_REPORT),
        Row(S.FILED, A.ALLOT, TRIAGE, S.ALLOTTED, C.START, G.PRELIMINARY_REPORT),
        Row(S.REGISTERED, A.ALLOT, ALLOTTERS, S.ALLOTTED, C.START, G.PRELIMINARY_REPORT),
        Row(S.RETURNED, A.ALLOT, ALLOTTERS, S.ALLOTTED, C.START, G.PRELIMINARY_REPORT),
        Row(S.ALLOTTED, A.ASSIGN, HOLDERS | {_P.SYSTEM}, S.ASSIGNED, C.KEEP),
        Row(S.ASSIGNED, A.ASSIGN, HOLDERS, S.ASSIGNED, C.KEEP),
        Row(S.IN_PROGRESS, A.ASSIGN, HOLDERS, S.IN_PROGRESS, C.KEEP),
        Row(S.SENT_BACK, A.ASSIGN, HOLDERS, S.SENT_BACK, C.KEEP),
        Row(S.ASSIGNED, A.PRELIMINARY_REPORT, OFFICERS, S.IN_PROGRESS, C.START, G.FINAL_REPORT),
        Row(S.ALLOTTED, A.PRELIMINARY_REPORT, OFFICERS, S.IN_PROGRESS, C.START, G.FINAL_REPORT),
        Row(S.IN_PROGRESS, A.INTERIM_REPLY, OFFICERS, S.IN_PROGRESS, C.KEEP),
        Row(S.SENT_BACK, A.INTERIM_REPLY, OFFICERS, S.SENT_BACK, C.KEEP),
        Row(S.ALLOTTED, A.FINAL_REPORT, OFFICERS, S.UNDER_REVIEW, C.START, G.REVIEW),
        Row(S.ASSIGNED, A.FINAL_REPORT, OFFICERS, S.UNDER_REVIEW, C.START, G.REVIEW),
        Row(S.IN_PROGRESS, A.FINAL_REPORT, OFFICERS, S.UNDER_REVIEW, C.START, G.REVIEW),
        Row(S.SENT_BACK, A.FINAL_REPORT, OFFICERS, S.UNDER_REVIEW, C.START, G.REVIEW),
        Row(S.UNDER_REVIEW, A.REVIEW_APPROVE, REVIEWERS, S.UNDER_REVIEW, C.START, G.REVIEW),
        Row(S.UNDER_REVIEW, A.SEND_BACK, REVIEWERS, S.SENT_BACK, C.START, G.FINAL_REPORT),
        Row(S.UNDER_REVIEW, A.CLOSE, CLOSERS, S.CLOSED, C.STOP),
        Row(S.CLOSED, A.DISPUTE, frozenset({_P.SYSTEM, _P.CALL_CENTRE_AGENT}), S.DISPUTED, C.START, G.DISPUTE_DECISION),
        Row(S.DISPUTED, A.REMAND, frozenset({_P.HEAD}), S.ASSIGNED, C.START, G.FINAL_REPORT),
        Row(S.DISPUTED, A.UPHOLD, frozenset({_P.HEAD}), S.CLOSED, C.STOP),
        Row(S.APPEALED, A.APPEAL_REOPEN, frozenset({_P.APPELLATE_AUTHORITY}), S.ASSIGNED, C.START, G.FINAL_REPORT),
        Row(S.APPEALED, A.APPEAL_UPHOLD, frozenset({_P.APPELLATE_AUTHORITY}), S.CLOSED, C.STOP),
        Row(S.LINKED, A.MASTER_CLOSED, frozenset({_P.SYSTEM}), S.LINKED, C.STOP),
        Row(S.IN_PROGRESS, A.RTS_APPLICATION, OFFICERS, S.IN_PROGRESS, C.START, G.FINAL_REPORT),
    ]
    for state in (S.ALLOTTED, S.ASSIGNED, S.IN_PROGRESS, S.SENT_BACK):
        rows.append(Row(state, A.RTS_NOT_APPLIED, OFFICERS, S.IN_PROGRESS, C.START, G.HELP_TO_APPLY))
    # The first automatic appeal from wherever the service is stuck; the second from the
    # first appellate authority that let its own deadline pass.
    for state in RTS_APPEALABLE:
        rows.append(Row(state, A.RTS_APPEAL, frozenset({_P.SYSTEM}), S.APPEALED, C.START, G.APPEAL_DECISION))
    for state in (S.CLOSED, S.REJECTED):
        rows.append(Row(state, A.APPEAL, frozenset({_P.CITIZEN, _P.SYSTEM}), S.APPEALED, C.START, G.APPEAL_DECISION))
    for state in (S.ALLOTTED, S.ASSIGNED, S.RETURNED):
        rows.append(Row(state, A.TRANSFER, ALLOTTERS | {_P.NODAL_OFFICER}, S.ALLOTTED, C.KEEP))
    # "Not ours" also from RETURNED: an office that got it back may pass it further up.
    for state in (S.ALLOTTED, S.ASSIGNED, S.RETURNED):
        rows.append(Row(state, A.NOT_OURS, OFFICERS | {_P.CELL_OPERATOR, _P.HEAD}, S.RETURNED, C.START, G.ALLOTMENT))
    for state in (S.FILED, S.REGISTERED, S.RETURNED, S.ALLOTTED, S.ASSIGNED):
        rows.append(Row(state, A.REJECT, TRIAGE | {_P.HEAD}, S.REJECTED, C.STOP))
        rows.append(Row(state, A.LINK_DUPLICATE, TRIAGE | {_P.HEAD}, S.LINKED, C.STOP))
    for state in (S.FILED, S.REGISTERED, S.ALLOTTED, S.ASSIGNED, S.IN_PROGRESS, S.SENT_BACK):
        rows.append(Row(state, A.REQUEST_INFO, TRIAGE | OFFICERS | {_P.HEAD}, S.AWAITING_CITIZEN, C.PAUSE, G.CITIZEN_REPLY))
    rows.append(Row(S.AWAITING_CITIZEN, A.CITIZEN_REPLY, frozenset({_P.CITIZEN, _P.CELL_OPERATOR, _P.CALL_CENTRE_AGENT}),
                    None, C.RESUME))
    # Escalation moves no status: it adds an authority who sees and directs the case.
    for state in (S.FILED, S.REGISTERED, S.RETURNED, *OPEN_WORK, S.UNDER_REVIEW, S.AWAITING_CITIZEN,
                  S.DISPUTED, S.APPEALED):
        rows.append(Row(state, A.ESCALATE, frozenset({_P.SYSTEM}), state, C.KEEP))
    for state in State:
        rows.append(Row(state, A.COMMENT, COMMENTERS, state, C.KEEP))
    return tuple(rows)


TABLE: tuple[Row, ...] = _rows()
_INDEX: dict[tuple[State | None, Action], Row] = {}
for _row in TABLE:
    if (_row.state, _row.action) in _INDEX:  # pragma: no cover - a table edit mistake
        raise RuntimeError(f"two rows for {_row.state} / {_row.action}")
    _INDEX[(_row.state, _row.action)] = _row

TERMINAL: frozenset[State] = frozenset({State.CLOSED, State.REJECTED, State.LINKED})
# The only actions by which a terminal grievance is worked on again.
REOPENING: frozenset[Action] = frozenset({Action.DISPUTE, Action.APPEAL, Action.REMAND, Action.APPEAL_REOPEN})
# States in which the grievance is pending with an office (counts as pending work).
PENDING: frozenset[State] = frozenset(State) - TERMINAL


class TransitionRefused(Exception):
    def __init__(self, state: State | None, action: Action, party: Party, reason: str) -> None:
        super().__init__(reason)
        self.state, self.action, self.party, self.reason = state, action, party, reason


@dataclass(frozen=True)
class Outcome:
    state: State
    clock: Clock
    stage: Stage | None


def rule(state: State | None, action: Action) -> Row | None:
    return _INDEX.get((state, action))


def transition(state: State | None, action: Action, party: Party, *, paused_from: State | None = None) -> Outcome:
    """The next state and clock effect, or `TransitionRefused` naming why not."""
    row = _INDEX.get((state, action))
    if row is None:
        where = state.value.replace("_", " ") if state else "a new grievance"
        raise TransitionRefused(state, action, party, f"'{action.value.replace('_', ' ')}' is not possible when {where}")
    if party not in row.parties:
        raise TransitionRefused(state, action, party, f"a {party.value.replace('_', ' ')} may not "
                                                      f"{action.value.replace('_', ' ')}")
    if row.next_state is None:
        if paused_from is None or paused_from is State.AWAITING_CITIZEN or paused_from in TERMINAL:
            raise TransitionRefused(state, action, party, "the grievance has no paused stage to resume")
        return Outcome(paused_from, row.clock, row.stage)
    return Outcome(row.next_state, row.clock, row.stage)


def actions_for(state: State | None, parties: frozenset[Party]) -> list[Action]:
    """Actions any of the parties may take in the state, in table order."""
    return [r.action for r in TABLE if r.state == state and r.parties & parties]
