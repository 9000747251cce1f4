"""Business-time arithmetic: worked examples, then hypothesis properties against a
day-by-day reference that knows nothing about the week jumps."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.sla.calendar import Calendar, Mode, WorkingHours, add_wall, deadline, remaining, resume_deadline

IST = ZoneInfo("Asia/Kolkata")
INDIA = Calendar()
H = timedelta(hours=1)


def ist(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=IST)


# -- working days ------------------------------------------------------------------------


def test_second_and_fourth_saturdays_are_off_by_default() -> None:
    saturdays = [date(2026, 1, d) for d in (3, 10, 17, 24, 31)]
    assert [INDIA.is_working_day(d) for d in saturdays] == [True, False, True, False, True]
    every_saturday = Calendar(second_and_fourth_saturdays_off=False)
    assert all(every_saturday.is_working_day(d) for d in saturdays)
    assert not INDIA.is_working_day(date(2026, 1, 4))  # Sunday
    assert not Calendar(holidays=frozenset({date(2026, 1, 26)})).is_working_day(date(2026, 1, 26))


def test_is_working_day_refuses_a_datetime() -> None:
    with pytest.raises(TypeError):
        INDIA.is_working_day(ist(2026, 1, 5, 11))


def test_construction_checks_its_inputs() -> None:
    with pytest.raises(ValueError, match="time zone"):
        Calendar(time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="weekdays"):
        Calendar(weekdays=frozenset({7}))
    assert Calendar(weekdays={0, 1}, holidays=[date(2026, 1, 5)]).weekdays == frozenset({0, 1})  # type: ignore[arg-type]


# -- worked examples ---------------------------------------------------------------------


def test_friday_1600_plus_seven_working_hours_is_saturday_or_monday() -> None:
    # 2 Jan 2026 is a Friday; 3 Jan the first Saturday (works), 10 Jan the second (off).
    assert INDIA.add_working(ist(2026, 1, 2, 16), 7 * H) == ist(2026, 1, 3, 16)
    assert INDIA.add_working(ist(2026, 1, 9, 16), 7 * H) == ist(2026, 1, 12, 16)
    assert INDIA.add_working_days(ist(2026, 1, 2, 16), 1) == ist(2026, 1, 3, 16)
    assert INDIA.add_working_days(ist(2026, 1, 9, 16), 1) == ist(2026, 1, 12, 16)
    five_day_week = Calendar(weekdays=frozenset(range(5)))
    assert five_day_week.add_working_days(ist(2026, 1, 2, 16), 1) == ist(2026, 1, 5, 16)


def test_results_are_in_utc() -> None:
    due = INDIA.add_working(ist(2026, 1, 2, 16), 7 * H)
    assert due.tzinfo is UTC
    assert due == datetime(2026, 1, 3, 10, 30, tzinfo=UTC)


def test_a_holiday_is_skipped() -> None:
    diwali = Calendar(holidays=frozenset({date(2025, 10, 20)}))  # Monday; Sat 18 Oct is the 3rd Saturday
    assert diwali.add_working(ist(2025, 10, 18, 16), 2 * H) == ist(2025, 10, 21, 11)
    assert INDIA.add_working(ist(2025, 10, 18, 16), 2 * H) == ist(2025, 10, 20, 11)


def test_the_second_saturday_is_skipped() -> None:
    assert INDIA.add_working(ist(2026, 1, 9, 16, 30), H) == ist(2026, 1, 12, 10, 30)


def test_year_end_lands_in_january() -> None:
    assert INDIA.add_working(ist(2025, 12, 31, 16, 30), 2 * H) == ist(2026, 1, 1, 11, 30)
    new_year = Calendar(holidays=frozenset({date(2026, 1, 1)}))
    assert new_year.add_working(ist(2025, 12, 31, 16, 30), 2 * H) == ist(2026, 1, 2, 11, 30)
    # Month end with a week jump in between: 30 working days from 30 Jan 2026.
    due = INDIA.add_working_days(ist(2026, 1, 30, 10), 30)
    assert INDIA.working_between(ist(2026, 1, 30, 10), due) == 30 * 7 * H
    assert due == ist(2026, 3, 7, 17)  # 14 and 28 Feb are the 2nd and 4th Saturdays


def test_start_on_a_sunday_moves_to_monday_morning() -> None:
    assert INDIA.add_working(ist(2026, 1, 4, 9), H) == ist(2026, 1, 5, 11)
    assert INDIA.next_working_instant(ist(2026, 1, 4, 9)) == ist(2026, 1, 5, 10)


def test_next_working_instant() -> None:
    inside = ist(2026, 1, 5, 12, 34)
    assert INDIA.next_working_instant(inside) == inside
    assert INDIA.next_working_instant(ist(2026, 1, 5, 10)) == ist(2026, 1, 5, 10)  # span start is working time
    assert INDIA.next_working_instant(ist(2026, 1, 5, 17)) == ist(2026, 1, 6, 10)  # span end is not
    assert INDIA.next_working_instant(ist(2026, 1, 5, 6)) == ist(2026, 1, 5, 10)


def test_a_deadline_at_the_end_of_a_span_stays_there() -> None:
    assert INDIA.add_working(ist(2026, 1, 5, 10), 7 * H) == ist(2026, 1, 5, 17)
    assert INDIA.add_working(ist(2026, 1, 5, 17), H) == ist(2026, 1, 6, 11)
    assert INDIA.add_working(ist(2026, 1, 5, 23), 7 * H) == ist(2026, 1, 6, 17)


def test_zero_duration_leaves_the_start_alone() -> None:
    sunday_night = ist(2026, 1, 4, 23)
    assert INDIA.add_working(sunday_night, timedelta(0)) == sunday_night
    assert deadline(INDIA, Mode.WORKING_HOURS, 0, sunday_night) == sunday_night


def test_working_between_across_a_weekend() -> None:
    # Fri 2 h, 2nd Saturday off, Sunday off, Mon 1 h.
    assert INDIA.working_between(ist(2026, 1, 9, 15), ist(2026, 1, 12, 11)) == 3 * H
    # Fri 2 h, 1st Saturday 7 h, Mon 1 h.
    assert INDIA.working_between(ist(2026, 1, 2, 15), ist(2026, 1, 5, 11)) == 10 * H
    assert INDIA.working_between(ist(2026, 1, 12, 11), ist(2026, 1, 9, 15)) == timedelta(0)
    assert INDIA.working_between(ist(2026, 1, 4, 1), ist(2026, 1, 4, 23)) == timedelta(0)


def test_remaining_is_negative_when_overdue() -> None:
    due = ist(2026, 1, 12, 11)
    assert remaining(INDIA, Mode.WORKING_HOURS, ist(2026, 1, 12, 13, 30), due) == -2.5 * H
    assert remaining(INDIA, Mode.WORKING_HOURS, ist(2026, 1, 12, 20), due) == -6 * H  # nights do not count
    assert remaining(INDIA, Mode.WORKING_DAYS, ist(2026, 1, 13, 10), due) == -6 * H
    assert remaining(INDIA, Mode.WALL_HOURS, ist(2026, 1, 12, 20), due) == -9 * H
    assert remaining(INDIA, Mode.WORKING_HOURS, ist(2026, 1, 9, 15), due) == 3 * H
    # Due at 17:00 and read at 20:00: overdue by wall time, yet no working time has passed.
    assert remaining(INDIA, Mode.WORKING_HOURS, ist(2026, 1, 12, 20), ist(2026, 1, 12, 17)) == timedelta(0)


def test_resume_deadline_inverts_remaining() -> None:
    filed = ist(2026, 1, 9, 15)
    for mode in Mode:
        due = deadline(INDIA, mode, 3, filed)
        paused_at = ist(2026, 1, 12, 10, 30)
        left = remaining(INDIA, mode, paused_at, due)
        resumed_at = ist(2026, 1, 20, 9)
        new_due = resume_deadline(INDIA, mode, resumed_at, left)
        assert remaining(INDIA, mode, resumed_at, new_due) == left
    # An overdue clock resumed keeps its overdue working time: due Saturday 16:00.
    assert resume_deadline(INDIA, Mode.WORKING_HOURS, ist(2026, 1, 19, 11), -2 * H) == ist(2026, 1, 17, 16)
    # Exactly one span's worth back ends at the previous span's end, as add_working would.
    assert resume_deadline(INDIA, Mode.WORKING_HOURS, ist(2026, 1, 19, 11), -1 * H) == ist(2026, 1, 17, 17)


def test_wall_hours_ignore_the_calendar() -> None:
    second_saturday = ist(2026, 1, 10, 16)
    assert deadline(INDIA, Mode.WALL_HOURS, 24, second_saturday) == ist(2026, 1, 11, 16)
    no_time = Calendar(weekdays=frozenset())
    assert deadline(no_time, Mode.WALL_HOURS, 1.5, second_saturday) == ist(2026, 1, 10, 17, 30)
    assert remaining(no_time, Mode.WALL_HOURS, second_saturday, ist(2026, 1, 11, 16)) == 24 * H


def test_wall_addition_is_elapsed_time_across_dst() -> None:
    new_york = ZoneInfo("America/New_York")
    before = datetime(2026, 3, 7, 12, tzinfo=new_york)  # DST starts 8 Mar 2026, 02:00
    assert add_wall(before, 24 * H) == datetime(2026, 3, 8, 13, tzinfo=new_york)
    assert add_wall(before, 24 * H) - before == 24 * H


def test_a_span_across_a_dst_change_is_shorter_in_real_time() -> None:
    london = Calendar(time_zone="Europe/London", weekdays=frozenset(range(7)), hours=WorkingHours(time(0, 30), time(3)))
    day = datetime(2026, 3, 29, tzinfo=UTC)  # clocks go 01:00 -> 02:00 GMT->BST
    assert london.working_between(day - H, day + 12 * H) == 1.5 * H
    assert london.add_working(day, 1.5 * H) == datetime(2026, 3, 29, 3, tzinfo=ZoneInfo("Europe/London"))


def test_fractional_working_days_and_amounts() -> None:
    assert deadline(INDIA, Mode.WORKING_DAYS, 0.5, ist(2026, 1, 5, 10)) == ist(2026, 1, 5, 13, 30)
    assert deadline(INDIA, Mode.WORKING_HOURS, 0.25, ist(2026, 1, 5, 10)) == ist(2026, 1, 5, 10, 15)
    with pytest.raises(ValueError):
        deadline(INDIA, Mode.WORKING_HOURS, -1, ist(2026, 1, 5, 10))
    with pytest.raises(ValueError):
        deadline(INDIA, Mode.WORKING_DAYS, float("nan"), ist(2026, 1, 5, 10))
    with pytest.raises(ValueError):
        INDIA.add_working(ist(2026, 1, 5, 10), -H)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        INDIA.add_working(datetime(2026, 1, 5, 10), H)
    with pytest.raises(ValueError, match="timezone-aware"):
        remaining(INDIA, Mode.WORKING_HOURS, datetime(2026, 1, 5, 10), ist(2026, 1, 5, 11))


@pytest.mark.parametrize(
    "calendar",
    [
        Calendar(weekdays=frozenset()),
        Calendar(hours=WorkingHours(time(17), time(10))),
        Calendar(hours=WorkingHours(time(9), time(9))),
    ],
)
def test_a_calendar_without_working_time_raises(calendar: Calendar) -> None:
    start = ist(2026, 1, 5, 10)
    for call in (
        lambda: calendar.add_working(start, H),
        lambda: calendar.add_working(start, timedelta(0)),
        lambda: calendar.add_working_days(start, 1),
        lambda: calendar.next_working_instant(start),
        lambda: calendar.working_between(start, start + H),
        lambda: deadline(calendar, Mode.WORKING_DAYS, 1, start),
        lambda: resume_deadline(calendar, Mode.WORKING_HOURS, start, -H),
    ):
        with pytest.raises(ValueError, match="calendar has no working time"):
            call()


def test_a_calendar_whose_every_working_day_is_a_holiday_stops_scanning() -> None:
    mondays = frozenset(date(2026, 1, 5) + timedelta(weeks=w) for w in range(600))
    only_mondays = Calendar(weekdays=frozenset({0}), holidays=mondays)
    with pytest.raises(ValueError, match="no working time"):
        only_mondays.add_working(ist(2026, 1, 1), H)
    with pytest.raises(ValueError, match="no working time"):
        only_mondays.add_working(ist(2026, 1, 1), 100 * H)
    with pytest.raises(ValueError, match="no working time"):
        only_mondays.next_working_instant(ist(2026, 1, 1))
    with pytest.raises(ValueError, match="no working time"):
        resume_deadline(only_mondays, Mode.WORKING_HOURS, ist(2037, 6, 1), -H)


def test_long_durations_jump_weeks_instead_of_walking_days(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    original = Calendar._span

    def counting(self: Calendar, day: date) -> tuple[datetime, datetime] | None:
        nonlocal calls
        calls += 1
        return original(self, day)

    monkeypatch.setattr(Calendar, "_span", counting)
    start = ist(2026, 1, 5, 10)
    due = INDIA.add_working_days(start, 30)
    assert calls < 20, calls  # ~40 calendar days away
    calls = 0
    assert INDIA.working_between(start, due) == 30 * 7 * H
    assert calls < 20, calls


# -- properties ----------------------------------------------------------------------------

ZONES = ["Asia/Kolkata", "Asia/Kolkata", "Asia/Kolkata", "Europe/London", "America/New_York", "Australia/Lord_Howe"]


@st.composite
def hours_strategy(draw: st.DrawFn) -> WorkingHours:
    if draw(st.booleans()):
        return WorkingHours()
    start = draw(st.integers(0, 22 * 60))
    end = draw(st.integers(start + 15, 23 * 60 + 59))
    return WorkingHours(time(start // 60, start % 60), time(end // 60, end % 60))


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    weekdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    holidays = draw(st.frozensets(st.dates(date(2024, 12, 1), date(2029, 6, 30)), max_size=80))
    # Runs of consecutive holidays (Durga Puja, election weeks) exercise the week jumps.
    for first in draw(st.lists(st.dates(date(2024, 12, 1), date(2029, 3, 1)), max_size=3)):
        holidays |= {first + timedelta(days=i) for i in range(draw(st.integers(1, 21)))}
    return Calendar(
        time_zone=draw(st.sampled_from(ZONES)),
        weekdays=weekdays,
        hours=draw(hours_strategy()),
        holidays=holidays,
        second_and_fourth_saturdays_off=draw(st.booleans()),
    )


instants = st.datetimes(datetime(2025, 1, 1), datetime(2028, 12, 31, 23, 59), timezones=st.just(UTC))


@st.composite
def durations(draw: st.DrawFn, calendar: Calendar) -> timedelta:
    """1 minute .. 60 working days of the calendar."""
    day_us = calendar.hours.length // timedelta(microseconds=1)
    return timedelta(microseconds=draw(st.integers(60_000_000, max(60_000_000, 60 * day_us))))


def reference_spans(calendar: Calendar, first: date, last: date) -> list[tuple[datetime, datetime]]:
    zone = ZoneInfo(calendar.time_zone)
    spans = []
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            s = datetime.combine(day, calendar.hours.start, tzinfo=zone).astimezone(UTC)
            e = datetime.combine(day, calendar.hours.end, tzinfo=zone).astimezone(UTC)
            if s < e:
                spans.append((s, e))
        day += timedelta(days=1)
    return spans


def reference_between(calendar: Calendar, a: datetime, b: datetime) -> timedelta:
    zone = ZoneInfo(calendar.time_zone)
    total = timedelta(0)
    for s, e in reference_spans(calendar, a.astimezone(zone).date(), b.astimezone(zone).date()):
        low, high = max(s, a), min(e, b)
        if low < high:
            total += high - low
    return total


def span_containing(calendar: Calendar, moment: datetime) -> tuple[datetime, datetime]:
    local = moment.astimezone(ZoneInfo(calendar.time_zone)).date()
    spans = reference_spans(calendar, local, local)
    assert spans, f"{moment} is on {local}, which has no working span"
    return spans[0]


@settings(deadline=None)
@given(st.data())
def test_round_trip_and_deadlines_on_working_days(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    start = data.draw(instants)
    duration = data.draw(durations(calendar))
    due = calendar.add_working(start, duration)
    assert due.tzinfo is UTC
    assert calendar.working_between(start, due) == duration
    assert reference_between(calendar, start, due) == duration
    # Never on a non-working day: inside (span start, span end] of a working day.
    s, e = span_containing(calendar, due)
    assert s < due <= e
    local_day = due.astimezone(ZoneInfo(calendar.time_zone)).date()
    assert calendar.is_working_day(local_day)


@settings(deadline=None)
@given(st.data())
def test_add_working_inverts_working_between(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    a = data.draw(instants)
    b = a + data.draw(st.timedeltas(timedelta(0), timedelta(days=120)))
    between = calendar.working_between(a, b)
    assert between == reference_between(calendar, a, b)
    back = calendar.add_working(a, between)
    assert back <= b
    zone = ZoneInfo(calendar.time_zone)
    in_span = any(s < b <= e for s, e in reference_spans(calendar, b.astimezone(zone).date(), b.astimezone(zone).date()))
    if in_span and between > timedelta(0):
        assert back == b
    if between > timedelta(0):
        assert calendar.working_between(back, b) == timedelta(0)


@settings(deadline=None)
@given(st.data())
def test_more_time_never_gives_an_earlier_deadline(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    start = data.draw(instants)
    shorter, longer = sorted([data.draw(durations(calendar)), data.draw(durations(calendar))])
    assert calendar.add_working(start, shorter) <= calendar.add_working(start, longer)
    later_start = start + data.draw(st.timedeltas(timedelta(0), timedelta(days=30)))
    assert calendar.add_working(start, shorter) <= calendar.add_working(later_start, shorter)


@settings(deadline=None)
@given(st.data())
def test_remaining_at_the_start_is_the_amount(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    start = data.draw(instants)
    mode = data.draw(st.sampled_from(Mode))
    day_hours = calendar.hours.length / H
    if mode is Mode.WORKING_DAYS:
        amount = data.draw(st.floats(1 / 60 / day_hours, 60))
        expected = calendar.hours.length * amount
    else:
        amount = data.draw(st.floats(1 / 60, 60 * day_hours))
        expected = timedelta(hours=amount)
    due = deadline(calendar, mode, amount, start)
    assert remaining(calendar, mode, start, due) == expected
    if mode is not Mode.WALL_HOURS:
        local_day = due.astimezone(ZoneInfo(calendar.time_zone)).date()
        assert calendar.is_working_day(local_day)
    # Paused at the start and resumed later, the clock still has the whole amount.
    resumed = start + data.draw(st.timedeltas(timedelta(0), timedelta(days=60)))
    assert remaining(calendar, mode, resumed, resume_deadline(calendar, mode, resumed, expected)) == expected


@settings(deadline=None)
@given(st.data())
def test_resume_deadline_inverts_remaining_for_any_remainder(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    now = data.draw(instants)
    mode = data.draw(st.sampled_from(Mode))
    limit = calendar.hours.length * 60
    left = data.draw(st.timedeltas(-limit, limit))
    due = resume_deadline(calendar, mode, now, left)
    assert remaining(calendar, mode, now, due) == left
    if mode is not Mode.WALL_HOURS and left != timedelta(0):
        s, e = span_containing(calendar, due)
        assert s < due <= e


@settings(deadline=None)
@given(st.data())
def test_a_calendar_without_weekdays_never_loops(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    empty = Calendar(time_zone=calendar.time_zone, weekdays=frozenset(), hours=calendar.hours, holidays=calendar.holidays)
    start = data.draw(instants)
    with pytest.raises(ValueError, match="calendar has no working time"):
        empty.add_working(start, data.draw(durations(calendar)))
    with pytest.raises(ValueError, match="calendar has no working time"):
        deadline(empty, data.draw(st.sampled_from([Mode.WORKING_HOURS, Mode.WORKING_DAYS])), 1, start)
    with pytest.raises(ValueError, match="calendar has no working time"):
        empty.next_working_instant(start)
