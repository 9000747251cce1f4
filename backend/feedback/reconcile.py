"""Reconciliation of disposals with feedback (seed 002), as an idempotent job.

Recording feedback raises the dispute in the same transaction, so in the normal course
this finds nothing. It is the safety net for feedback that reaches the database by
another road (imported from the national portal, recorded by an older release, a
transaction that committed the feedback but lost the race to dispute): every grievance
that is CLOSED while the latest feedback on its current round says "not resolved" is
disputed. A dispute starts a new round, so an upheld closure - whose "not resolved"
belongs to the earlier round - is never disputed again.
"""

from __future__ import annotations

import logging
from datetime import datetime

from tortoise.transactions import in_transaction

from backend.core.errors import DomainError
from backend.feedback.models import Feedback
from backend.feedback.services import raise_dispute
from backend.grievances.models import Grievance
from backend.grievances.states import State

log = logging.getLogger(__name__)


async def reconcile_disputes(now: datetime, *, batch: int = 500) -> int:
    """Dispute every closed grievance whose current round's latest feedback says it was
    not resolved; returns how many. Safe to run again and concurrently."""
    disputed = 0
    after = 0
    while True:
        rows = await Feedback.filter(id__gt=after, resolved=False, grievance__status=State.CLOSED).order_by(
            "id").limit(batch).values("id", "grievance_id", "round")
        for row in rows:
            disputed += await _reconcile(int(row["grievance_id"]), int(row["round"]), now)
        if len(rows) < batch:
            return disputed
        after = int(rows[-1]["id"])


async def _reconcile(grievance_id: int, round_: int, now: datetime) -> int:
    g = await Grievance.get_or_none(id=grievance_id)
    if g is None or g.status is not State.CLOSED or g.escalation_round != round_:
        return 0
    latest = await Feedback.filter(grievance_id=g.id, round=round_).order_by("-created_at", "-id").first()
    if latest is None or latest.resolved:
        return 0
    try:
        async with in_transaction():
            await raise_dispute(g, latest, now)
    except DomainError as error:  # acted on meanwhile (compare-and-set lost): the next run looks again
        log.info("dispute of %s not raised now: %s", g.number, error.message)
        return 0
    log.warning("grievance %s disputed by reconciliation: its feedback says not resolved", g.number)
    return 1
