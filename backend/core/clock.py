"""The one place that reads the wall clock.

Services never call this: transports (resolvers, tasks, CLI) read `utcnow()` once per
request or job and pass `now` down, so tests can move time freely.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
