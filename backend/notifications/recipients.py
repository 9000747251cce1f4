"""Turning "tell this citizen / these officials" into outbox rows, per their channels.

Called inside the use case's transaction. Each row's idempotency key is the caller's
key for the event plus the recipient and channel, so replaying a use case (or a job)
queues nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from backend.accounts.models import Citizen, StaffUser
from backend.grievances import conflicts
from backend.notifications.outbox import enqueue
from backend.notifications.preferences import addresses, citizen_preferences, staff_preferences


async def tell_citizen(*, citizen_id: int, key: str, template: str, payload: Mapping[str, object], mobile: str,
                       email: str, language: str, now: datetime) -> int:
    """The citizen on each of their channels; the grievance's own mobile, e-mail and
    language (as given at filing) take precedence over the account's."""
    citizen = await Citizen.get(id=citizen_id)
    rows = addresses(citizen_preferences(citizen), f"citizen:{citizen.id}", mobile=mobile, email=email,
                     language=language)
    for address in rows:
        await enqueue(key=f"{key}:{address.channel.value}", channel=address.channel, recipient=address.recipient,
                      template=template, language=address.language, payload=dict(payload), now=now)
    return len(rows)


async def tell_staff(user_ids: Iterable[int], *, key: str, template: str, payload: Mapping[str, object],
                     now: datetime) -> int:
    """Each active official on each of their channels, in their language - but never,
    about a grievance, one it is against (F13): here, so that no caller can forget it."""
    ids = sorted(set(user_ids))
    if "grievance_id" in payload:
        ids = await conflicts.without_conflicted(int(str(payload["grievance_id"])), ids)
    count = 0
    for user in await StaffUser.filter(id__in=ids, active=True).order_by("id"):
        for address in addresses(staff_preferences(user), f"staff:{user.id}"):
            await enqueue(key=f"{key}:staff:{user.id}:{address.channel.value}", channel=address.channel,
                          recipient=address.recipient, template=template, language=address.language,
                          payload=dict(payload), now=now)
            count += 1
    return count
