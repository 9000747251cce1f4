"""Jobs that change grievances announce the changes, like the API does, once they end."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from arq.typing import WorkerCoroutine

from backend.grievances import live


def publishes(task: Callable[[dict[str, Any]], Awaitable[int]]) -> WorkerCoroutine:
    """Wrap a task so that every grievance it changes is broadcast to subscribers (the
    worker's `ctx["broadcast"]`); the name is kept, since arq registers tasks by name."""

    @functools.wraps(task)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> int:
        async with live.publishing(ctx.get("broadcast")):
            return await task(ctx)

    return run
