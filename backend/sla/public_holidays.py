"""Public holidays (national and state) from the maintained `holidays` package.

The data source for `Calendar.holidays`, kept out of `backend.sla.calendar` so that the
calendar stays pure. Building a `holidays` object computes lunar and regional rules and
is slow, while deadline sweeps ask for the same few (country, state, year) triples over
and over: each triple is built once per process and cached.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays

__all__ = ["public_holidays", "state_code_of"]


@lru_cache(maxsize=64)
def _subdivisions(country: str) -> frozenset[str]:
    """The subdivision codes and aliases the package supports for `country` (deprecated
    codes such as India's old "OR" are left out: they only emit a DeprecationWarning)."""
    if country not in holidays.list_supported_countries():
        raise ValueError(f"no public-holiday data for country {country!r}")
    entity = holidays.country_holidays(country)
    return frozenset(entity.subdivisions) | frozenset(entity.subdivisions_aliases)


@lru_cache(maxsize=512)
def _year(country: str, subdivision: str | None, year: int) -> tuple[tuple[date, str], ...]:
    # A tuple, not the dict: cached values are shared, so they must not be mutable.
    entity = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return tuple(sorted(entity.items()))


def public_holidays(country: str, subdivision: str | None, years: Iterable[int]) -> dict[date, str]:
    """Public holidays of `country` (ISO 3166-1 alpha-2, e.g. "IN") and optionally one of its
    subdivisions (e.g. "BR" for Bihar) in `years`, as {date: name}; names of holidays
    sharing a date are joined with "; ". Unknown country or subdivision: ValueError."""
    country = country.strip().upper()
    supported = _subdivisions(country)
    if subdivision is not None:
        subdivision = subdivision.strip()
        code = subdivision.upper()
        # Codes are matched case-insensitively; aliases ("Bihar") are taken as written.
        if code in supported:
            subdivision = code
        elif subdivision not in supported:
            codes = ", ".join(sorted(s for s in supported if len(s) <= 3))
            raise ValueError(f"unknown subdivision {subdivision!r} of {country}; known: {codes}")
    result: dict[date, str] = {}
    for year in sorted(set(years)):
        result.update(_year(country, subdivision, year))
    return result


def state_code_of(area_code: str) -> str:
    """The state of an area code: "BR-PAT-BIHTA" -> "BR" (the first '-' separated segment)."""
    state = area_code.strip().split("-", 1)[0].strip().upper()
    if not state:
        raise ValueError(f"{area_code!r} is not an area code like BR-PAT-BIHTA")
    return state
