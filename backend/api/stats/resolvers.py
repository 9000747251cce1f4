"""The dashboard over GraphQL: a unit's figures for a period from the rollups, and the
same split by channel, category, district or child unit (thin)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from backend.api.context import Context
from backend.api.errors import OperationError, as_data
from backend.api.ids import int_id
from backend.api.orgs.types import Unit
from backend.grievances.channels import Channel
from backend.stats import dashboard as stats
from backend.stats import public, spikes
from backend.stats import ranking as ranking_service
from backend.stats import reports as monthly
from backend.stats.dashboard import Breakdown

Info = strawberry.Info[Context, None]
BreakdownBy = strawberry.enum(Breakdown, name="DashboardBreakdown")


@strawberry.input
class DashboardFilter:
    channel: Channel | None = None
    category_id: strawberry.ID | None = strawberry.field(default=None, description="The category and its subtree.")
    area_code: str = strawberry.field(default="", description='A district or a state: "BR-PAT", "BR".')

    def to_domain(self) -> stats.Filters:
        return stats.Filters(channel=self.channel.value if self.channel else None,
                             category_id=int_id(self.category_id) if self.category_id else None,
                             area_code=self.area_code.strip().upper())


@strawberry.type
class AgeBand:
    band: str
    count: int


@strawberry.type
class StageCompliance:
    stage: str
    on_time: int
    late: int
    rate: float | None = strawberry.field(description="on_time / (on_time + late); null when none ended.")


@strawberry.type
class EscalationCount:
    level: int
    count: int


@strawberry.type
class Satisfaction:
    source: str = strawberry.field(description="citizen or call_centre")
    answers: int
    said_resolved: int
    rated: int
    average_rating: float | None


@strawberry.type(description="A unit's subtree over [since, until). 'disposed' counts closures and rejections; "
                             "'resolved' only closures the citizen (or the call centre) confirmed as resolved. "
                             "Pending and its ageing are as of now (the rollups trail the log by about a minute).")
class Dashboard:
    received: int
    disposed: int
    closed: int
    rejected: int
    resolved: int
    not_resolved: int
    pending: int
    ageing: list[AgeBand]
    average_disposal_days: float | None
    median_disposal_days: float | None
    sla: list[StageCompliance]
    escalations: list[EscalationCount]
    satisfaction: list[Satisfaction]
    disputed: int
    remanded: int
    upheld: int
    appealed: int
    appeal_reopened: int
    appeal_upheld: int
    transferred: int
    not_ours: int
    others_received: int = strawberry.field(description="Received in categories marked as a department's Others.")

    @classmethod
    def of(cls, f: stats.Figures) -> Dashboard:
        return cls(
            received=f.received, disposed=f.disposed, closed=f.closed, rejected=f.rejected, resolved=f.resolved,
            not_resolved=f.not_resolved, pending=f.pending,
            ageing=[AgeBand(band=b, count=n) for b, n in f.ageing.items()],
            average_disposal_days=f.average_disposal_days, median_disposal_days=f.median_disposal_days,
            sla=[StageCompliance(stage=s, on_time=met, late=late,
                                 rate=round(met / (met + late), 3) if met + late else None)
                 for s, (met, late) in sorted(f.sla.items())],
            escalations=[EscalationCount(level=k, count=v) for k, v in sorted(f.escalations.items())],
            satisfaction=[Satisfaction(source=s, answers=n, said_resolved=r, rated=k,
                                       average_rating=round(total / k, 2) if k else None)
                          for s, (n, r, k, total) in sorted(f.feedback.items())],
            disputed=f.disputed, remanded=f.remanded, upheld=f.upheld, appealed=f.appealed,
            appeal_reopened=f.appeal_reopened, appeal_upheld=f.appeal_upheld, transferred=f.transferred,
            not_ours=f.not_ours, others_received=f.others_received,
        )


@strawberry.type
class DashboardRow:
    key: str = strawberry.field(description="The channel (as in Channel), category id, district code or child "
                                            "unit code.")
    unit_id: strawberry.ID | None
    received: int
    disposed: int
    resolved: int
    pending: int


@strawberry.type
class DashboardRows:
    rows: list[DashboardRow]


@strawberry.type
class TrendPoint:
    day: date
    received: int
    disposed: int
    resolved: int


@strawberry.type
class DashboardTrend:
    points: list[TrendPoint]


@strawberry.type
class StatsQueries:
    @strawberry.field(description="A unit's subtree's figures for the days [since, until).")
    async def dashboard(
        self, info: Info, unit_id: strawberry.ID, since: date, until: date, filter: DashboardFilter | None = None,
    ) -> Annotated[Dashboard | OperationError, strawberry.union("DashboardResult")]:
        async def run() -> Dashboard:
            found = await stats.dashboard(info.context.actor, int_id(unit_id), since, until,
                                          (filter or DashboardFilter()).to_domain(), info.context.now.date())
            return Dashboard.of(found)

        return await as_data(run)

    @strawberry.field(description="The headline figures split by channel, category, district or child unit.")
    async def dashboard_breakdown(
        self, info: Info, unit_id: strawberry.ID, since: date, until: date, by: BreakdownBy,  # type: ignore[valid-type]
        filter: DashboardFilter | None = None,
    ) -> Annotated[DashboardRows | OperationError, strawberry.union("DashboardBreakdownResult")]:
        async def run() -> DashboardRows:
            rows = await stats.breakdown(info.context.actor, int_id(unit_id), since, until, by,
                                         (filter or DashboardFilter()).to_domain())
            return DashboardRows(rows=[
                DashboardRow(key=Channel(r.key).name if by is Breakdown.CHANNEL else r.key,
                             unit_id=strawberry.ID(str(r.unit_id)) if r.unit_id else None, received=r.received,
                             disposed=r.disposed, resolved=r.resolved, pending=r.pending)
                for r in rows])

        return await as_data(run)

    @strawberry.field(description="Received, disposed and resolved per day over [since, until).")
    async def dashboard_trend(
        self, info: Info, unit_id: strawberry.ID, since: date, until: date, filter: DashboardFilter | None = None,
    ) -> Annotated[DashboardTrend | OperationError, strawberry.union("DashboardTrendResult")]:
        async def run() -> DashboardTrend:
            points = await stats.trend(info.context.actor, int_id(unit_id), since, until,
                                       (filter or DashboardFilter()).to_domain())
            return DashboardTrend(points=[TrendPoint(day=p.day, received=p.received, disposed=p.disposed,
                                                     resolved=p.resolved) for p in points])

        return await as_data(run)


@strawberry.type
class RankingComponents:
    efficiency: float
    feedback: float | None = strawberry.field(description="Null: too few answers; its weight was shared out.")
    categorisation: float
    commitment: float


@strawberry.type
class RankedUnit:
    rank: int | None = strawberry.field(description="Null: below the minimum sample (see reason); not ranked.")
    unit: Unit
    score: float | None = strawberry.field(description="The index, 0-100.")
    components: RankingComponents | None
    reason: str
    handled: int = strawberry.field(description="Disposed of in the period plus pending now.")
    disposed: int
    resolved: int
    pending: int
    median_disposal_days: float | None


@strawberry.type
class RankingWeight:
    dimension: str
    weight: float


@strawberry.type(description="The children of a unit ranked by the composite index; the formula, weights and "
                             "minimum samples are those of backend/stats/ranking.py (README: Rankings).")
class Ranking:
    formula: str
    weights: list[RankingWeight]
    min_handled: int
    min_disposed: int
    min_answers: int
    units: list[RankedUnit]


@strawberry.type
class RankingQueries:
    @strawberry.field(description="Rank the units directly below a unit over the days [since, until).")
    async def ranking(
        self, info: Info, unit_id: strawberry.ID, since: date, until: date,
    ) -> Annotated[Ranking | OperationError, strawberry.union("RankingResult")]:
        async def run() -> Ranking:
            _, scored = await ranking_service.ranking(info.context.actor, int_id(unit_id), since, until,
                                                      info.context.now.date())
            units = []
            for s in scored:
                c = s.components
                units.append(RankedUnit(
                    rank=s.rank, unit=Unit.from_model(s.unit), score=s.score, reason=s.reason, handled=s.handled,
                    components=_components(c),
                    disposed=s.figures.disposed, resolved=s.figures.resolved, pending=s.figures.pending,
                    median_disposal_days=s.figures.median_disposal_days))
            return Ranking(formula=(ranking_service.__doc__ or "").strip(),
                           weights=[RankingWeight(dimension=k, weight=v) for k, v in ranking_service.WEIGHTS.items()],
                           min_handled=ranking_service.MIN_HANDLED, min_disposed=ranking_service.MIN_DISPOSED,
                           min_answers=ranking_service.MIN_ANSWERS, units=units)

        return await as_data(run)


@strawberry.type(description="An unusual rise in one category's grievances in one district in one week.")
class SpikeAlert:
    week_start: date
    category_id: strawberry.ID
    category_code: str
    category_name: str
    district: str
    count: int
    baseline_mean: float = strawberry.field(description="Grievances a week in the baseline weeks before.")
    baseline_weeks: int
    score: float = strawberry.field(description="(count - mean) / sqrt(max(mean, 1)); alerts start above 3.")


@strawberry.type
class SpikeAlerts:
    alerts: list[SpikeAlert]


@strawberry.type
class SpikeQueries:
    @strawberry.field(description="Spike alerts since `since` for the departments below a unit or its districts.")
    async def spike_alerts(
        self, info: Info, unit_id: strawberry.ID, since: date, language: str = "en",
    ) -> Annotated[SpikeAlerts | OperationError, strawberry.union("SpikeAlertsResult")]:
        async def run() -> SpikeAlerts:
            found = await spikes.alerts_for(info.context.actor, int_id(unit_id), since=since)
            return SpikeAlerts(alerts=[SpikeAlert(
                week_start=v.alert.week_start, category_id=strawberry.ID(str(v.category.id)),
                category_code=v.category.code, category_name=v.category.name(language[:8]), district=v.alert.district,
                count=v.alert.count, baseline_mean=v.alert.baseline_mean, baseline_weeks=v.alert.baseline_weeks,
                score=v.alert.score) for v in found])

        return await as_data(run)


@strawberry.type(description="A unit as the public sees it: its code and name only.")
class PublicUnit:
    code: str
    name: str


@strawberry.type
class PublicRankedUnit:
    rank: int | None
    unit: PublicUnit
    score: float | None
    components: RankingComponents | None
    reason: str
    handled: int
    disposed: int
    resolved: int


@strawberry.type(description="Aggregate figures and rankings for anyone: counts, times and scores, no personal data.")
class PublicDashboard:
    unit: PublicUnit
    received: int
    disposed: int
    resolved: int
    pending: int
    ageing: list[AgeBand]
    average_disposal_days: float | None
    median_disposal_days: float | None
    satisfaction: list[Satisfaction]
    ranking: list[PublicRankedUnit]


def _components(c: ranking_service.Components | None) -> RankingComponents | None:
    if c is None:
        return None
    return RankingComponents(efficiency=round(c.efficiency, 3),
                             feedback=round(c.feedback, 3) if c.feedback is not None else None,
                             categorisation=round(c.categorisation, 3), commitment=round(c.commitment, 3))


@strawberry.type
class PublicQueries:
    @strawberry.field(description="Anonymous: the top unit's (or a state's, district's or department's) figures "
                                  "for [since, until) and the ranking of the units below it.")
    async def public_dashboard(
        self, info: Info, since: date, until: date, unit_code: str | None = None, language: str = "en",
    ) -> Annotated[PublicDashboard | OperationError, strawberry.union("PublicDashboardResult")]:
        async def run() -> PublicDashboard:
            view = await public.public_view(unit_code, since, until, info.context.now.date())
            lang = language[:8]
            d = Dashboard.of(view.figures)
            return PublicDashboard(
                unit=PublicUnit(code=view.unit.code, name=view.unit.name(lang)), received=d.received,
                disposed=d.disposed, resolved=d.resolved, pending=d.pending, ageing=d.ageing,
                average_disposal_days=d.average_disposal_days, median_disposal_days=d.median_disposal_days,
                satisfaction=d.satisfaction,
                ranking=[PublicRankedUnit(rank=s.rank, unit=PublicUnit(code=s.unit.code, name=s.unit.name(lang)),
                                          score=s.score, components=_components(s.components), reason=s.reason,
                                          handled=s.handled, disposed=s.figures.disposed, resolved=s.figures.resolved)
                         for s in view.ranking])

        return await as_data(run)


@strawberry.type(description="A unit's monthly report: download the PDF or CSV with the viewer's session.")
class MonthlyReport:
    id: strawberry.ID
    month: date
    generated_at: datetime
    regenerated_at: datetime | None
    pdf_url: str
    csv_url: str


@strawberry.type
class MonthlyReports:
    reports: list[MonthlyReport]


@strawberry.type
class ReportQueries:
    @strawberry.field(description="A unit's monthly reports, newest first (the last three years).")
    async def monthly_reports(
        self, info: Info, unit_id: strawberry.ID,
    ) -> Annotated[MonthlyReports | OperationError, strawberry.union("MonthlyReportsResult")]:
        async def run() -> MonthlyReports:
            found = await monthly.reports_for(info.context.actor, int_id(unit_id))
            return MonthlyReports(reports=[MonthlyReport(
                id=strawberry.ID(str(r.id)), month=r.month, generated_at=r.generated_at,
                regenerated_at=r.regenerated_at, pdf_url=f"/reports/{r.id}/pdf", csv_url=f"/reports/{r.id}/csv")
                for r in found])

        return await as_data(run)
