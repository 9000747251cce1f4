"""Schemathesis against the real server's /graphql: no input makes it fail.

Expected failures are data (`OperationError`), so any `errors` entry that is not a
validation error counts as a server error. CI runs a short fixed-seed slice; set
FUZZ_EXAMPLES for a long run (e.g. FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/fuzz).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from schemathesis.specs.graphql.schemas import GraphQLSchema

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))


def test_no_input_makes_graphql_fail(graphql_schema: GraphQLSchema) -> None:
    operations = [result.ok() for result in graphql_schema.get_all_operations()]
    assert len(operations) > 20  # every query and mutation field is exercised
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: object) -> None:
            case.call_and_validate()  # type: ignore[attr-defined]

        check()
