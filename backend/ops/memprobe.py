"""A memory probe for the benchmark: what a process's memory is made of, on request.

Off unless GRIEVANCE_MEMORY_PROBE names a directory (only tests/bench sets it). Then
SIGUSR1 makes the process write there, under `probe-<pid>-<n>`: its memory as the
kernel sees it (VmRSS, VmHWM), the live Python objects counted by type, and - when
tracemalloc is on (PYTHONTRACEMALLOC=<frames> in its environment) - a tracemalloc
snapshot, which the bench compares between two probes to attribute what grew. A
signal, not an endpoint: nothing reachable over the network, and no cost when off.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import signal
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

PROBE_ENV = "GRIEVANCE_MEMORY_PROBE"
# Type names whose holders the probe also counts (e.g. "deque,Event"): slow, for digging.
REFERRERS_ENV = "GRIEVANCE_MEMORY_PROBE_REFERRERS"
log = logging.getLogger(__name__)
_count = 0


def _status() -> dict[str, int]:
    wanted = ("VmRSS", "VmHWM", "RssAnon", "RssFile")
    out: dict[str, int] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in wanted:
            out[key] = int(value.split()[0])  # kB
    return out


def write_probe(directory: Path) -> Path:
    global _count
    _count += 1
    base = directory / f"probe-{os.getpid()}-{_count}"
    gc.collect()
    types = Counter(type(o).__qualname__ for o in gc.get_objects())
    report: dict[str, Any] = {"status_kb": _status(), "gc_objects": len(gc.get_objects()),
                              "types": dict(types.most_common(80)),
                              "tasks": len(asyncio.all_tasks()) if _loop_running() else None,
                              "traced": tracemalloc.get_traced_memory()[0] if tracemalloc.is_tracing() else None}
    wanted = [t for t in os.environ.get(REFERRERS_ENV, "").split(",") if t]
    if wanted:
        report["referrers"] = {name: _referrers(name) for name in wanted}
    if tracemalloc.is_tracing():
        tracemalloc.take_snapshot().dump(str(base.with_suffix(".snapshot")))
    base.with_suffix(".json").write_text(json.dumps(report, indent=1))
    return base


def _owner(obj: Any) -> str:
    """A referrer's type; for an instance's __dict__, the instance's type."""
    if isinstance(obj, dict):
        for holder in gc.get_referrers(obj):
            if getattr(holder, "__dict__", None) is obj:
                return f"{type(holder).__qualname__}.__dict__"
    return type(obj).__qualname__


def _referrers(type_name: str, sample: int = 300) -> dict[str, int]:
    """Who holds the objects of a type (a sample of them), counted by holder type."""
    found = [o for o in gc.get_objects() if type(o).__qualname__ == type_name][-sample:]
    counts: Counter[str] = Counter()
    for obj in found:
        for holder in gc.get_referrers(obj):
            if holder is not found:
                counts[_owner(holder)] += 1
    return dict(counts.most_common(15))


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def install() -> None:
    """Called in the app's lifespan (inside the running loop)."""
    directory = os.environ.get(PROBE_ENV)
    if not directory:
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)

    def on_signal() -> None:
        written = write_probe(path)
        log.info("memory probe written: %s", written)

    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, on_signal)
