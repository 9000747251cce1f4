"""The dashboard's rollups agree with a raw recomputation from the grievances, the event
log and the feedback, for a generated history (fixed seed), for several subtrees and
periods and filters; a refresh is applied exactly once; nothing is read before it settles.
The subtree rollups an unfiltered dashboard reads agree with the same recomputation and
with the daily facts joined by path, also after a unit moves to another parent; so does
the subtree stock with the pending stock joined by path, and every unit's headline, its
children's figures read at once (the ranking), its child-unit breakdown and its ranking
equal what the path join gives, after the refresher adds facts and after a move and a
merge."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from backend.audit.models import AuditEvent
from backend.authz.actors import SYSTEM, Actor, ActorKind
from backend.categories.models import Category
from backend.categories.services import CategoryInput, update_category
from backend.feedback.models import Feedback
from backend.feedback.services import FeedbackInput, give_feedback, remand, uphold
from backend.grievances import intake, reports, services
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.grievances.states import PENDING, RejectionReason
from backend.orgs.models import Unit
from backend.orgs.services import merge_units, move_subtree
from backend.settings import Settings
from backend.sla.sweeps import escalate_due
from backend.stats import dashboard, subtree
from backend.stats import refresh as stats
from backend.stats.dashboard import (
    AGE_BANDS,
    NO_FILTER,
    Breakdown,
    BreakdownRow,
    Figures,
    Filters,
    figures_for,
    metric_rows,
    stock_rows,
    subtree_figures,
    subtree_rows,
)
from backend.stats.models import DailyFact, SubtreeFact, SubtreeStock
from backend.stats.ranking import Rules, rank_children, score
from tests.conftest import NOW
from tests.factories import LifecycleWorld, actor_for, lifecycle_world

pytestmark = pytest.mark.usefixtures("db")
START = NOW - timedelta(days=40)
KINDS = ("at_cell", "allotted", "via_district", "not_ours", "rejected", "closed", "confirmed", "upheld", "remanded")


async def history(settings: Settings, w: LifecycleWorld, seed: int, count: int) -> datetime:
    """`count` grievances over 40 days, each taken down one of KINDS; returns the end."""
    rng = random.Random(seed)
    people = {name: await actor_for(user) for name, user in w.users.items()}
    at = START
    for i in range(count):
        at += timedelta(hours=rng.randint(6, 30))
        kind = rng.choice(KINDS)
        form = intake.FilingInput(
            channel=rng.choice([Channel.POST, Channel.EMAIL, Channel.WHATSAPP]),
            category_id=rng.choice([w.leaf, w.other_leaf]).id, area_code=rng.choice(["BR-A-1", "BR"]),
            subject=f"Grievance {i}", description="Generated for the rollup test.", relief_sought="Act on it.",
            citizen_name="Sita Devi", citizen_mobile=f"98765{i:05d}")
        g = (await intake.file_grievance(settings, people["cell"], form, now=at)).grievance
        step = at + timedelta(hours=2)
        if kind == "at_cell":
            continue
        if kind == "rejected":
            await services.reject(people["cell"], g.id, reason=RejectionReason.SUGGESTION_ONLY, note="A suggestion",
                                  now=step)
            continue
        if kind == "via_district":
            await services.allot(people["cell"], g.id, unit_id=w.tree.district_a.id, now=step)
            await services.transfer(people["nodal_a"], g.id, unit_id=w.tree.block_a.id, now=step + timedelta(hours=1))
            continue
        await services.allot(people["cell"], g.id, unit_id=w.tree.block_a.id, now=step)
        if kind == "allotted":
            continue
        if kind == "not_ours":
            await services.not_ours(people["officer_a"], g.id, right_authority="The municipal corporation",
                                    now=step + timedelta(hours=3))
            continue
        done = step + timedelta(days=rng.randint(0, 9), hours=1)
        await reports.final_report(people["officer_a"], g.id, reports.ReportInput(action_taken="Done", reply="Done."),
                                   now=done)
        await reports.review_approve(people["reviewer_a"], g.id, now=done + timedelta(minutes=5))
        await reports.review_approve(people["dept_reviewer"], g.id, now=done + timedelta(minutes=10))
        closed_at = done + timedelta(minutes=20)
        await reports.close(people["cell"], g.id, now=closed_at)
        citizen = Actor(kind=ActorKind.CITIZEN, id=g.citizen_id)  # type: ignore[attr-defined]
        said = closed_at + timedelta(hours=5)
        if kind == "confirmed":
            await give_feedback(settings, citizen, g.id, FeedbackInput(resolved=True, rating=rng.randint(3, 5)), now=said)
        elif kind in ("upheld", "remanded"):
            await give_feedback(settings, citizen, g.id, FeedbackInput(resolved=False, rating=1), now=said)
            if kind == "upheld":
                await uphold(people["head"], g.id, reason="The ATR is borne out.", now=said + timedelta(hours=2))
            else:
                await remand(people["head"], g.id, directions="Visit the site.", now=said + timedelta(hours=2))
    # The ladder climbs for whatever has sat past its deadlines.
    end = at + timedelta(days=3)
    await escalate_due(end)
    return end


async def raw(unit: Unit, since: date, until: date, filters: Filters, today: date) -> dict[str, object]:
    """The figures computed straight from the raw tables, by their definitions."""
    units = {u.id: u.path for u in await Unit.all()}
    grievances = {g.id: g for g in await Grievance.all()}

    def wanted(g: Grievance, office: int) -> bool:
        if not units[office].startswith(unit.path):
            return False
        if filters.channel and g.channel.value != filters.channel:
            return False
        return not filters.area_code or "-".join(g.area_code.split("-")[:2]).startswith(filters.area_code)

    counts: Counter[str] = Counter()
    seconds = 0
    events = await AuditEvent.filter(object_type="grievance").order_by("id")
    closures: dict[int, list[AuditEvent]] = {}
    for e in events:
        g = grievances[int(e.object_id)]
        office = int(e.data["office"])
        if e.to_state in ("closed", "rejected"):
            closures.setdefault(g.id, []).append(e)
        if not (since <= e.occurred_at.date() < until and wanted(g, office)):
            continue
        name = {"file": "received", "transfer": "transferred", "not_ours": "not_ours", "dispute": "disputed",
                "remand": "remanded", "uphold": "upheld", "appeal": "appealed"}.get(e.action)
        if name:
            counts[name] += 1
        if e.action == "escalate":
            counts[f"escalated:{e.data['level']}"] += 1
        if (e.to_state in ("closed", "rejected") and e.from_state not in ("closed", "rejected")
                and e.action not in ("uphold", "appeal_uphold")):
            counts["disposed"] += 1
            counts[e.to_state] += 1
            seconds += int((e.occurred_at - g.filed_at).total_seconds())
        done = e.data.get("stage_done")
        if done:
            counts[f"sla_{'late' if done['late'] else 'met'}:{done['stage']}"] += 1
    firsts: set[tuple[int, int]] = set()
    for f in await Feedback.all().order_by("id"):
        g = grievances[f.grievance_id]  # type: ignore[attr-defined]
        closure = [c for c in closures.get(g.id, []) if c.occurred_at <= f.created_at][-1]
        office = int(closure.data["office"])
        first = (g.id, f.round) not in firsts
        firsts.add((g.id, f.round))
        if since <= closure.occurred_at.date() < until and wanted(g, office) and first and closure.to_state == "closed":
            counts["resolved" if f.resolved else "not_resolved"] += 1
    pending = [g for g in grievances.values() if g.status in PENDING and wanted(g, g.unit_id)]  # type: ignore[attr-defined]
    ageing = Counter[str]()
    for g in pending:
        age = (today - g.filed_at.date()).days
        ageing[next(name for name, low, high in AGE_BANDS if age >= low and (high is None or age <= high))] += 1
    return {"counts": counts, "seconds": seconds, "pending": len(pending), "ageing": ageing}


def from_rollup(fig: object) -> dict[str, object]:
    counts: Counter[str] = Counter()
    for name in ("received", "disposed", "closed", "rejected", "resolved", "not_resolved", "disputed", "remanded",
                 "upheld", "appealed", "transferred", "not_ours"):
        counts[name] = getattr(fig, name)
    for level, n in fig.escalations.items():  # type: ignore[attr-defined]
        counts[f"escalated:{level}"] = n
    for stage, (met, late) in fig.sla.items():  # type: ignore[attr-defined]
        counts[f"sla_met:{stage}"], counts[f"sla_late:{stage}"] = met, late
    return {"counts": +counts, "pending": fig.pending, "ageing": +Counter(fig.ageing)}  # type: ignore[attr-defined]


async def assert_subtree_equals_path_join(unit: Unit, since: date, until: date) -> None:
    """The subtree rows of a unit (in total, per day, per child) hold what the daily facts
    of every office below it add up to - the route a filtered dashboard takes."""
    unit = await Unit.get(id=unit.id)  # its path as it is now

    def table(rows: list[dict[str, object]], grouped: bool) -> dict[tuple[object, ...], tuple[int, int]]:
        found = {((str(r["metric"]), str(r["grp"])[:10]) if grouped else (str(r["metric"]),)):
                 (int(r["n"] or 0), int(r["total"] or 0)) for r in rows}  # type: ignore[call-overload]
        return {k: v for k, v in found.items() if v != (0, 0)}

    joined = await metric_rows(unit.path, since, until, NO_FILTER)
    others = await metric_rows(unit.path, since, until, NO_FILTER, group=(
        "(SELECT CASE WHEN c.is_others THEN 1 ELSE 0 END FROM cat_category c WHERE c.id = f.category_id)"))
    others_received = sum(int(r["n"]) for r in others if r["metric"] == "received" and int(r["grp"]))
    expected = table(joined, False)
    if others_received:
        expected[(subtree.OTHERS_RECEIVED,)] = (others_received, 0)
    assert table(await subtree_rows([unit.id], since, until), False) == expected, unit.code
    by_day = table(await metric_rows(unit.path, since, until, NO_FILTER, group="f.day"), True)
    assert {k: v for k, v in table(await subtree_rows([unit.id], since, until, group="day"), True).items()
            if k[0] != subtree.OTHERS_RECEIVED} == by_day, unit.code
    children = await Unit.filter(parent_id=unit.id)
    for child in children:
        per_child = table(await metric_rows(child.path, since, until, NO_FILTER), False)
        rows = await subtree_rows([c.id for c in children], since, until, group="unit_id")
        assert {(k[0],): v for k, v in table(rows, True).items()
                if k[1] == str(child.id) and k[0] != subtree.OTHERS_RECEIVED} == per_child, child.code


async def subtree_table() -> set[tuple[int, date, str, int, int]]:
    return {(r.unit_id, r.day, r.metric, r.count, r.total) for r in await SubtreeFact.all() if (r.count, r.total) != (0, 0)}


async def subtree_stock_table() -> set[tuple[int, date, int]]:
    return {(r.unit_id, r.filed_day, r.count) for r in await SubtreeStock.all() if r.count}


async def joined(unit: Unit, since: date, until: date, today: date) -> Figures:
    """A unit's unfiltered figures the long way: every office's daily facts and pending
    stock below it joined by path (the route a filtered dashboard takes)."""
    fig = Figures(ageing={name: 0 for name, _, _ in AGE_BANDS})
    dashboard._apply(fig, await metric_rows(unit.path, since, until, NO_FILTER))
    others = await metric_rows(unit.path, since, until, NO_FILTER, group=(
        "(SELECT CASE WHEN c.is_others THEN 1 ELSE 0 END FROM cat_category c WHERE c.id = f.category_id)"))
    fig.others_received = sum(int(r["n"]) for r in others if r["metric"] == "received" and int(r["grp"]))
    dashboard._add_stock(fig, await stock_rows(unit.path, NO_FILTER), today)
    return fig


async def assert_grouped_reads_equal_the_path_join(viewer: Actor, top: Unit, since: date, until: date,
                                                   today: date) -> int:
    """For `top` and every unit below it: the subtree stock per filing day is the pending
    stock joined by path; the headline, the trend, the children's figures read at once,
    the child-unit breakdown and the ranking's figures and scores are the path join's.
    Returns how many units had children (so the caller knows something was compared)."""
    top = await Unit.get(id=top.id)
    compared = 0
    for unit in await Unit.filter(path__startswith=top.path).order_by("path"):
        stock: Counter[date] = Counter()
        for row in await stock_rows(unit.path, NO_FILTER):
            stock[dashboard._as_date(row["filed_day"])] += int(row["n"])
        assert {r.filed_day: r.count for r in await SubtreeStock.filter(unit_id=unit.id) if r.count} == +stock, unit.code
        expected = await joined(unit, since, until, today)
        assert await figures_for(unit.path, since, until, NO_FILTER, today) == expected, unit.code
        days: dict[date, list[int]] = {}
        for row in await metric_rows(unit.path, since, until, NO_FILTER, group="f.day"):
            column = {"received": 0, "disposed": 1, "resolved": 2}.get(str(row["metric"]))
            if column is not None:
                days.setdefault(dashboard._as_date(row["grp"]), [0, 0, 0])[column] += int(row["n"])
        assert [(p.day, p.received, p.disposed, p.resolved)
                for p in await dashboard.trend(viewer, unit.id, since, until, NO_FILTER)] \
            == [(day, *values) for day, values in sorted(days.items())], unit.code
        children = await Unit.filter(parent_id=unit.id).order_by("code")
        if not children:
            continue
        compared += 1
        each = {c.id: await joined(c, since, until, today) for c in children}
        assert await subtree_figures([c.id for c in children], since, until, today) == each, unit.code
        rows = await dashboard.breakdown(viewer, unit.id, since, until, Breakdown.CHILD_UNIT, NO_FILTER)
        assert rows == sorted([BreakdownRow(c.code, c.id, each[c.id].received, each[c.id].disposed,
                                            each[c.id].resolved, each[c.id].pending) for c in children],
                              key=lambda r: (-r.received, r.key)), unit.code
        small = Rules(min_handled=1, min_disposed=1, min_answers=1)
        for ranked in await rank_children(unit, since, until, today, small):
            assert ranked.figures == each[ranked.unit.id], ranked.unit.code
            assert ranked.score == score(ranked.unit, each[ranked.unit.id], small).score, ranked.unit.code
    return compared


async def test_rollups_equal_a_raw_recomputation(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    # One category is its department's "Others", so the subtree rows' share of it is checked.
    await Category.filter(id=w.other_leaf.id).update(is_others=True)
    end = await history(settings, w, seed=20261124, count=45)
    # Some closures and feedback fall after `end`; read everything (small batches: several rounds).
    assert await stats.refresh_all(end + timedelta(days=30), batch=37) > 0
    today = end.date()
    checks = [(w.tree.state, START.date(), today + timedelta(days=1), Filters()),
              (w.tree.block_a, START.date(), today + timedelta(days=1), Filters()),
              (w.tree.district_a, (START + timedelta(days=10)).date(), (START + timedelta(days=25)).date(), Filters()),
              (w.tree.state, START.date(), today + timedelta(days=1), Filters(channel="POST")),
              (w.tree.state, START.date(), today + timedelta(days=1), Filters(area_code="BR-A")),
              (w.tree.district_b, START.date(), today + timedelta(days=1), Filters())]
    for unit, since, until, filters in checks:
        fig = await figures_for(unit.path, since, until, filters, today)
        expected = await raw(unit, since, until, filters, today)
        if filters == NO_FILTER:
            await assert_subtree_equals_path_join(unit, since, until)
        got = from_rollup(fig)
        assert got["counts"] == +expected["counts"], (unit.code, filters)  # type: ignore[operator]
        assert (got["pending"], got["ageing"]) == (expected["pending"], +expected["ageing"]), unit.code  # type: ignore[operator]
        disposed = expected["counts"]["disposed"]  # type: ignore[index]
        if disposed:
            assert fig.average_disposal_days == round(expected["seconds"] / disposed / 86400, 1)  # type: ignore[operator]
    state = await figures_for(w.tree.state.path, START.date(), today + timedelta(days=1), Filters(), today)
    assert state.received == 45 and state.disposed and state.resolved and state.pending and state.transferred
    assert state.disposed != state.resolved  # never merged
    # A category filter takes the category's subtree.
    leaf_only = await figures_for(w.tree.state.path, START.date(), today + timedelta(days=1),
                                  Filters(category_id=w.leaf.id), today)
    assert leaf_only.received == await Grievance.filter(category_id=w.leaf.id).count()
    others = await Grievance.filter(category_id=w.other_leaf.id).count()
    assert others and state.others_received == others
    # What the refresher kept batch by batch is what a rebuild from the daily facts makes.
    kept, kept_stock = await subtree_table(), await subtree_stock_table()
    assert kept and kept_stock and await subtree.rebuild_all() > 0
    assert await subtree_table() == kept
    assert await subtree_stock_table() == kept_stock
    # The category stops being "Others" and the other one becomes it: the share follows.
    for cat, flag in ((w.other_leaf, False), (w.leaf, True)):
        cat = await Category.get(id=cat.id)
        await update_category(SYSTEM, cat.id, CategoryInput(code=cat.code, names=cat.names, is_others=flag),
                              expected_version=cat.version, now=end)
    state = await figures_for(w.tree.state.path, START.date(), today + timedelta(days=1), Filters(), today)
    assert state.others_received == leaf_only.received != others
    await assert_subtree_equals_path_join(w.tree.state, START.date(), today + timedelta(days=1))


async def test_subtree_rollups_follow_a_unit_moved_to_another_parent(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    end = await history(settings, w, seed=20261203, count=30)
    assert await stats.refresh_all(end + timedelta(days=30), batch=50) > 0
    today = end.date()
    since, until = START.date(), today + timedelta(days=1)
    tree = w.tree
    before = {u.code: await figures_for(u.path, since, until, NO_FILTER, today)
              for u in (tree.district_a, tree.district_b, tree.state)}
    assert before[tree.district_a.code].disposed and not before[tree.district_b.code].disposed
    admin = await actor_for(w.users["stateadmin"])
    await move_subtree(admin, unit_id=tree.block_a.id, new_parent_id=tree.district_b.id, dry_run=False, now=end)
    # What happens after the move counts along the new path.
    cell = await actor_for(w.users["cell"])
    later = end + timedelta(hours=1)
    for i in range(3):
        form = intake.FilingInput(channel=Channel.POST, category_id=w.leaf.id, area_code="BR-A-1", subject=f"After {i}",
                                  description="Filed after the move.", relief_sought="Act.", citizen_name="Sita Devi",
                                  citizen_mobile=f"98760{i:05d}")
        g = (await intake.file_grievance(settings, cell, form, now=later)).grievance
        await services.allot(cell, g.id, unit_id=tree.block_a.id, now=later + timedelta(minutes=5))
    assert await stats.refresh_all(later + timedelta(days=1), batch=50) > 0
    today = later.date()
    until = today + timedelta(days=1)
    for unit in (tree.district_a, tree.district_b, tree.block_a, tree.state, tree.dept):
        unit = await Unit.get(id=unit.id)
        fig = await figures_for(unit.path, since, until, NO_FILTER, today)
        expected = await raw(unit, since, until, NO_FILTER, today)
        got = from_rollup(fig)
        assert got["counts"] == +expected["counts"], unit.code  # type: ignore[operator]
        assert (got["pending"], got["ageing"]) == (expected["pending"], +expected["ageing"]), unit.code  # type: ignore[operator]
        await assert_subtree_equals_path_join(unit, since, until)
    # The old parent kept only what happened in it; the new one took the block's history.
    a_after = await figures_for((await Unit.get(id=tree.district_a.id)).path, since, until, NO_FILTER, today)
    b_after = await figures_for((await Unit.get(id=tree.district_b.id)).path, since, until, NO_FILTER, today)
    moved = before[tree.district_a.code]
    assert (a_after.disposed, a_after.not_resolved) == (0, 0)
    assert (b_after.disposed, b_after.not_resolved, b_after.pending) == (moved.disposed, moved.not_resolved,
                                                                         moved.pending + 3)
    kept, kept_stock = await subtree_table(), await subtree_stock_table()
    assert await subtree.rebuild_subtree([tree.district_a.id, tree.district_b.id]) > 0
    assert await subtree_table() == kept  # idempotent
    assert await subtree_stock_table() == kept_stock
    # A merge moves the source's children (both blocks now) to the target: the figures follow.
    await merge_units(admin, source_id=tree.district_b.id, target_id=tree.district_a.id, dry_run=False, now=later)
    merged_a = await figures_for((await Unit.get(id=tree.district_a.id)).path, since, until, NO_FILTER, today)
    assert (merged_a.disposed, merged_a.pending) == (b_after.disposed, b_after.pending)
    for unit in (tree.district_a, tree.district_b, tree.state):
        unit = await Unit.get(id=unit.id)
        expected = await raw(unit, since, until, NO_FILTER, today)
        got = from_rollup(await figures_for(unit.path, since, until, NO_FILTER, today))
        assert got["counts"] == +expected["counts"], unit.code  # type: ignore[operator]
        await assert_subtree_equals_path_join(unit, since, until)


async def test_grouped_subtree_reads_equal_the_path_join_through_refreshes_and_restructures(
        settings: Settings) -> None:
    w = await lifecycle_world(settings)
    await Category.filter(id=w.other_leaf.id).update(is_others=True)
    end = await history(settings, w, seed=20261204, count=40)
    tree = w.tree
    cell, admin = await actor_for(w.users["cell"]), await actor_for(w.users["stateadmin"])
    # Read in two parts: the rows the second batch of refreshes adds land on rows that exist.
    assert await stats.refresh_all(end - timedelta(days=15), batch=23) > 0
    assert await stats.refresh_all(end + timedelta(days=30), batch=23) > 0
    today = end.date()
    since, until = START.date(), today + timedelta(days=1)
    assert await assert_grouped_reads_equal_the_path_join(cell, tree.state, since, until, today) >= 2
    # A shorter period and a later "today" (other ageing bands) agree as well, and so
    # does a "today" before some filing days (pending, but in no age band).
    later_today = today + timedelta(days=20)
    assert await assert_grouped_reads_equal_the_path_join(
        cell, tree.state, (START + timedelta(days=12)).date(), (START + timedelta(days=30)).date(), later_today)
    early = START.date() + timedelta(days=9)
    assert await assert_grouped_reads_equal_the_path_join(cell, tree.state, since, until, early)
    early_state = await figures_for(tree.state.path, since, until, NO_FILTER, early)
    assert sum(early_state.ageing.values()) < early_state.pending
    state = await figures_for(tree.state.path, since, until, NO_FILTER, today)
    assert state.pending and state.disposed and state.others_received and sum(state.ageing.values()) == state.pending

    # The block moves to the other district; then more is filed there and allotted (the
    # refresher adds it along the new paths) and some of the old stock is disposed of.
    await move_subtree(admin, unit_id=tree.block_a.id, new_parent_id=tree.district_b.id, dry_run=False, now=end)
    later = end + timedelta(hours=1)
    for i in range(4):
        form = intake.FilingInput(channel=Channel.EMAIL, category_id=w.other_leaf.id, area_code="BR-A-1",
                                  subject=f"Moved {i}", description="Filed after the move.", relief_sought="Act.",
                                  citizen_name="Sita Devi", citizen_mobile=f"98761{i:05d}")
        g = (await intake.file_grievance(settings, cell, form, now=later)).grievance
        await services.allot(cell, g.id, unit_id=tree.block_a.id, now=later + timedelta(minutes=5))
    waiting = await Grievance.filter(status="allotted", unit_id=tree.block_a.id).order_by("id").first()
    assert waiting is not None
    await services.not_ours(await actor_for(w.users["officer_a"]), waiting.id, right_authority="The municipality",
                            now=later + timedelta(minutes=10))
    assert await stats.refresh_all(later + timedelta(days=1), batch=23) > 0
    today = later.date()
    until = today + timedelta(days=1)
    assert await assert_grouped_reads_equal_the_path_join(cell, tree.state, since, until, today) >= 2
    b = await figures_for((await Unit.get(id=tree.district_b.id)).path, since, until, NO_FILTER, today)
    assert b.pending >= 3  # the block's stock now counts for district B

    # District B (with both blocks now) is merged into A: its children move over.
    await merge_units(admin, source_id=tree.district_b.id, target_id=tree.district_a.id, dry_run=False, now=later)
    assert await stats.refresh_all(later + timedelta(days=2), batch=23) >= 0
    assert await assert_grouped_reads_equal_the_path_join(cell, tree.state, since, until, today) >= 2
    a = await figures_for((await Unit.get(id=tree.district_a.id)).path, since, until, NO_FILTER, today)
    assert a.pending >= b.pending
    # What the refresher and the rebuilds kept is what a rebuild from scratch makes.
    kept_stock = await subtree_stock_table()
    assert kept_stock and await subtree.rebuild_all() > 0
    assert await subtree_stock_table() == kept_stock


async def test_a_refresh_applies_each_event_once_and_waits_for_it_to_settle(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    cell = await actor_for(w.users["cell"])
    form = intake.FilingInput(channel=Channel.POST, category_id=w.leaf.id, area_code="BR-A-1", subject="One",
                              description="A grievance.", relief_sought="Act.", citizen_name="Sita Devi",
                              citizen_mobile="9876500001")
    await intake.file_grievance(settings, cell, form, now=NOW)
    assert await stats.refresh(NOW + timedelta(seconds=5)) == 0  # not settled yet
    # A row inserted later but stamped earlier (a slower transaction) does not let the
    # cursor pass the unsettled one before it.
    late = await intake.file_grievance(settings, cell, intake.FilingInput(**{**vars(form), "citizen_mobile": "9876500002"}),
                                       now=NOW - timedelta(minutes=5))
    assert await stats.refresh(NOW + timedelta(seconds=5)) == 0
    assert late.grievance.id
    assert await stats.refresh(NOW + stats.SETTLE) == 2
    assert await stats.refresh(NOW + stats.SETTLE) == 0  # nothing applied twice
    assert sum(f.count for f in await DailyFact.filter(metric="received")) == 2
    fig = await figures_for(w.tree.state.path, NOW.date(), NOW.date() + timedelta(days=1), Filters(), NOW.date())
    assert (fig.received, fig.pending, fig.ageing["0-7"]) == (2, 2, 2)
