"""Monthly reports on the lines of CPGRAMS (seed 001): on the first of each month, for
every active unit down to REPORT_DEPTH (the nation, the states, their departments and
districts), the previous month's report as CSV and PDF - headline figures, the ranking
of its children, top categories, SLA breaches by stage, feedback, and the oldest
pending grievances (numbers and ages only).

The figures come from the rollups for the closed month; pending and the oldest pending
are as of the first generation and are kept in the stored figures, so regenerating a
month (`generate(..., regenerate=True)`) remakes the same CSV and PDF from the same
figures plus any late-arriving events of that month. The PDF is deterministic (its
creation date is the month's end).
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fpdf import FPDF
from tortoise.exceptions import IntegrityError

from backend.authz.actors import Actor
from backend.authz.policy import Permission, require
from backend.categories.models import Category
from backend.core.errors import not_found
from backend.grievances.models import Grievance
from backend.grievances.states import PENDING
from backend.orgs.models import Unit
from backend.stats.dashboard import Filters, figures_for, metric_rows
from backend.stats.models import MonthlyReport
from backend.stats.ranking import rank_children

REPORT_DEPTH = 3
TOP = 10


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


async def _top_categories(unit: Unit, start: date, end: date) -> list[dict[str, Any]]:
    rows = await metric_rows(unit.path, start, end, Filters(), group="f.category_id")
    counts: dict[int, int] = {}
    for row in rows:
        if row["metric"] == "received":
            counts[int(row["grp"])] = counts.get(int(row["grp"]), 0) + int(row["n"] or 0)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    names = {c.id: c for c in await Category.filter(id__in=[k for k, _ in top])}
    return [{"code": names[k].code, "name": names[k].name("en"), "received": n} for k, n in top if k in names]


async def _oldest_pending(unit: Unit, today: date) -> list[dict[str, Any]]:
    # Numbers of grievances against someone stay out of the list: the report goes to
    # everyone covering the unit, among them those it is against (F13); they still count.
    rows = await (Grievance.filter(unit_path__startswith=unit.path, status__in=sorted(PENDING),
                                   against_officer_id=None, against_unit_id=None)
                  .order_by("filed_at", "id").limit(TOP).values("number", "filed_at", "status"))
    return [{"number": r["number"], "age_days": (today - r["filed_at"].date()).days, "status": str(r["status"].value)}
            for r in rows]


async def compute(unit: Unit, month: date, frozen: dict[str, Any] | None, now: datetime) -> dict[str, Any]:
    start, end = month_bounds(month)
    last_day = end - timedelta(days=1)
    f = await figures_for(unit.path, start, end, Filters(), last_day)
    ranking = await rank_children(unit, start, end, last_day)
    data: dict[str, Any] = {
        "unit": {"code": unit.code, "name": unit.name("en")}, "month": start.isoformat(),
        "received": f.received, "disposed": f.disposed, "closed": f.closed, "rejected": f.rejected,
        "resolved": f.resolved, "not_resolved": f.not_resolved,
        "average_disposal_days": f.average_disposal_days, "median_disposal_days": f.median_disposal_days,
        "sla": {stage: {"on_time": met, "late": late} for stage, (met, late) in sorted(f.sla.items())},
        "feedback": {src: {"answers": n, "said_resolved": r, "rated": k, "rating_sum": total}
                     for src, (n, r, k, total) in sorted(f.feedback.items())},
        "disputed": f.disputed, "remanded": f.remanded, "upheld": f.upheld, "appealed": f.appealed,
        "transferred": f.transferred, "not_ours": f.not_ours,
        "ranking": [{"rank": s.rank, "code": s.unit.code, "name": s.unit.name("en"), "score": s.score,
                     "components": asdict(s.components) if s.components else None, "reason": s.reason}
                    for s in ranking],
        "top_categories": await _top_categories(unit, start, end),
    }
    if frozen is not None:
        data["pending"], data["ageing"], data["oldest_pending"] = frozen["pending"], frozen["ageing"], frozen["oldest_pending"]
    else:
        today = min(now.date(), last_day + timedelta(days=1))
        now_f = await figures_for(unit.path, start, end, Filters(), today)
        data["pending"], data["ageing"] = now_f.pending, now_f.ageing
        data["oldest_pending"] = await _oldest_pending(unit, today)
    return data


def to_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "item", "value"])
    for key in ("received", "disposed", "closed", "rejected", "resolved", "not_resolved", "pending",
                "average_disposal_days", "median_disposal_days", "disputed", "remanded", "upheld", "appealed",
                "transferred", "not_ours"):
        w.writerow(["figures", key, data[key]])
    for band, n in data["ageing"].items():
        w.writerow(["pending by age (days)", band, n])
    for stage, v in data["sla"].items():
        w.writerow(["stages finished on time", stage, v["on_time"]])
        w.writerow(["stages finished late", stage, v["late"]])
    for src, v in data["feedback"].items():
        w.writerow(["feedback answers", src, v["answers"]])
        w.writerow(["feedback said resolved", src, v["said_resolved"]])
    for r in data["ranking"]:
        w.writerow(["ranking", f"{r['code']} {r['name']}", r["rank"] if r["rank"] is not None else f"not ranked: {r['reason']}"])
        w.writerow(["ranking index", r["code"], r["score"] if r["score"] is not None else ""])
    for c in data["top_categories"]:
        w.writerow(["top categories", f"{c['code']} {c['name']}", c["received"]])
    for p in data["oldest_pending"]:
        w.writerow(["oldest pending (days)", p["number"], p["age_days"]])
    return out.getvalue()


def _latin(text: object) -> str:
    # The PDF's core fonts are Latin-1; other characters become '?' rather than failing.
    return str(text).replace("\u2014", "-").encode("latin-1", "replace").decode("latin-1")


def to_pdf(data: dict[str, Any]) -> bytes:
    start, end = month_bounds(date.fromisoformat(data["month"]))
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.combine(end, time(0), tzinfo=UTC))
    pdf.set_title(_latin(f"Grievance report {data['unit']['code']} {start:%B %Y}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, _latin(f"{data['unit']['name']} ({data['unit']['code']})"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 7, _latin(f"Grievance redressal report for {start:%B %Y}"), new_x="LMARGIN", new_y="NEXT")

    def section(title: str, rows: list[tuple[object, object]]) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, _latin(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for label, value in rows or [("(none)", "")]:
            pdf.cell(120, 6, _latin(label))
            pdf.cell(0, 6, _latin(value), new_x="LMARGIN", new_y="NEXT")

    section("Headline figures", [
        ("Received", data["received"]), ("Disposed of", data["disposed"]),
        ("  of which closed / rejected", f"{data['closed']} / {data['rejected']}"),
        ("Resolved (citizen confirmed)", data["resolved"]), ("Not resolved, closure upheld", data["not_resolved"]),
        ("Pending at the end of the month", data["pending"]),
        ("Days to dispose of (average / median)", f"{data['average_disposal_days']} / {data['median_disposal_days']}"),
        ("Disputed / remanded / upheld", f"{data['disputed']} / {data['remanded']} / {data['upheld']}"),
        ("Appealed", data["appealed"]), ("Transferred / returned as not ours", f"{data['transferred']} / {data['not_ours']}"),
    ])
    section("Pending by age (days)", list(data["ageing"].items()))
    section("Stages: on time / late", [(s.replace("_", " "), f"{v['on_time']} / {v['late']}") for s, v in data["sla"].items()])
    section("Feedback: answers / said resolved", [(s.replace("_", " "), f"{v['answers']} / {v['said_resolved']}")
                                                  for s, v in data["feedback"].items()])
    section("Ranking of the units below", [
        (f"{r['rank'] if r['rank'] is not None else '-'}. {r['name']} ({r['code']})",
         r["score"] if r["score"] is not None else f"not ranked: {r['reason']}") for r in data["ranking"]])
    section("Top categories (received)", [(f"{c['name']} ({c['code']})", c["received"]) for c in data["top_categories"]])
    section("Oldest pending (days)", [(p["number"], p["age_days"]) for p in data["oldest_pending"]])
    return bytes(pdf.output())


async def generate(unit: Unit, month: date, now: datetime, *, regenerate: bool = False) -> MonthlyReport:
    """Make (or remake) a unit's report for a month; idempotent unless `regenerate`."""
    month = month.replace(day=1)
    existing = await MonthlyReport.get_or_none(unit_id=unit.id, month=month)
    if existing is not None and not regenerate:
        return existing
    data = await compute(unit, month, existing.figures if existing else None, now)
    body, pdf = to_csv(data), to_pdf(data)
    if existing is not None:
        await MonthlyReport.filter(id=existing.id).update(figures=data, csv=body, pdf=pdf, regenerated_at=now)
        await existing.refresh_from_db()
        return existing
    try:
        return await MonthlyReport.create(unit_id=unit.id, month=month, figures=data, csv=body, pdf=pdf,
                                          generated_at=now)
    except IntegrityError:  # another worker made it meanwhile
        return await MonthlyReport.get(unit_id=unit.id, month=month)


async def generate_month(today: date, now: datetime) -> int:
    """The previous month's reports for every unit that gets one (the cron job)."""
    month = previous_month(today)
    made = 0
    for unit in await Unit.filter(active=True, depth__lte=REPORT_DEPTH).order_by("depth", "id"):
        before = await MonthlyReport.exists(unit_id=unit.id, month=month)
        await generate(unit, month, now)
        made += 0 if before else 1
    return made


async def reports_for(actor: Actor, unit_id: int) -> list[MonthlyReport]:
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        raise not_found("Unit")
    require(actor, Permission.VIEW_GRIEVANCES, unit.path)
    return await MonthlyReport.filter(unit_id=unit.id).order_by("-month").limit(36).only(
        "id", "unit_id", "month", "generated_at", "regenerated_at")


async def readable(actor: Actor, report_id: int) -> MonthlyReport:
    report = await MonthlyReport.get_or_none(id=report_id)
    unit = await Unit.get_or_none(id=report.unit_id) if report else None
    if report is None or unit is None:
        raise not_found("Report")
    require(actor, Permission.VIEW_GRIEVANCES, unit.path)
    return report

