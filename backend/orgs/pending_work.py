"""The hook through which restructuring carries pending work along.

Moving a subtree, merging a unit or deactivating an account must move the affected
pending grievances in the same transaction, and its dry-run must count them. The
organisation domain cannot import the grievance domain (that would invert the layers),
so domains that hold pending work register a provider here at import time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from backend.authz.actors import Actor


class PendingWorkProvider(Protocol):
    name: str

    async def count_for_units(self, unit_ids: Sequence[int]) -> int: ...

    async def move_unit_work(self, from_unit_ids: Sequence[int], to_unit_id: int, *, actor: Actor, now: datetime) -> int: ...

    async def count_for_users(self, user_ids: Sequence[int]) -> int: ...

    async def move_user_work(self, from_user_id: int, to_user_id: int, *, actor: Actor, now: datetime) -> int: ...

    async def list_for_units(self, unit_ids: Sequence[int]) -> list[str]: ...

    async def list_for_users(self, user_ids: Sequence[int]) -> list[str]: ...

    async def rewrite_unit_paths(self, old_prefix: str, new_prefix: str) -> None: ...


_providers: list[PendingWorkProvider] = []


def register(provider: PendingWorkProvider) -> None:
    if all(p.name != provider.name for p in _providers):
        _providers.append(provider)


async def count_for_units(unit_ids: Sequence[int]) -> int:
    return sum([await p.count_for_units(unit_ids) for p in _providers])


async def move_unit_work(from_unit_ids: Sequence[int], to_unit_id: int, *, actor: Actor, now: datetime) -> int:
    return sum([await p.move_unit_work(from_unit_ids, to_unit_id, actor=actor, now=now) for p in _providers])


async def count_for_users(user_ids: Sequence[int]) -> int:
    return sum([await p.count_for_users(user_ids) for p in _providers])


async def move_user_work(from_user_id: int, to_user_id: int, *, actor: Actor, now: datetime) -> int:
    return sum([await p.move_user_work(from_user_id, to_user_id, actor=actor, now=now) for p in _providers])


async def list_for_units(unit_ids: Sequence[int]) -> list[str]:
    """What a dry run shows: the references (grievance numbers) of the pending items."""
    return [ref for p in _providers for ref in await p.list_for_units(unit_ids)]


async def list_for_users(user_ids: Sequence[int]) -> list[str]:
    return [ref for p in _providers for ref in await p.list_for_users(user_ids)]


async def rewrite_unit_paths(old_prefix: str, new_prefix: str) -> None:
    """A subtree moved: work that denormalises unit paths follows."""
    for p in _providers:
        await p.rewrite_unit_paths(old_prefix, new_prefix)
