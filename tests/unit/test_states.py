"""The lifecycle table: structural checks and hypothesis-driven random walks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.grievances import clocks
from backend.grievances.review_chain import review_chain
from backend.grievances.states import (
    PENDING,
    REOPENING,
    TABLE,
    TERMINAL,
    Action,
    Clock,
    Party,
    Stage,
    State,
    TransitionRefused,
    actions_for,
    rule,
    transition,
)

RECONSIDERATION = {State.DISPUTED, State.APPEALED}


def test_every_state_is_reachable_from_filing() -> None:
    reached = {State.FILED}
    frontier = [State.FILED]
    while frontier:
        state = frontier.pop()
        for row in TABLE:
            if row.state == state and row.next_state is not None and row.next_state not in reached:
                reached.add(row.next_state)
                frontier.append(row.next_state)
    assert reached == set(State)


def test_every_row_names_parties_and_start_rows_name_a_stage() -> None:
    for row in TABLE:
        assert row.parties, row
        if row.clock in (Clock.START, Clock.PAUSE):
            assert row.stage is not None, row


def test_terminal_states_leave_only_by_reopening_actions_or_in_place() -> None:
    for row in TABLE:
        if row.state in TERMINAL and row.next_state not in TERMINAL:
            assert row.action in REOPENING, row
        if row.state in RECONSIDERATION and row.next_state not in TERMINAL | RECONSIDERATION:
            assert row.action in REOPENING, row


def test_not_ours_never_closes_and_goes_back_for_re_routing() -> None:
    rows = [r for r in TABLE if r.action is Action.NOT_OURS]
    assert rows and all(r.next_state is State.RETURNED for r in rows)
    assert State.RETURNED in PENDING


def test_refusals_name_the_reason() -> None:
    with pytest.raises(TransitionRefused, match="not possible"):
        transition(State.CLOSED, Action.ASSIGN, Party.NODAL_OFFICER)
    with pytest.raises(TransitionRefused, match="may not"):
        transition(State.ASSIGNED, Action.FINAL_REPORT, Party.CITIZEN)
    with pytest.raises(TransitionRefused, match="no paused stage"):
        transition(State.AWAITING_CITIZEN, Action.CITIZEN_REPLY, Party.CITIZEN)


def test_citizen_reply_returns_to_the_paused_state() -> None:
    outcome = transition(State.AWAITING_CITIZEN, Action.CITIZEN_REPLY, Party.CITIZEN, paused_from=State.IN_PROGRESS)
    assert outcome.state is State.IN_PROGRESS and outcome.clock is Clock.RESUME


def test_officer_cannot_triage_and_citizen_can_only_file_reply_comment_appeal() -> None:
    assert Action.ALLOT not in actions_for(State.FILED, frozenset({Party.OFFICER}))
    citizen_actions = {r.action for r in TABLE if Party.CITIZEN in r.parties}
    assert citizen_actions == {Action.FILE, Action.CITIZEN_REPLY, Action.COMMENT, Action.APPEAL}


steps = st.lists(st.tuples(st.sampled_from(list(Action)), st.sampled_from(list(Party))), min_size=1, max_size=60)


@settings(max_examples=400, deadline=None)
@given(steps)
def test_random_walks_keep_the_invariants(walk: list[tuple[Action, Party]]) -> None:
    state: State | None = None
    paused_from: State | None = None
    closed_since_reopen = False
    for action, party in walk:
        row = rule(state, action)
        try:
            outcome = transition(state, action, party, paused_from=paused_from)
        except TransitionRefused:
            # Refused exactly when there is no row, the party is not in it, or there
            # is nothing paused to resume.
            assert row is None or party not in row.parties or row.next_state is None
            continue
        assert row is not None and party in row.parties
        assert isinstance(outcome.state, State)
        if outcome.clock is Clock.PAUSE:
            paused_from = state
        elif outcome.clock is Clock.RESUME:
            assert outcome.state == paused_from
            paused_from = None
        if outcome.state in TERMINAL:
            closed_since_reopen = True
        elif closed_since_reopen and outcome.state not in RECONSIDERATION:
            # Back to work after a closure: only by remand or appeal.
            assert action in (Action.REMAND, Action.APPEAL_REOPEN), (state, action)
            closed_since_reopen = False
        state = outcome.state


NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


LIMITS = clocks.default_limits()


@given(st.integers(min_value=0, max_value=72 * 3600))
def test_pause_then_resume_keeps_the_time_left(elapsed: int) -> None:
    running = clocks.apply(clocks.ClockState(None, None, None), Clock.START, Stage.FINAL_REPORT, NOW, LIMITS)
    paused_at = NOW + timedelta(seconds=elapsed)
    paused = clocks.apply(running, Clock.PAUSE, Stage.CITIZEN_REPLY, paused_at, LIMITS)
    assert paused.paused_stage is Stage.FINAL_REPORT
    later = paused_at + timedelta(days=3)
    resumed = clocks.apply(paused, Clock.RESUME, None, later, LIMITS)
    assert running.due_at is not None and resumed.due_at is not None
    assert resumed.stage is Stage.FINAL_REPORT
    assert resumed.due_at - later == max(timedelta(0), running.due_at - paused_at)


@given(st.integers(min_value=0, max_value=7 * 3600), st.integers(min_value=0, max_value=20 * 24 * 3600))
def test_a_working_time_clock_resumes_with_the_working_time_it_had(elapsed: int, wait: int) -> None:
    """Review is one working day: pausing keeps working seconds, so what is left after
    the citizen's reply is the same working time, whatever nights and holidays passed."""
    running = clocks.apply(clocks.ClockState(None, None, None), Clock.START, Stage.REVIEW, NOW, LIMITS)
    assert running.due_at is not None
    paused_at = NOW + timedelta(seconds=elapsed)
    paused = clocks.apply(running, Clock.PAUSE, Stage.CITIZEN_REPLY, paused_at, LIMITS)
    resumed = clocks.apply(paused, Clock.RESUME, None, paused_at + timedelta(seconds=wait), LIMITS)
    assert resumed.due_at is not None and paused.paused_remaining_seconds is not None
    cal = LIMITS[Stage.REVIEW].calendar
    left = cal.working_between(paused_at + timedelta(seconds=wait), resumed.due_at)
    assert left == timedelta(seconds=paused.paused_remaining_seconds)


def test_review_chain_climbs_to_the_allotting_authority() -> None:
    # /1 national /2 state /3 department /4 district /5 block; the cell is /1/2/9/.
    assert review_chain("/1/2/3/4/5/", "/1/2/", 2) == [4, 3, 2]
    assert review_chain("/1/2/3/4/5/", "/1/2/9/", 9) == [4, 3, 9]
    assert review_chain("/1/2/3/4/", "/1/2/3/4/", 4) == [4]
    assert review_chain("/1/2/3/4/5/", "/1/2/3/4/", 4) == [4]
