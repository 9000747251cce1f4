"""Business-time arithmetic for SLA deadlines: working hours, working days, holidays.

Pure: standard library and `zoneinfo` only, no ORM and no I/O. Callers pass `now`
(ARCHITECTURE.md: services take now) and, for public holidays, the dates themselves
(`backend.sla.public_holidays` turns the `holidays` package's data into a frozenset).

Every datetime argument must be timezone-aware (a naive one raises ValueError, because
guessing its zone is how deadlines drift by 5 h 30 min); every result is in UTC.

Working time
    An instant is working time when it lies in its local day's *span*: local time within
    [hours.start, hours.end) of a working day, in the calendar's time zone. A working day
    is a local date whose weekday is in `weekdays` (Monday=0), that is not in `holidays`,
    and, when `second_and_fourth_saturdays_off` is set, is not the 2nd or 4th Saturday of
    its month (the 8th-14th and 22nd-28th). Span ends are computed with `zoneinfo` and
    PEP 495 defaults (fold=0: the earlier of two ambiguous readings; a non-existent
    reading is moved forward by the gap), and durations are real elapsed time, so a
    span crossing a DST change is an hour shorter or longer; a span that vanishes in a
    gap is no working time. (Asia/Kolkata has no DST; other zones must still be right.)

add_working(start, d)
    Moves forward through working time only. For d > 0 the result is the *earliest*
    instant t with working_between(start, t) == d: it always lies in (span start, span
    end] of a working day, so never on a weekend or holiday, and a deadline exactly at the
    end of a day's span stays at that end (17:00) instead of rolling to the next morning.
    A start outside working time first moves to the next span start. For d == 0 the
    result is `start` itself, unchanged (an already-due clock does not move, even at
    night); d < 0 raises ValueError.

working_between(a, b)
    Working time in [a, b); zero when b <= a. Round trips:
    working_between(a, add_working(a, d)) == d for every a and every d > 0, and
    add_working(a, working_between(a, b)) <= b for a <= b, equal to b whenever b lies in
    (span start, span end] of a working day and some working time lies in [a, b). At a
    span start or outside working time it is the end of the last span before b (the
    earliest instant with the same working time).

Working days
    add_working_days(start, n) adds n * (hours.end - hours.start) of working time (a
    nominal day, 7 h by default; fractions allowed): filed Friday 16:00 with one working
    day is due Saturday 16:00 when that Saturday works, else Monday 16:00.

Modes (`deadline`, `remaining`, `resume_deadline`)
    WALL_HOURS is absolute elapsed time and ignores the calendar (added in UTC, so a DST
    change does not stretch it); WORKING_HOURS and WORKING_DAYS count working time.
    `remaining` is wall time for WALL_HOURS and working time otherwise; an overdue clock
    gets -(time overdue, measured the same way), so overdue working time does not grow
    at night, and a clock due at 17:00 still reads zero at 20:00 - use `now >= due` for
    "is overdue", `remaining` for how much. `resume_deadline` is its inverse:
    remaining(c, m, now, resume_deadline(c, m, now, r)) == r for every r (negative too).

No working time
    A calendar with no weekdays, or with hours.start >= hours.end, has no working time:
    every operation raises ValueError("calendar has no working time"). A scan that finds
    no working time in 3660 consecutive days (everything a holiday) raises a ValueError
    of the same wording instead of looping forever.

Speed
    Deadline sweeps call this for thousands of grievances, so the scans go a day at a time
    and jump whole weeks when the remaining time exceeds a week's nominal capacity: a
    week's working time is counted from the weekday set, the 2nd/4th Saturday rule and a
    bisect over the sorted holidays, without touching its days - except in weeks where
    the UTC offset changes, which are walked day by day.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "Calendar",
    "Mode",
    "WorkingHours",
    "add_wall",
    "deadline",
    "remaining",
    "resume_deadline",
]

_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)
_SATURDAY = 5
# Days scanned without meeting any working time before we call the calendar empty: ten
# years, far beyond any real holiday list, short enough to fail fast on a broken one.
_SCAN_LIMIT_DAYS = 3660
_NO_WORKING_TIME = "calendar has no working time"


@dataclass(frozen=True)
class WorkingHours:
    """One span per working day, in local time; start < end (else there is no working time)."""

    start: time = time(10, 0)
    end: time = time(17, 0)

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("working hours are local wall-clock times: give them without tzinfo")

    @property
    def length(self) -> timedelta:
        """The nominal length of a working day (what one WORKING_DAYS day is worth)."""
        anchor = date(2000, 1, 1)
        return max(_ZERO, datetime.combine(anchor, self.end) - datetime.combine(anchor, self.start))


@dataclass(frozen=True)
class Calendar:
    time_zone: str = "Asia/Kolkata"
    # Monday=0. Indian government offices work Monday to Saturday, minus 2nd/4th Saturdays.
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4, 5})
    hours: WorkingHours = WorkingHours()
    holidays: frozenset[date] = frozenset()  # local dates that are not working days
    second_and_fourth_saturdays_off: bool = True  # most Indian state governments

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {self.time_zone!r}") from error
        # Callers building a calendar from settings pass sets or lists; freezing them keeps
        # the calendar hashable (it is a cache key) and immutable.
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        if any(not isinstance(d, int) or not 0 <= d <= 6 for d in self.weekdays):
            raise ValueError(f"weekdays are 0 (Monday) .. 6 (Sunday), got {sorted(self.weekdays)}")
        if any(isinstance(h, datetime) or not isinstance(h, date) for h in self.holidays):
            raise ValueError("holidays are local dates (datetime.date), not datetimes")

    # -- derived, computed once per calendar ------------------------------------------

    @cached_property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @cached_property
    def _day_length(self) -> timedelta:
        return self.hours.length

    @cached_property
    def _sorted_holidays(self) -> tuple[date, ...]:
        return tuple(sorted(self.holidays))

    @cached_property
    def _has_working_time(self) -> bool:
        return bool(self.weekdays) and self._day_length > _ZERO

    def _require_working_time(self) -> None:
        if not self._has_working_time:
            raise ValueError(_NO_WORKING_TIME)

    # -- days -------------------------------------------------------------------------

    def _saturday_off(self, day: date) -> bool:
        return self.second_and_fourth_saturdays_off and day.weekday() == _SATURDAY and (day.day - 1) // 7 in (1, 3)

    def is_working_day(self, day: date) -> bool:
        """Whether the local date `day` has working hours (weekday, not a holiday, not a 2nd/4th Saturday)."""
        if isinstance(day, datetime):
            # A datetime is a date subclass but never equals a holiday date: refuse the trap.
            raise TypeError("is_working_day takes a local date, not a datetime")
        return day.weekday() in self.weekdays and day not in self.holidays and not self._saturday_off(day)

    def _span(self, day: date) -> tuple[datetime, datetime] | None:
        """The working span of a local date as UTC instants, or None when it has none."""
        if not self.is_working_day(day):
            return None
        zone = self._zone
        start = datetime.combine(day, self.hours.start, tzinfo=zone).astimezone(UTC)
        end = datetime.combine(day, self.hours.end, tzinfo=zone).astimezone(UTC)
        return (start, end) if start < end else None

    def _local_date(self, moment: datetime) -> date:
        return moment.astimezone(self._zone).date()

    def _week_capacity(self, first: date) -> timedelta | None:
        """Working time in the 7 local days from `first`, without visiting them; None when
        the UTC offset changes in that week (spans are then not all nominal: walk it)."""
        last = first + timedelta(days=6)
        if _offset_changes_between(self.time_zone, first, last):
            return None
        days = len(self.weekdays)  # 7 consecutive dates hold each weekday exactly once
        if self.second_and_fourth_saturdays_off and _SATURDAY in self.weekdays:
            saturday = first + timedelta(days=(_SATURDAY - first.weekday()) % 7)
            if self._saturday_off(saturday):
                days -= 1
        hols = self._sorted_holidays
        i = bisect_left(hols, first)
        while i < len(hols) and hols[i] <= last:
            holiday = hols[i]
            if holiday.weekday() in self.weekdays and not self._saturday_off(holiday):
                days -= 1
            i += 1
        return self._day_length * days

    # -- instants ---------------------------------------------------------------------

    def next_working_instant(self, moment: datetime) -> datetime:
        """`moment` itself if it is working time, else the start of the next span."""
        moment = _utc(moment, "moment")
        self._require_working_time()
        day = self._local_date(moment)
        span = self._span(day)
        if span is not None:
            if span[0] <= moment < span[1]:
                return moment
            if moment < span[0]:
                return span[0]
        for _ in range(_SCAN_LIMIT_DAYS):
            day += _ONE_DAY
            span = self._span(day)
            if span is not None:
                return span[0]
        raise ValueError(f"{_NO_WORKING_TIME} in the {_SCAN_LIMIT_DAYS} days after {moment.isoformat()}")

    def add_working(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant with `duration` of working time since `start` (see module doc)."""
        start = _utc(start, "start")
        if duration < _ZERO:
            raise ValueError(f"duration must not be negative, got {duration}")
        self._require_working_time()
        if duration == _ZERO:
            return start
        left = duration
        day = self._local_date(start)
        span = self._span(day)
        if span is not None:
            begin = max(span[0], start)
            if begin < span[1]:
                if left <= span[1] - begin:
                    return begin + left
                left -= span[1] - begin
        # From here on every day is whole: only span lengths matter until the last one.
        week_nominal = self._day_length * 7
        idle = 0
        day += _ONE_DAY
        while True:
            if left > week_nominal:
                capacity = self._week_capacity(day)
                if capacity is not None:  # capacity <= week_nominal < left: the deadline is later
                    left -= capacity
                    idle = idle + 7 if capacity == _ZERO else 0
                    day += _WEEK
                    self._check_idle(idle, start)
                    continue
            span = self._span(day)
            if span is not None:
                if left <= span[1] - span[0]:
                    return span[0] + left
                left -= span[1] - span[0]
                idle = 0
            else:
                idle += 1
                self._check_idle(idle, start)
            day += _ONE_DAY

    def _subtract_working(self, end: datetime, duration: timedelta) -> datetime:
        """The earliest instant t with working_between(t, end) == duration (> 0): like
        add_working's results it lies in (span start, span end] of a working day."""
        self._require_working_time()
        left = duration
        day = self._local_date(end)
        span = self._span(day)
        if span is not None:
            stop = min(span[1], end)
            if span[0] < stop:
                if left < stop - span[0]:
                    return stop - left
                left -= stop - span[0]
        week_nominal = self._day_length * 7
        idle = 0
        day -= _ONE_DAY
        while True:
            # Strictly more than a week's worth is left, so the result is before that week.
            if left > week_nominal:
                capacity = self._week_capacity(day - timedelta(days=6))
                if capacity is not None:
                    left -= capacity
                    idle = idle + 7 if capacity == _ZERO else 0
                    day -= _WEEK
                    self._check_idle(idle, end)
                    continue
            span = self._span(day)
            if span is not None:
                if left == _ZERO:  # used up exactly at a later span's start: the earliest is this end
                    return span[1]
                if left < span[1] - span[0]:
                    return span[1] - left
                left -= span[1] - span[0]
                idle = 0
            else:
                idle += 1
                self._check_idle(idle, end)
            day -= _ONE_DAY

    def _check_idle(self, idle: int, origin: datetime) -> None:
        if idle > _SCAN_LIMIT_DAYS:
            raise ValueError(f"{_NO_WORKING_TIME} in {_SCAN_LIMIT_DAYS} days around {origin.isoformat()}")

    def working_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time in [a, b); zero when b <= a."""
        a = _utc(a, "a")
        b = _utc(b, "b")
        self._require_working_time()
        if b <= a:
            return _ZERO
        first = self._local_date(a)
        last = self._local_date(b)
        total = _ZERO
        day = first
        while day <= last:
            # A week strictly between a's and b's dates lies wholly inside [a, b).
            if first < day and day + timedelta(days=6) < last:
                capacity = self._week_capacity(day)
                if capacity is not None:
                    total += capacity
                    day += _WEEK
                    continue
            span = self._span(day)
            if span is not None:
                low = max(span[0], a)
                high = min(span[1], b)
                if low < high:
                    total += high - low
            day += _ONE_DAY
        return total

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """`days` nominal working days (hours.end - hours.start each) of working time after `start`."""
        if not math.isfinite(days) or days < 0:
            raise ValueError(f"days must be a finite number >= 0, got {days}")
        self._require_working_time()
        return self.add_working(start, self._day_length * days)


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment.isoformat()}")
    return moment.astimezone(UTC)


@lru_cache(maxsize=256)
def _offset_change_days(time_zone: str, year: int) -> tuple[date, ...]:
    """Local dates of `year` during which the zone's UTC offset changes (DST, reforms).

    Compares the offsets at consecutive local midnights; two changes cancelling out
    within one day do not occur in the tz database. Cached: 366 look-ups per zone-year.
    """
    zone = ZoneInfo(time_zone)
    day = date(year, 1, 1)
    changes = []
    offset = datetime.combine(day, time(0), tzinfo=zone).utcoffset()
    while day.year == year and day < date.max:
        following = day + _ONE_DAY
        next_offset = datetime.combine(following, time(0), tzinfo=zone).utcoffset()
        if next_offset != offset:
            changes.append(day)
        day, offset = following, next_offset
    return tuple(changes)


def _offset_changes_between(time_zone: str, first: date, last: date) -> bool:
    for year in range(first.year, last.year + 1):
        if any(first <= changed <= last for changed in _offset_change_days(time_zone, year)):
            return True
    return False


def add_wall(start: datetime, duration: timedelta) -> datetime:
    """Plain elapsed-time addition. Done in UTC: an aware datetime's own `+` is wall-clock
    arithmetic in its zone, which a DST change would stretch or shrink by an hour."""
    return _utc(start, "start") + duration


class Mode(StrEnum):
    """How an SLA limit is counted."""

    WALL_HOURS = "wall_hours"
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"


def _duration(calendar: Calendar, mode: Mode, amount: float) -> timedelta:
    if not math.isfinite(amount) or amount < 0:
        raise ValueError(f"an SLA amount must be a finite number >= 0, got {amount}")
    if mode is Mode.WORKING_DAYS:
        return calendar.hours.length * amount
    return timedelta(hours=amount)


def deadline(calendar: Calendar, mode: Mode, amount: float, start: datetime) -> datetime:
    """When a clock started at `start` with limit `amount` (hours, or days for WORKING_DAYS) is due."""
    mode = Mode(mode)
    duration = _duration(calendar, mode, amount)
    if mode is Mode.WALL_HOURS:
        return add_wall(start, duration)
    return calendar.add_working(start, duration)


def remaining(calendar: Calendar, mode: Mode, now: datetime, due: datetime) -> timedelta:
    """Time left until `due`: wall time for WALL_HOURS, working time otherwise; negative when overdue."""
    mode = Mode(mode)
    now = _utc(now, "now")
    due = _utc(due, "due")
    if mode is Mode.WALL_HOURS:
        return due - now
    if due >= now:
        return calendar.working_between(now, due)
    return -calendar.working_between(due, now)


def resume_deadline(calendar: Calendar, mode: Mode, now: datetime, remaining: timedelta) -> datetime:
    """The due date of a paused clock resumed at `now` with `remaining` left (the inverse of `remaining`)."""
    mode = Mode(mode)
    if mode is Mode.WALL_HOURS:
        return add_wall(now, remaining)
    if remaining >= _ZERO:
        return calendar.add_working(now, remaining)
    return calendar._subtract_working(_utc(now, "now"), -remaining)
