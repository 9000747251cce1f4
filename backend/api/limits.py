"""Limits on the shape of a GraphQL request, beyond depth, tokens and aliases.

Checked once the document has passed validation and before any resolver runs, so a
refused request changes nothing and costs almost nothing. A refusal is a request
error (no `data`, no `path`, `extensions.code` BAD_USER_INPUT), like a validation error:
the request, not some grievance, is wrong.

- Every list a client sends, written in the document or in the variables, holds at
  most MAX_LIST_ITEMS items, or what LIST_MAXIMA allows a field of that name (domain
  rules are tighter where they have one: five attachments per grievance, seven
  weekdays...).
- Every page-size argument (`first`, `limit`) is between 1 and the field's maximum
  (PAGE_MAXIMA, else DEFAULT_PAGE_MAXIMUM): asking for more is refused rather than
  silently cut, so a client never mistakes a short page for the whole list. A field
  that can answer `OperationError` refuses it itself, as data (`page_size`); a plain
  list field is refused here.
- No string literal in the document holds a NUL character (see
  `extensions.RejectMalformedText`, which refuses them in the raw request).
- A mutation operation runs at most MAX_ROOT_MUTATIONS root fields: each may be a
  password hash or a transaction, and aliases would otherwise multiply them.
- A websocket runs at most MAX_OPERATIONS_PER_SOCKET operations at once (`app.py`;
  strawberry enforces it).
- Introspection (`__schema`, `__type`) is refused when the deployment turns it off
  (`GRIEVANCE_INTROSPECTION`; off by default in production). `__typename` stays.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInputType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableDefinitionNode,
    Visitor,
    get_named_type,
    get_operation_ast,
    validate,
    value_from_ast,
    visit,
)
from graphql.execution.values import get_variable_values
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from backend.api.extensions import HAS_NUL
from backend.callcentre.services import MAX_QUEUE
from backend.core.errors import FieldError, validation_error
from backend.grievances.selectors import MAX_PAGE

MAX_LIST_ITEMS = 100
# Lists the domain allows to be longer, by argument or input field name: a unit's area
# codes (`core.validation.check_area_codes`).
LIST_MAXIMA: Mapping[str, int] = {"areaCodes": 500}
DEFAULT_PAGE_MAXIMUM = 100
PAGE_ARGUMENTS = frozenset({"first", "limit"})
# (type, field) -> the largest page it serves; each field's description says so too.
PAGE_MAXIMA: Mapping[tuple[str, str], int] = {
    ("Query", "units"): 200,
    ("Query", "routingRules"): 500,
    ("Query", "categorySearch"): 25,
    ("Query", "feedbackCallQueue"): MAX_QUEUE,
    ("Query", "myGrievances"): MAX_PAGE,
    ("Query", "inbox"): MAX_PAGE,
}
MAX_ROOT_MUTATIONS = 5
# Operations one websocket may run at once (the PWA opens one socket per live view, each
# with one subscription); strawberry answers the next with an "error" message.
MAX_OPERATIONS_PER_SOCKET = 20

BAD_USER_INPUT = {"code": "BAD_USER_INPUT"}


def page_maximum(type_name: str, field_name: str) -> int:
    return PAGE_MAXIMA.get((type_name, field_name), DEFAULT_PAGE_MAXIMUM)


def page_size(value: int, type_name: str, field_name: str, argument: str = "first") -> int:
    """For resolvers that answer OperationError: the page size, or a VALIDATION error."""
    maximum = page_maximum(type_name, field_name)
    if not 1 <= value <= maximum:
        raise validation_error([FieldError(argument, f"must be between 1 and {maximum}")])
    return value


def _answers_operation_error(type_: GraphQLOutputType) -> bool:
    named = get_named_type(type_)
    return isinstance(named, GraphQLUnionType) and any(t.name == "OperationError" for t in named.types)


def refusal(message: str) -> GraphQLError:
    return GraphQLError(message, extensions=dict(BAD_USER_INPUT))


def list_maximum(name: str) -> int:
    return LIST_MAXIMA.get(name, MAX_LIST_ITEMS)


def _long_list_in_value(value: Any, where: str, name: str = "") -> tuple[str, int] | None:
    """Where, in a variables value, a list is too long (the first one found), and its maximum."""
    if isinstance(value, list):
        if len(value) > list_maximum(name):
            return where, list_maximum(name)
        for index, item in enumerate(value):
            found = _long_list_in_value(item, f"{where}[{index}]", name)
            if found:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            found = _long_list_in_value(item, f"{where}.{key}", str(key))
            if found:
                return found
    return None


def _nul_in_literal(node: ValueNode) -> bool:
    if isinstance(node, StringValueNode):
        return "\x00" in node.value
    if isinstance(node, ListValueNode):
        return any(_nul_in_literal(v) for v in node.values)
    if isinstance(node, ObjectValueNode):
        return any(_nul_in_literal(f.value) for f in node.fields)
    return False


def _long_list_in_literal(node: ValueNode, where: str, name: str) -> tuple[str, int] | None:
    if isinstance(node, ListValueNode):
        if len(node.values) > list_maximum(name):
            return where, list_maximum(name)
        for index, item in enumerate(node.values):
            found = _long_list_in_literal(item, f"{where}[{index}]", name)
            if found:
                return found
    elif isinstance(node, ObjectValueNode):
        for field in node.fields:
            found = _long_list_in_literal(field.value, f"{where}.{field.name.value}", field.name.value)
            if found:
                return found
    return None


@dataclass(frozen=True)
class _PageSite:
    """A page-size argument in the document, checked against each request's variables."""

    field: str
    argument: str
    value: ValueNode
    type: GraphQLInputType
    maximum: int


@dataclass(frozen=True)
class DocumentChecks:
    """What the document alone decides, worked out once per document: the API's
    documents repeat (they are parsed and validated from a cache too), and walking one
    with the schema's type information on every request was about 7 % of an API
    process's time in the lifecycle benchmark (tests/bench)."""

    introspects: bool
    refused: str | None  # the first refusal a literal, or the mutation count, earns
    pages: tuple[_PageSite, ...]


class _DocumentScanner(Visitor):
    """The document's literal refusals (the first one) and its page-size arguments."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.refused: str | None = None
        self.pages: list[_PageSite] = []

    def enter_variable_definition(self, node: VariableDefinitionNode, *_: Any) -> Any:
        # A default value is a literal too (`query($ids: [ID!] = [...])`).
        if self.refused is not None or node.default_value is None:
            return None
        name = node.variable.name.value
        found = _long_list_in_literal(node.default_value, f"${name}", name)
        if found:
            self.refused = f"The default of {found[0]} holds more than {found[1]} items"
        elif _nul_in_literal(node.default_value):
            self.refused = HAS_NUL
        return Visitor.BREAK if self.refused is not None else None

    def enter_field(self, node: FieldNode, *_: Any) -> Any:
        if self.refused is not None:
            return Visitor.BREAK
        parent = self.type_info.get_parent_type()
        field_def = self.type_info.get_field_def()
        if parent is None or field_def is None:
            return None
        field = f"{parent.name}.{node.name.value}"
        for argument in node.arguments or ():
            name = argument.name.value
            if _nul_in_literal(argument.value):
                self.refused = HAS_NUL
                return Visitor.BREAK
            found = _long_list_in_literal(argument.value, name, name)
            if found:
                self.refused = f"Argument {found[0]} of {field} holds more than {found[1]} items"
                return Visitor.BREAK
            arg_def = field_def.args.get(name)
            if name in PAGE_ARGUMENTS and arg_def is not None and not _answers_operation_error(field_def.type):
                self.pages.append(_PageSite(field, name, argument.value, arg_def.type,
                                            page_maximum(parent.name, node.name.value)))
        return None


def _root_fields(selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode],
                 seen: frozenset[str] = frozenset()) -> Iterator[FieldNode]:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:  # validation refuses cycles; be safe anyway
                yield from _root_fields(fragment.selection_set, fragments, seen | {name})


def document_checks(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, *,
                    introspection: bool) -> DocumentChecks:
    introspects = not introspection and bool(validate(schema, document, [NoSchemaIntrospectionCustomRule]))
    refused: str | None = None
    operation = get_operation_ast(document, operation_name)
    if isinstance(operation, OperationDefinitionNode) and operation.operation is OperationType.MUTATION:
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        count = sum(1 for field in _root_fields(operation.selection_set, fragments) if field.name.value != "__typename")
        if count > MAX_ROOT_MUTATIONS:
            refused = f"A request may run at most {MAX_ROOT_MUTATIONS} mutations; this one has {count}"
    type_info = TypeInfo(schema)
    scanner = _DocumentScanner(type_info)
    visit(document, TypeInfoVisitor(type_info, scanner))
    return DocumentChecks(introspects, refused or scanner.refused, tuple(scanner.pages))


# (schema, query text, operation name, introspection allowed) -> its checks; as many as
# the parser's cache keeps documents (backend/api/schema.py).
_CHECKS: OrderedDict[tuple[int, str, str | None, bool], DocumentChecks] = OrderedDict()
CHECKS_CACHE_SIZE = 512


def _cached_checks(schema: GraphQLSchema, document: DocumentNode, query: str | None, operation_name: str | None,
                   introspection: bool) -> DocumentChecks:
    if query is None:
        return document_checks(schema, document, operation_name, introspection=introspection)
    key = (id(schema), query, operation_name, introspection)
    found = _CHECKS.get(key)
    if found is None:
        found = _CHECKS[key] = document_checks(schema, document, operation_name, introspection=introspection)
        if len(_CHECKS) > CHECKS_CACHE_SIZE:
            _CHECKS.popitem(last=False)
    else:
        _CHECKS.move_to_end(key)
    return found


def check_request(schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None,
                  operation_name: str | None, *, introspection: bool, query: str | None = None) -> GraphQLError | None:
    """The first limit the request breaks, or None. With `query` (the document's text)
    what the document alone decides is kept for the next request with the same text."""
    checks = _cached_checks(schema, document, query, operation_name, introspection)
    if checks.introspects:
        return refusal("Introspection is turned off on this server")
    for name, value in (variables or {}).items():
        # Within input objects the field's name decides; a list variable goes by its own
        # name (clients name them after the argument; any name stays within LIST_MAXIMA).
        found = _long_list_in_value(value, f"variables.{name}", name)
        if found:
            return refusal(f"The list at {found[0]} holds more than {found[1]} items")
    if checks.refused is not None:
        return refusal(checks.refused)
    if not checks.pages:
        return None
    coerced: Mapping[str, Any] = variables or {}
    operation = get_operation_ast(document, operation_name)
    if isinstance(operation, OperationDefinitionNode):
        # With the operation's own defaults: `($n: Int = 1000)` must not slip past.
        values = get_variable_values(schema, operation.variable_definitions or (), dict(variables or {}))
        # graphql-core 3.3 returns VariableValues (or a list of errors, which execution reports).
        coerced = getattr(values, "coerced", coerced)
    given = dict(coerced)
    for site in checks.pages:
        value = value_from_ast(site.value, site.type, given)
        if isinstance(value, int) and not 1 <= value <= site.maximum:
            return refusal(f"Argument {site.argument} of {site.field} must be between 1 and {site.maximum}")
    return None


class RequestLimits(SchemaExtension):
    """Runs `check_request` after validation, before execution (see the module doc)."""

    async def on_execute(self) -> Any:  # type: ignore[override]
        ctx = self.execution_context
        settings = getattr(ctx.context, "settings", None)
        if ctx.graphql_document is not None:
            refused = check_request(
                ctx.schema._schema, ctx.graphql_document, ctx.variables, ctx.operation_name,
                introspection=getattr(settings, "introspection", True), query=ctx.query,
            )
            if refused is not None:
                # A result set before execution replaces it (strawberry's own short-cut);
                # raising here instead would leave the other extensions' hooks half-entered.
                ctx.result = ExecutionResult(data=None, errors=[refused])
        yield
