"""The ranking index: its dimensions, the weight shared out without enough feedback,
the minimum sample, and the order (ties share a rank)."""

from __future__ import annotations

import pytest

from backend.orgs.models import Unit
from backend.stats.dashboard import Figures
from backend.stats.ranking import Rules, components_of, index_of, rank, score


def figures(**values: object) -> Figures:
    return Figures(**values)  # type: ignore[arg-type]


def unit(code: str) -> Unit:
    return Unit(id=len(code), code=code, path=f"/{len(code)}/")


GOOD = figures(received=40, disposed=30, closed=30, pending=10, sla={"final_report": (9, 1)},
               median_disposal_days=6.0, feedback={"citizen": (20, 18, 20, 90)}, others_received=4, not_ours=2,
               escalations={1: 4}, remanded=3)


def test_each_dimension_follows_its_formula() -> None:
    c = components_of(GOOD, Rules())
    assert c.efficiency == pytest.approx(0.5 * 30 / 40 + 0.3 * 0.9 + 0.2 * (1 - 6 / 60))
    assert c.feedback == pytest.approx(0.7 * 18 / 20 + 0.3 * (4.5 - 1) / 4)
    assert c.categorisation == pytest.approx(0.5 * (1 - 4 / 40) + 0.5 * (1 - 2 / 40))
    assert c.commitment == pytest.approx(0.5 * (1 - 4 / 40) + 0.5 * (1 - 3 / 30))
    assert index_of(c) == round(100 * (0.4 * c.efficiency + 0.3 * c.feedback + 0.15 * c.categorisation  # type: ignore[operator]
                                       + 0.15 * c.commitment), 1)


def test_without_enough_feedback_its_weight_is_shared_out() -> None:
    few = figures(**{**vars(GOOD), "feedback": {"citizen": (2, 2, 2, 10)}})
    c = components_of(few, Rules(min_answers=5))
    assert c.feedback is None
    assert index_of(c) == round(100 * (0.4 * c.efficiency + 0.15 * c.categorisation + 0.15 * c.commitment) / 0.7, 1)


def test_below_the_minimum_sample_a_unit_is_listed_apart_with_the_reason() -> None:
    small = score(unit("TINY"), figures(received=5, disposed=5, closed=5), Rules())
    assert small.score is None and "grievances handled" in small.reason
    few_disposed = score(unit("SLOW"), figures(received=50, disposed=2, pending=40), Rules())
    assert few_disposed.score is None and "disposed" in few_disposed.reason


def test_order_and_shared_ranks() -> None:
    worse = figures(**{**vars(GOOD), "sla": {"final_report": (1, 9)}})
    ranked = rank([score(unit("B"), worse, Rules()), score(unit("A"), GOOD, Rules()),
                   score(unit("AA"), GOOD, Rules()), score(unit("C"), figures(received=1), Rules())])
    assert [(s.unit.code, s.rank) for s in ranked] == [("A", 1), ("AA", 1), ("B", 3), ("C", None)]
