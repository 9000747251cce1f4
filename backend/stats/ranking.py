"""Ranking the units below a unit (districts, departments, heads of department) by a
composite index in the spirit of DARPG's Grievance Redressal Assessment and Index
(GRAI): efficiency, feedback, categorisation quality and organisational commitment.
Every score comes with its components and the figures behind them, so that a unit can
see why it ranks where it does.

The index (0-100) is the weighted mean of four dimensions, each 0-1:

- efficiency (weight 0.40) = 0.5 x disposal rate + 0.3 x SLA compliance + 0.2 x speed
  - disposal rate = disposed / (disposed + pending now)
  - SLA compliance = stages finished on time / stages finished
  - speed = max(0, 1 - median disposal days / 60)
- feedback (0.30) = 0.7 x share of answers saying resolved + 0.3 x (average rating - 1) / 4,
  over citizens' and the call centre's answers together
- categorisation (0.15) = 0.5 x (1 - share received under "Others")
  + 0.5 x (1 - "not ours" returns / grievances handled)
- commitment (0.15) = 0.5 x (1 - escalations / grievances handled)
  + 0.5 x (1 - closures remanded or reopened on appeal / closures)

A unit is ranked only with at least MIN_HANDLED grievances handled (disposed + pending)
and MIN_DISPOSED disposed in the period; the others are listed apart with the reason.
With fewer than MIN_ANSWERS feedback answers, the feedback dimension is left out and
its weight shared among the other three in proportion (the result says so). Ties rank
by more grievances handled, then by code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backend.authz.actors import Actor
from backend.orgs.models import Unit
from backend.stats.dashboard import Figures, check_period, subtree_figures, unit_for

WEIGHTS = {"efficiency": 0.40, "feedback": 0.30, "categorisation": 0.15, "commitment": 0.15}
MIN_HANDLED = 20
MIN_DISPOSED = 10
MIN_ANSWERS = 5
SPEED_HORIZON_DAYS = 60.0


@dataclass(frozen=True)
class Rules:
    min_handled: int = MIN_HANDLED
    min_disposed: int = MIN_DISPOSED
    min_answers: int = MIN_ANSWERS


@dataclass(frozen=True)
class Components:
    efficiency: float
    feedback: float | None  # None: too few answers, weight shared out
    categorisation: float
    commitment: float


@dataclass(frozen=True)
class Scored:
    unit: Unit
    figures: Figures
    handled: int
    score: float | None          # None: below the minimum sample
    components: Components | None
    rank: int | None = None
    reason: str = ""


def _ratio(part: float, whole: float, empty: float = 0.0) -> float:
    return part / whole if whole else empty


def components_of(f: Figures, rules: Rules) -> Components:
    handled = f.disposed + f.pending
    met = sum(m for m, _ in f.sla.values())
    ended = sum(m + late for m, late in f.sla.values())
    speed = max(0.0, 1 - (f.median_disposal_days or 0.0) / SPEED_HORIZON_DAYS) if f.disposed else 0.0
    efficiency = 0.5 * _ratio(f.disposed, handled) + 0.3 * _ratio(met, ended, 1.0) + 0.2 * speed
    answers = sum(n for n, _, _, _ in f.feedback.values())
    feedback: float | None = None
    if answers >= rules.min_answers:
        said = sum(r for _, r, _, _ in f.feedback.values())
        rated = sum(k for _, _, k, _ in f.feedback.values())
        total = sum(t for _, _, _, t in f.feedback.values())
        rating = _ratio(total, rated) if rated else 3.0
        feedback = 0.7 * said / answers + 0.3 * (rating - 1) / 4
    categorisation = (0.5 * (1 - _ratio(f.others_received, f.received))
                      + 0.5 * (1 - min(1.0, _ratio(f.not_ours, handled))))
    escalations = sum(f.escalations.values())
    reopened = f.remanded + f.appeal_reopened
    commitment = 0.5 * (1 - min(1.0, _ratio(escalations, handled))) + 0.5 * (1 - min(1.0, _ratio(reopened, f.closed)))
    return Components(efficiency, feedback, categorisation, commitment)


def index_of(c: Components) -> float:
    parts = {"efficiency": c.efficiency, "feedback": c.feedback, "categorisation": c.categorisation,
             "commitment": c.commitment}
    weights = {k: w for k, w in WEIGHTS.items() if parts[k] is not None}
    total = sum(weights.values())
    return round(100 * sum(w * float(parts[k] or 0.0) for k, w in weights.items()) / total, 1)


def score(unit: Unit, f: Figures, rules: Rules) -> Scored:
    handled = f.disposed + f.pending
    if handled < rules.min_handled:
        return Scored(unit, f, handled, None, None, reason=f"fewer than {rules.min_handled} grievances handled")
    if f.disposed < rules.min_disposed:
        return Scored(unit, f, handled, None, None, reason=f"fewer than {rules.min_disposed} disposed of")
    c = components_of(f, rules)
    return Scored(unit, f, handled, index_of(c), c)


def rank(scored: list[Scored]) -> list[Scored]:
    """The ranked ones first (1, 2, ... with equal scores sharing a rank), then the rest."""
    ranked = sorted((s for s in scored if s.score is not None),
                    key=lambda s: (-(s.score or 0.0), -s.handled, s.unit.code))
    out: list[Scored] = []
    for i, s in enumerate(ranked):
        same = out and out[-1].score == s.score
        out.append(Scored(s.unit, s.figures, s.handled, s.score, s.components,
                          rank=out[-1].rank if same else i + 1))
    rest = sorted((s for s in scored if s.score is None), key=lambda s: s.unit.code)
    return out + rest


async def rank_children(parent: Unit, since: date, until: date, today: date,
                        rules: Rules | None = None) -> list[Scored]:
    """The children of `parent` ranked over [since, until) (no access check: aggregates)."""
    rules = rules or Rules()
    children = await Unit.filter(parent_id=parent.id, active=True).order_by("code")
    # Every child's figures at once: one grouped query of the subtree rollups and one of
    # the subtree stock, not two per child.
    figures = await subtree_figures([child.id for child in children], since, until, today)
    return rank([score(child, figures[child.id], rules) for child in children])


async def ranking(actor: Actor, unit_id: int, since: date, until: date, today: date,
                  rules: Rules | None = None) -> tuple[Unit, list[Scored]]:
    """The children of a unit the actor covers, ranked over [since, until)."""
    check_period(since, until)
    parent = await unit_for(actor, unit_id)
    return parent, await rank_children(parent, since, until, today, rules)
