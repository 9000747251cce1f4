"""The fuzzer drives the same real server the end-to-end tests start."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from schemathesis.specs.graphql.schemas import GraphQLSchema

from tests.e2e.conftest import live_server  # noqa: F401  (re-exported fixture)
from tests.e2e.support import LiveServer

# Schemathesis has no strategy for the multipart `Upload` scalar; a plain string in its
# place exercises the resolver's refusal of a non-file.
schemathesis.graphql.scalar("Upload", st.text(max_size=20).map(nodes.String))


@pytest.fixture(scope="session")
def graphql_schema(live_server: LiveServer) -> GraphQLSchema:  # noqa: F811
    return schemathesis.graphql.from_url(f"{live_server.base_url}/graphql")
