"""What must follow a restructure once it has committed.

Moving a subtree (alone or as part of a merge) changes which ancestors the moved units'
history counts for. Derived data keyed by ancestors (the statistics' subtree rollups)
is recomputed after the commit, for the units whose subtree gained or lost something.
As with `pending_work`, the organisation domain cannot import the domains that derive
from it, so they register here at start-up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

AfterRestructure = Callable[[Sequence[int]], Awaitable[None]]

_hooks: dict[str, AfterRestructure] = {}


def _ids(path: str) -> set[int]:
    return {int(part) for part in path.strip("/").split("/") if part}


def changed_by_move(old_parent_path: str, new_parent_path: str) -> list[int]:
    """The units whose subtree gains or loses a unit moved between these parents: the
    ancestors on one chain but not the other (common ancestors hold it either way, so
    their rows need no rebuild - a move within a state leaves the state's alone)."""
    return sorted(_ids(old_parent_path) ^ _ids(new_parent_path))


def register(name: str, hook: AfterRestructure) -> None:
    _hooks[name] = hook


async def after_restructure(unit_ids: Sequence[int]) -> None:
    """Call every hook with the ids of the units whose subtree changed."""
    if not unit_ids:
        return
    for hook in list(_hooks.values()):
        await hook(sorted(set(unit_ids)))
