"""The garbage collector's settings for a long-running server or worker process.

CPython collects its oldest generation by walking every tracked object. An API process
holding 5,000 live subscriptions has millions of them, nearly all long-lived: with the
default thresholds (700, 10, 10) it ran a full collection every one to three seconds
while subscribers connected and updates went out, each longer than the last, up to
1.2 s, and every delivery waiting behind one waited that long (tests/bench live: p95
0.9-1.1 s; with these settings 2.2 ms).

- What the process built to start (modules, the GraphQL schema, caches) is frozen once
  it is up: it lives as long as the process, and no collection walks it again.
- Young collections run after 50,000 allocations instead of 700, and the full one is
  considered after 100 of the middle generation's instead of 10: request garbage is
  nearly all freed by reference counting, and a cycle that reaches the old generation
  waits longer to be freed, at the cost of some memory, not of a stalled event loop.
"""

from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 100)


def settle() -> None:
    """Call once the process is ready to serve (not in tests: frozen objects are never
    collected, and a test process builds and drops many apps)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
