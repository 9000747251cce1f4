"""The fuzzer drives the same real server the end-to-end tests start."""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.specs.graphql.schemas import GraphQLSchema

from tests.e2e.conftest import live_server  # noqa: F401  (re-exported fixture)
from tests.e2e.support import LiveServer


@pytest.fixture(scope="session")
def graphql_schema(live_server: LiveServer) -> GraphQLSchema:  # noqa: F811
    return schemathesis.graphql.from_url(f"{live_server.base_url}/graphql")
