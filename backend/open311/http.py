"""The Open311 GeoReport v2 endpoints under `/open311/v2/`, in JSON and XML as the
specification describes (`.json` / `.xml`), errors as a list of {code, description}
with the HTTP status the specification gives (400, 403, 404)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from backend.core.clock import utcnow
from backend.core.errors import DomainError, ErrorCode
from backend.core.validation import parse_moment
from backend.grievances.models import Grievance
from backend.grievances.states import TERMINAL, State
from backend.open311 import services
from backend.runtime import Runtime

STATUS = {ErrorCode.VALIDATION: 400, ErrorCode.UNAUTHENTICATED: 403, ErrorCode.FORBIDDEN: 403,
          ErrorCode.NOT_FOUND: 404}
# The XML element of each list's items.
ITEMS = {"services": "service", "service_requests": "request", "errors": "error", "endpoints": "endpoint",
         "attributes": "attribute", "values": "value", "formats": "format", "tokens": "token"}


def _xml(root: str, value: Any) -> bytes:
    def put(parent: ElementTree.Element, tag: str, item: Any) -> None:
        node = ElementTree.SubElement(parent, tag)
        fill(node, tag, item)

    def fill(node: ElementTree.Element, tag: str, item: Any) -> None:
        if isinstance(item, dict):
            for k, v in item.items():
                put(node, k, v)
        elif isinstance(item, list):
            for v in item:
                put(node, ITEMS.get(tag, "item"), v)
        elif item is not None:
            node.text = str(item).lower() if isinstance(item, bool) else str(item)

    top = ElementTree.Element(root)
    fill(top, root, value)
    body: bytes = ElementTree.tostring(top, encoding="utf-8", xml_declaration=True)
    return body


def respond(fmt: str, root: str, value: Any, status: int = 200) -> Response:
    if fmt == "xml":
        return Response(_xml(root, value), status_code=status, media_type="text/xml; charset=utf-8")
    return JSONResponse(value, status_code=status)


def error(fmt: str, status: int, description: str) -> Response:
    return respond(fmt, "errors", [{"code": status, "description": description}], status)


def _fmt(request: Request) -> str | None:
    fmt = str(request.path_params.get("fmt", "")).lower()
    return fmt if fmt in ("json", "xml") else None


async def _params(request: Request) -> dict[str, str]:
    params = {k: v for k, v in request.query_params.items()}
    if request.method == "POST":
        form = await request.form()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    return params


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def request_json(g: Grievance) -> dict[str, Any]:
    closed = g.status in TERMINAL
    note = f"{State(g.status).value.replace('_', ' ')}"
    if g.unit_id is not None and getattr(g, "unit", None) is not None:  # type: ignore[attr-defined]
        note += f" - {g.unit.name('en')}"
    return {
        "service_request_id": str(g.id), "status": "closed" if closed else "open", "status_notes": note,
        "service_name": g.category.name("en"), "service_code": g.category.code, "description": g.description,
        "agency_responsible": g.unit.name("en") if getattr(g, "unit", None) else "",
        "service_notice": f"Grievance number {g.number}", "requested_datetime": _iso(g.filed_at),
        "updated_datetime": _iso(g.updated_at), "expected_datetime": _iso(g.disposal_due_at),
        "address": g.location_address, "address_id": "", "zipcode": "", "lat": g.latitude, "long": g.longitude,
        "media_url": "",
    }


def handler(fn: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        fmt = _fmt(request)
        if fmt is None:
            return error("json", 404, "format must be json or xml")
        params = await _params(request)
        texts = (*params, *params.values(), *(str(v) for v in request.path_params.values()))
        if any("\x00" in text for text in texts):
            # PostgreSQL cannot hold a NUL: a query carrying one would fail, not match nothing.
            return error(fmt, 400, "parameters may not contain NUL characters")
        try:
            result: Response = await fn(request, fmt, params)
            return result
        except DomainError as failed:
            return error(fmt, STATUS.get(failed.code, 400), failed.message if not failed.field_errors else "; ".join(
                f"{e.field} {e.message}" for e in failed.field_errors))
    return endpoint


@handler
async def discovery(request: Request, fmt: str, params: dict[str, str]) -> Response:
    runtime: Runtime = request.app.state.runtime
    base = runtime.settings.public_url.rstrip("/") + "/open311/v2/"
    return respond(fmt, "discovery", {
        "changeset": "2026-11-24T00:00:00Z", "contact": "The grievance cell of the portal",
        "key_service": "API keys are issued by the portal's administrators",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-11-24T00:00:00Z", "type": "production",
                       "formats": ["text/xml", "application/json"]}]})


@handler
async def service_list(request: Request, fmt: str, params: dict[str, str]) -> Response:
    unit = await services.jurisdiction_unit(params.get("jurisdiction_id"))
    found = await services.leaf_services(unit)
    return respond(fmt, "services", [{
        "service_code": c.code, "service_name": c.name("en"), "description": trail, "metadata": False,
        "type": "realtime", "keywords": ", ".join(c.keywords.get("en", []) if isinstance(c.keywords, dict) else []),
        "group": group} for c, group, trail in found])


@handler
async def service_definition(request: Request, fmt: str, params: dict[str, str]) -> Response:
    category = await services.service(str(request.path_params["code"]))
    # No extra attributes: the description carries the grievance (metadata is false).
    return respond(fmt, "service_definition", {"service_code": category.code, "attributes": []})


@handler
async def request_list(request: Request, fmt: str, params: dict[str, str]) -> Response:
    runtime: Runtime = request.app.state.runtime
    client = await services.client_for(runtime.settings, params.get("api_key"))
    if request.method == "POST":
        g = await services.create(runtime.settings, client, services.parse_new(params), now=utcnow())
        return respond(fmt, "service_requests", [{"service_request_id": str(g.id),
                                                  "service_notice": f"Grievance number {g.number}",
                                                  "account_id": ""}])
    # At most 18 digits, as for requests/{id}: a longer number would overflow the query.
    ids = [int(i) for i in params.get("service_request_id", "").split(",") if i.strip().isdigit() and len(i.strip()) <= 18]
    start, end = (_date(params, "start_date"), _date(params, "end_date"))
    found = await services.requests(client, ids=ids, service_code=params.get("service_code", ""),
                                    status=params.get("status", ""), start=start, end=end)
    return respond(fmt, "service_requests", [request_json(g) for g in found])


def _date(params: dict[str, str], name: str) -> datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_moment(raw)
    except ValueError as error:
        raise DomainError(ErrorCode.VALIDATION, f"{name} must be a W3C date-time with its time zone: {error}") from None


@handler
async def request_one(request: Request, fmt: str, params: dict[str, str]) -> Response:
    runtime: Runtime = request.app.state.runtime
    client = await services.client_for(runtime.settings, params.get("api_key"))
    raw = str(request.path_params["id"])
    if not raw.isdigit() or len(raw) > 18:
        raise DomainError(ErrorCode.NOT_FOUND, "service_request_id not found")
    return respond(fmt, "service_requests", [request_json(await services.one(client, int(raw)))])


@handler
async def token(request: Request, fmt: str, params: dict[str, str]) -> Response:
    # Requests are created at once, so a token is the service_request_id itself.
    runtime: Runtime = request.app.state.runtime
    client = await services.client_for(runtime.settings, params.get("api_key"))
    raw = str(request.path_params["token"])
    if not raw.isdigit() or len(raw) > 18:
        raise DomainError(ErrorCode.NOT_FOUND, "token not found")
    g = await services.one(client, int(raw))
    return respond(fmt, "tokens", [{"service_request_id": str(g.id), "token": str(g.id)}])


ROUTES = [
    Route("/open311/v2/discovery.{fmt}", discovery, methods=["GET"]),
    Route("/open311/v2/services.{fmt}", service_list, methods=["GET"]),
    Route("/open311/v2/services/{code}.{fmt}", service_definition, methods=["GET"]),
    Route("/open311/v2/requests.{fmt}", request_list, methods=["GET", "POST"]),
    Route("/open311/v2/requests/{id}.{fmt}", request_one, methods=["GET"]),
    Route("/open311/v2/tokens/{token}.{fmt}", token, methods=["GET"]),
]
