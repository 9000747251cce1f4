"""What each grievance event and each feedback counts as: pure functions, the one
place where a figure is defined (the refresher applies them; the recomputation test
applies the same definitions to the raw log by its own route).

Definitions (PRODUCT F11, seed 001):
- received: a filing, on the day filed, to the office that took it.
- disposed: a transition into closed or rejected from work in progress (not the head's
  or the appellate authority's decision on a dispute or an appeal, counted apart);
  a grievance reopened and disposed of again counts twice. Split into closed and
  rejected; its duration from filing goes into the average and median disposal time.
- resolved / not resolved: the first feedback on a closure (citizen or call centre)
  says resolved / not; counted on the closure's day and office. Never merged with
  disposed.
- each event is attributed to the office answerable after it (`office` in the event's
  data: the office whose report is acted on, else the one holding the grievance).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

DISPOSED_STATES = frozenset({"closed", "rejected"})
# Decisions on a dispute or appeal re-close a grievance; they are not a fresh disposal.
DECISIONS = frozenset({"uphold", "appeal_uphold"})
MAX_DAY_BUCKET = 60  # disposal days 0..60 one by one, then 61-90, 91-180, 181-365, 366+

SIMPLE: Mapping[str, str] = {
    "file": "received", "transfer": "transferred", "not_ours": "not_ours", "dispute": "disputed",
    "remand": "remanded", "uphold": "upheld", "appeal": "appealed", "rts_appeal": "appealed",
    "appeal_reopen": "appeal_reopened", "appeal_upheld": "appeal_upheld",
}


@dataclass(frozen=True)
class Count:
    metric: str
    count: int = 1
    total: int = 0


def district_of(area_code: str) -> str:
    """The district part of an area code (`BR-PAT-BIHTA` -> `BR-PAT`)."""
    return "-".join(area_code.split("-")[:2])


def day_bucket(days: int) -> int:
    """Disposal time in whole days, exact up to 60, then the upper bound of its band."""
    if days <= MAX_DAY_BUCKET:
        return max(days, 0)
    for bound in (90, 180, 365):
        if days <= bound:
            return bound
    return 366


def event_counts(action: str, from_state: str, to_state: str, data: Mapping[str, Any],
                 occurred_at: datetime, filed_at: datetime) -> list[Count]:
    counts: list[Count] = []
    if action in SIMPLE:
        counts.append(Count(SIMPLE[action]))
    if action == "escalate":
        counts.append(Count(f"escalated:{int(data.get('level', 0))}"))
    if to_state in DISPOSED_STATES and from_state not in DISPOSED_STATES and action not in DECISIONS:
        seconds = max(int((occurred_at - filed_at).total_seconds()), 0)
        counts += [Count("disposed", 1, seconds), Count(to_state),
                   Count(f"disposal_day:{day_bucket(seconds // 86400)}")]
    done = data.get("stage_done")
    if isinstance(done, Mapping) and done.get("stage"):
        counts.append(Count(f"sla_{'late' if done.get('late') else 'met'}:{done['stage']}"))
    return counts


def feedback_counts(source: str, resolved: bool, rating: int | None, first_on_closure: bool) -> list[Count]:
    """A feedback row: satisfaction per source, and the verdict on the closure if first."""
    counts = [Count(f"feedback:{source}"), Count(f"feedback_resolved:{source}", 1 if resolved else 0)]
    if rating is not None:
        counts.append(Count(f"rating:{source}", 1, rating))
    if first_on_closure:
        counts.append(Count("resolved" if resolved else "not_resolved"))
    return counts


def median_days(histogram: Mapping[int, int]) -> float | None:
    """The median of a disposal-days histogram (bands count at their upper bound)."""
    total = sum(histogram.values())
    if not total:
        return None
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen * 2 >= total:
            return float(days)
    return None  # pragma: no cover - the loop always returns
