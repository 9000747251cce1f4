"""Public holidays from the `holidays` package, and the state of an area code."""

from __future__ import annotations

from datetime import date

import pytest

from backend.sla.public_holidays import public_holidays, state_code_of


def test_india_national_days_2026() -> None:
    days = public_holidays("IN", None, [2026])
    assert {date(2026, 1, 26), date(2026, 8, 15), date(2026, 10, 2)} <= days.keys()
    assert "Republic Day" in days[date(2026, 1, 26)]
    assert all(d.year == 2026 for d in days)


def test_several_years_at_once() -> None:
    days = public_holidays("in", None, range(2025, 2028))
    assert {date(y, 8, 15) for y in (2025, 2026, 2027)} <= days.keys()
    assert {d.year for d in days} == {2025, 2026, 2027}


def test_a_state_is_accepted_and_keeps_the_national_days() -> None:
    bihar = public_holidays("IN", "BR", [2026])
    assert {date(2026, 1, 26), date(2026, 8, 15), date(2026, 10, 2)} <= bihar.keys()
    assert public_holidays("IN", "br", [2026]) == bihar
    assert public_holidays("IN", "Bihar", [2026]) == bihar


def test_results_are_independent_copies() -> None:
    first = public_holidays("IN", "BR", [2026])
    first.clear()
    assert public_holidays("IN", "BR", [2026])


@pytest.mark.parametrize("subdivision", ["XX", "OR", ""])
def test_an_unknown_subdivision_is_refused(subdivision: str) -> None:
    with pytest.raises(ValueError, match="unknown subdivision"):
        public_holidays("IN", subdivision, [2026])


def test_an_unknown_country_is_refused() -> None:
    with pytest.raises(ValueError, match="country"):
        public_holidays("ZZ", None, [2026])


@pytest.mark.parametrize(
    ("area_code", "state"),
    [("BR-PAT-BIHTA", "BR"), ("BR", "BR"), ("up-lko", "UP"), (" KA-BLR ", "KA")],
)
def test_state_code_of(area_code: str, state: str) -> None:
    assert state_code_of(area_code) == state


@pytest.mark.parametrize("area_code", ["", "  ", "-PAT"])
def test_state_code_of_refuses_non_codes(area_code: str) -> None:
    with pytest.raises(ValueError, match="area code"):
        state_code_of(area_code)
