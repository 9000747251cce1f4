"""Downloading a monthly report (`/reports/{id}/pdf` or `/csv`) with the viewer's
session: the same access rule as the report list, and 404 for anything else."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from backend.api.context import CrossSiteRequest, request_actor
from backend.authz.actors import ANONYMOUS
from backend.core.clock import utcnow
from backend.core.errors import DomainError
from backend.runtime import Runtime
from backend.stats.reports import readable

_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
            "Content-Security-Policy": "sandbox; default-src 'none'"}
_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
_MAX_ID = 2**63 - 1


async def download_report(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    report_id, kind = int(request.path_params["id"]), str(request.path_params["kind"])
    try:
        actor = await request_actor(request, runtime.settings, utcnow())
    except CrossSiteRequest:
        actor = ANONYMOUS
    if kind not in _TYPES or not 0 < report_id <= _MAX_ID:
        return PlainTextResponse("Not found", status_code=404, headers=_HEADERS)
    try:
        report = await readable(actor, report_id)
    except DomainError:
        return PlainTextResponse("Not found", status_code=404, headers=_HEADERS)
    unit = report.figures.get("unit")
    code = str(unit.get("code")) if isinstance(unit, dict) else str(report.unit_id)
    name = f"grievance-report-{code}-{report.month:%Y-%m}.{kind}"
    body = report.pdf if kind == "pdf" else report.csv.encode()
    return Response(body, media_type=_TYPES[kind],
                    headers={**_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})
