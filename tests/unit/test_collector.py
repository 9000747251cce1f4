"""The collector settings of serving processes (backend/ops/collector.py), applied in a
fresh interpreter: frozen objects are never collected, so not in the test process."""

from __future__ import annotations

import json
import subprocess
import sys

from backend.ops.collector import THRESHOLDS

PROBE = """
import gc, json
before = gc.get_freeze_count()
from backend.ops import collector
collector.settle()
print(json.dumps({"before": before, "frozen": gc.get_freeze_count(), "thresholds": gc.get_threshold()}))
"""


def test_settle_freezes_what_the_process_built_and_spaces_the_collections() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60)
    report = json.loads(done.stdout)
    assert report["before"] == 0 and report["frozen"] > 1000, report
    assert tuple(report["thresholds"]) == THRESHOLDS
    assert THRESHOLDS[0] > 700 and THRESHOLDS[2] > 10  # fewer collections than CPython's (700, 10, 10)
