"""The GraphQL schema: query, mutation and subscription roots merged from each domain.

Limits on query depth, tokens and aliases are on from the start, and on list sizes,
page sizes, mutations per request and introspection (`backend/api/limits.py`);
unexpected errors are masked for clients (and logged with the operation), expected ones
are data.
"""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from backend.api.accounts.resolvers import AccountMutations, AccountQueries
from backend.api.attachments.resolvers import AttachmentMutations
from backend.api.callcentre.resolvers import CallCentreMutations, CallCentreQueries
from backend.api.categories.resolvers import CategoryMutations, CategoryQueries
from backend.api.extensions import OperationMetrics, PublishLiveChanges, RejectMalformedText
from backend.api.feedback.resolvers import FeedbackMutations, FeedbackQueries
from backend.api.grievances.figures import FigureQueries
from backend.api.grievances.resolvers import GrievanceMutations, GrievanceQueries
from backend.api.grievances.subscriptions import GrievanceSubscriptions
from backend.api.limits import RequestLimits
from backend.api.notifications.preferences import PreferenceMutations, PreferenceQueries
from backend.api.notifications.push import PushMutations, PushQueries
from backend.api.orgs.areas import AreaQueries
from backend.api.orgs.resolvers import OrgMutations, OrgQueries
from backend.api.routing.resolvers import RoutingMutations, RoutingQueries
from backend.api.rts.resolvers import RtsMutations
from backend.api.scalars import SCALAR_OVERRIDES
from backend.api.sla.resolvers import SlaMutations, SlaQueries
from backend.api.stats.resolvers import PublicQueries, RankingQueries, ReportQueries, SpikeQueries, StatsQueries
from backend.api.system.resolvers import SystemQueries, SystemSubscriptions
from backend.core.errors import DomainError

log = logging.getLogger("backend.api")

MAX_DEPTH = 12
MAX_TOKENS = 2000
MAX_ALIASES = 30
# Clients send a small, fixed set of documents (the PWA's and the console's), so a
# parsed and validated document is kept and reused: parsing and validating it again
# was a fifth of an API process's time under load (tests/bench). Bounded, so that
# arbitrary documents cannot grow memory.
DOCUMENT_CACHE_SIZE = 512
# The limit rules are built once: the validation cache is keyed by the rules, so rules
# made anew for every request would never hit it.
_LIMIT_RULES = (*QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
                *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules)

Query = merge_types("Query", (SystemQueries, AccountQueries, OrgQueries, GrievanceQueries, RoutingQueries, CategoryQueries,
                              SlaQueries, CallCentreQueries, PreferenceQueries, FeedbackQueries,
                              FigureQueries, PushQueries, AreaQueries, StatsQueries,
                              RankingQueries, SpikeQueries, PublicQueries, ReportQueries))
Mutation = merge_types("Mutation", (AccountMutations, OrgMutations, GrievanceMutations, RoutingMutations,
                                    CategoryMutations, AttachmentMutations, SlaMutations, FeedbackMutations,
                                    CallCentreMutations, RtsMutations, PreferenceMutations,
                                    PushMutations))
Subscription = merge_types("Subscription", (SystemSubscriptions, GrievanceSubscriptions))


def _is_fault(error: GraphQLError) -> bool:
    """Mask only real faults: parse and validation errors, and DomainErrors that
    escape a query resolver, are meant for the client."""
    original = error.original_error
    return original is not None and not isinstance(original, (GraphQLError, DomainError))


class GrievanceSchema(strawberry.Schema):
    def create_extensions_runner(self, execution_context: ExecutionContext,
                                 extensions: list[SchemaExtension]) -> SchemaExtensionsRunner:
        # The token limit and the depth and alias rules, set on each operation before it
        # is parsed - what strawberry's MaxTokensLimiter and AddValidationRules do from
        # an on_operation hook. A subscription keeps every on_operation hook entered for
        # its whole life (about a KB each per held websocket: tests/bench/livemem.py), and
        # these two have nothing to do after the start.
        execution_context.parse_options["max_tokens"] = MAX_TOKENS
        execution_context.validation_rules = (*execution_context.validation_rules, *_LIMIT_RULES)
        return super().create_extensions_runner(execution_context, extensions)

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            if _is_fault(error):
                log.error(
                    "unexpected error in %s at %s", execution_context.operation_name if execution_context else "?",
                    error.path, exc_info=error.original_error,
                )


schema = GrievanceSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    scalar_overrides=SCALAR_OVERRIDES,
    extensions=[
        OperationMetrics,
        RejectMalformedText,
        PublishLiveChanges,
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        RequestLimits,
        lambda: MaskErrors(should_mask_error=_is_fault, error_message="Unexpected error; it has been logged."),
    ],
)
