"""Seed 002's rule for the other use cases: a Right-to-Service grievance is never sent
back or thrown out because the citizen had not applied for the service.

Kept apart from `services` (which builds on the grievance services) so that those
services can ask it without an import cycle.
"""

from __future__ import annotations

from backend.core.errors import DomainError, ErrorCode
from backend.grievances.models import Grievance
from backend.rts.models import RtsCase


async def refuse_return(g: Grievance) -> None:
    """Once the designated officer has recorded that the citizen had not applied, the
    office has acknowledged the service as its own: it helps the citizen apply and may
    not pass the grievance back as "not ours"."""
    if g.right_to_service and await RtsCase.exists(grievance_id=g.id, not_applied_at__isnull=False):
        raise DomainError(ErrorCode.CONFLICT, "A Right-to-Service grievance is never returned because the citizen "
                                              "had not applied: help the citizen apply and record the application")
