"""Turning "tell this citizen / these officials" into outbox rows, per their channels.

Called inside the use case's transaction. Each row's idempotency key is the caller's
key for the event plus the recipient and channel, so replaying a use case (or a job)
queues nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from tortoise.expressions import Q

from backend.accounts.models import Citizen, StaffUser
from backend.grievances import conflicts
from backend.grievances.models import Grievance
from backend.notifications.outbox import enqueue_many
from backend.notifications.preferences import Address, addresses, citizen_preferences, staff_preferences


def _message(key: str, address: Address, template: str, payload: Mapping[str, object]) -> dict[str, object]:
    """One outbox row's values for `enqueue_many` (each row gets its own payload copy)."""
    return {"key": key, "channel": address.channel, "recipient": address.recipient, "template": template,
            "language": address.language, "payload": dict(payload)}


async def tell_citizen(*, citizen_id: int, key: str, template: str, payload: Mapping[str, object], mobile: str,
                       email: str, language: str, now: datetime) -> int:
    """The citizen on each of their channels; the grievance's own mobile, e-mail and
    language (as given at filing) take precedence over the account's."""
    citizen = await Citizen.get(id=citizen_id)
    rows = addresses(citizen_preferences(citizen), f"citizen:{citizen.id}", mobile=mobile, email=email,
                     language=language)
    # Every channel's message in one insert.
    await enqueue_many([_message(f"{key}:{address.channel.value}", address, template, payload) for address in rows],
                       now)
    return len(rows)


async def tell_staff(user_ids: Iterable[int], *, key: str, template: str, payload: Mapping[str, object],
                     now: datetime) -> int:
    """Each active official on each of their channels, in their language - but never,
    about a grievance, one it is against (F13): here, so that no caller can forget it."""
    ids = sorted(set(user_ids))
    if "grievance_id" in payload:
        ids = await conflicts.without_conflicted(int(str(payload["grievance_id"])), ids)
    messages = [_message(f"{key}:staff:{user.id}:{address.channel.value}", address, template, payload)
                for user in await StaffUser.filter(id__in=ids, active=True).order_by("id")
                for address in addresses(staff_preferences(user), f"staff:{user.id}")]
    await enqueue_many(messages, now)
    return len(messages)


async def tell_staff_many(notices: Sequence[tuple[list[int], str, str, Mapping[str, object]]], now: datetime) -> int:
    """`tell_staff` for many notices at once - (user ids, key, template, payload) each -
    with the officials read once and the messages queued in one insert (a sweep's batch)."""
    users = {u.id: u for u in await StaffUser.filter(id__in=sorted({i for n in notices for i in n[0]}), active=True)}
    # As `tell_staff`: never one a grievance is against (one query finds the marked ones).
    about = sorted({int(str(n[3]["grievance_id"])) for n in notices if "grievance_id" in n[3]})
    marked: set[int] = set()
    if about:
        rows = await Grievance.filter(Q(against_officer_id__isnull=False) | Q(against_unit_id__isnull=False),
                                      id__in=about).values_list("id", flat=True)
        marked = {int(str(i)) for i in rows}
    messages = []
    for user_ids, key, template, payload in notices:
        if "grievance_id" in payload and int(str(payload["grievance_id"])) in marked:
            user_ids = await conflicts.without_conflicted(int(str(payload["grievance_id"])), sorted(set(user_ids)))
        for user_id in sorted(set(user_ids)):
            user = users.get(user_id)
            if user is None:
                continue
            for address in addresses(staff_preferences(user), f"staff:{user.id}"):
                messages.append(_message(f"{key}:staff:{user.id}:{address.channel.value}", address, template, payload))
    return await enqueue_many(messages, now)
