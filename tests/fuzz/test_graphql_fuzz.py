"""Schemathesis against the real server's /graphql: no input makes it fail.

Expected failures are data (`OperationError`), so any `errors` entry that is not a
validation error counts as a server error. Refusals the schema cannot express (a page
size or list beyond its documented maximum, `backend/api/limits.py`) are request
errors like validation errors, so the check that every schema-valid input is accepted
(`positive_data_acceptance`) is left out; server errors, malformed responses and
schema violations are all checked.

Every query and mutation is fuzzed as each viewer in `viewers`: anonymous, a citizen
with grievances and two officials, so that generated input gets past "who are you" to
the resolvers' own checks (asserted: signed-in viewers are almost never answered
UNAUTHENTICATED).

CI runs FUZZ_EXAMPLES (default 6) cases per operation and viewer with a fixed seed
(derandomize): at least MIN_CASES in total (asserted; the count, the time and the
slowest operations are printed), in three to four and a half minutes on two busy cores.
The run is bounded: every request times out after REQUEST_TIMEOUT_S, and the test
fails once it has taken longer than FUZZ_BUDGET_S (default ten minutes for the CI run,
scaled with FUZZ_EXAMPLES). For a long run raise it, e.g.
`FUZZ_EXAMPLES=100 .venv/bin/pytest -s tests/fuzz`.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from schemathesis.specs.graphql.schemas import GraphQLSchema
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.fuzz.conftest import Viewer

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
DEFAULT_EXAMPLES = 6
BUDGET_S = float(os.environ.get("FUZZ_BUDGET_S", 600 * max(EXAMPLES, DEFAULT_EXAMPLES) / DEFAULT_EXAMPLES))
REQUEST_TIMEOUT_S = 30
# Issue 12: at least 2,000 generated cases against /graphql in CI.
MIN_CASES = 2000
# Fuzzed only anonymously: as a signed-in viewer it would end the session the rest of
# the run uses (it takes no arguments, so one anonymous case covers it).
ANONYMOUS_ONLY = frozenset({"authSignOut"})


def test_no_input_makes_graphql_fail(graphql_schema: GraphQLSchema, viewers: list[Viewer], capsys: Any) -> None:
    operations = [result.ok() for result in graphql_schema.get_all_operations()]
    assert len(operations) > 90  # every query and mutation field is exercised
    started = time.monotonic()
    cases: Counter[str] = Counter()
    unauthenticated: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    failures: list[str] = []
    for viewer in viewers:
        for operation in operations:
            name = operation.label.split(".", 1)[-1]
            if viewer.token_source is not None and name in ANONYMOUS_ONLY:
                continue
            headers = viewer.headers()  # signs in again if a fuzzed mutation ended the session
            began = time.monotonic()

            check = _fuzzer(operation, headers, viewer.name, cases, unauthenticated)
            try:
                check()
            except BaseExceptionGroup as error:  # schemathesis' FailureGroup: collect every failing operation
                failures.append(f"{viewer.name} {operation.label}: {error}")
            except Exception as error:
                failures.append(f"{viewer.name} {operation.label}: {error!r}")
            seconds[name] += time.monotonic() - began
            spent = time.monotonic() - started
            assert spent < BUDGET_S, f"fuzz over its {BUDGET_S:.0f} s budget after {sum(cases.values())} cases, at " \
                f"{viewer.name} {operation.label}; slowest: {seconds.most_common(5)}"
    total = sum(cases.values())
    slowest = ", ".join(f"{name} {s:.1f} s" for name, s in seconds.most_common(5))
    report = (f"fuzz: {total} cases ({', '.join(f'{v.name} {cases[v.name]}' for v in viewers)}) over "
              f"{len(operations)} operations, {EXAMPLES} examples each, in {time.monotonic() - started:.0f} s; "
              f"answered UNAUTHENTICATED: {dict(unauthenticated)}; sign-ins: "
              f"{', '.join(f'{v.name} {v.sign_ins}' for v in viewers if v.token_source)}; slowest: {slowest}")
    with capsys.disabled():
        print("\n" + report)
    assert not failures, "\n\n".join(failures)
    for viewer in viewers:
        if viewer.token_source is not None:  # the token reached the server: its cases got past sign-in
            assert unauthenticated[viewer.name] <= cases[viewer.name] // 20, report
    if EXAMPLES >= DEFAULT_EXAMPLES:
        assert total >= MIN_CASES, report


def _fuzzer(operation: Any, headers: dict[str, str], viewer: str, cases: Counter[str],
            unauthenticated: Counter[str]) -> Any:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        cases[viewer] += 1
        response = case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance],
                                          timeout=REQUEST_TIMEOUT_S)
        if '"UNAUTHENTICATED"' in response.text:
            unauthenticated[viewer] += 1

    return check
