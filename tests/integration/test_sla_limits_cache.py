"""`limits_for` keeps what it read until the configuration token moves: every kind of
change to what deadlines are computed from - by a service or by plain SQL - is seen at
once, a change rolled back leaves nothing behind, and an unchanged configuration is not
read again."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from tortoise.transactions import in_transaction

from backend.categories.models import Category
from backend.grievances.states import Stage
from backend.settings import Settings
from backend.sla import policies
from backend.sla.calendar import Mode
from backend.sla.models import BusinessCalendar, SlaConfigVersion, SlaPolicy, UnitHoliday
from backend.sla.policies import limits_for
from tests.conftest import NOW
from tests.factories import LifecycleWorld, lifecycle_world

pytestmark = pytest.mark.usefixtures("db")
STAGE = Stage.FINAL_REPORT


class Boom(Exception):
    pass


async def _limit(w: LifecycleWorld) -> tuple[Mode, float]:
    limit = (await limits_for(w.tree.block_a.path, w.leaf.path, [STAGE], NOW))[STAGE]
    return limit.mode, limit.amount


async def _deadline(w: LifecycleWorld, start: datetime) -> datetime:
    return (await limits_for(w.tree.block_a.path, w.leaf.path, [STAGE], start))[STAGE].deadline(start)


async def test_an_unchanged_configuration_is_read_once(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    w = await lifecycle_world(settings)
    first = await _limit(w)
    reads: list[str] = []
    original = policies.calendar_for

    async def counting(unit_path: str, now: datetime) -> policies.Calendar:
        reads.append(unit_path)
        return await original(unit_path, now)

    monkeypatch.setattr(policies, "calendar_for", counting)
    for _ in range(3):
        assert await _limit(w) == first
    assert reads == []  # kept, not read again
    await SlaPolicy.create(unit=w.tree.state, stage=STAGE, mode="wall_hours", amount=96, created_at=NOW, updated_at=NOW)
    assert await _limit(w) == (Mode.WALL_HOURS, 96)
    assert reads == [w.tree.block_a.path]  # the change moved the token: read once more


async def test_every_kind_of_change_is_seen_at_once(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    assert await _limit(w) == (Mode.WALL_HOURS, 72)  # the default
    policy = await SlaPolicy.create(unit=w.tree.dept, stage=STAGE, mode="wall_hours", amount=48, created_at=NOW,
                                    updated_at=NOW)
    assert await _limit(w) == (Mode.WALL_HOURS, 48)
    await SlaPolicy.filter(id=policy.id).update(amount=36)  # a bulk update, no model save
    assert await _limit(w) == (Mode.WALL_HOURS, 36)
    conn = SlaPolicy._choose_db(for_write=True)
    await conn.execute_script(f"UPDATE sla_policy SET mode = 'working_days', amount = 2 WHERE id = {policy.id}")
    assert await _limit(w) == (Mode.WORKING_DAYS, 2)  # an operator's SQL
    await SlaPolicy.filter(id=policy.id).delete()
    assert await _limit(w) == (Mode.WALL_HOURS, 72)
    # A category's own override (wall-clock hours) beats a unit-wide policy.
    await Category.filter(id=w.leaf.id).update(sla_overrides={STAGE.value: 12})
    assert await _limit(w) == (Mode.WALL_HOURS, 12)
    await Category.filter(id=w.leaf.id).update(sla_overrides={})
    assert await _limit(w) == (Mode.WALL_HOURS, 72)

    # Calendars and holidays change working-day deadlines.
    await SlaPolicy.create(unit=w.tree.state, stage=STAGE, mode="working_days", amount=1, created_at=NOW,
                           updated_at=NOW)
    monday = datetime(2027, 3, 1, 5, 0, tzinfo=NOW.tzinfo)  # 10:30 in Patna
    before = await _deadline(w, monday)
    await UnitHoliday.create(unit=w.tree.district_a, day=date(2027, 3, 2), name="Local festival", created_at=NOW)
    after_holiday = await _deadline(w, monday)
    assert after_holiday - before == timedelta(days=1)  # Tuesday is off: a day later
    await BusinessCalendar.create(unit=w.tree.state, weekdays=[0, 1, 3, 4], start_time="09:00", end_time="18:00",
                                  updated_at=NOW)
    # Wednesdays off as well: Thursday.
    assert await _deadline(w, monday) - after_holiday == timedelta(days=1)
    await UnitHoliday.all().delete()
    await BusinessCalendar.all().delete()
    assert await _deadline(w, monday) == before


async def test_a_change_rolled_back_leaves_nothing_kept(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    assert await _limit(w) == (Mode.WALL_HOURS, 72)
    token = (await SlaConfigVersion.get(id=1)).token
    with pytest.raises(Boom):
        async with in_transaction():
            await SlaPolicy.create(unit=w.tree.dept, stage=STAGE, mode="wall_hours", amount=5, created_at=NOW,
                                   updated_at=NOW)
            assert await _limit(w) == (Mode.WALL_HOURS, 5)  # the transaction sees its own change
            raise Boom
    assert (await SlaConfigVersion.get(id=1)).token == token
    assert await _limit(w) == (Mode.WALL_HOURS, 72)
    # The next committed change gets a token of its own, not the rolled-back one.
    await SlaPolicy.create(unit=w.tree.dept, stage=STAGE, mode="wall_hours", amount=7, created_at=NOW, updated_at=NOW)
    assert await _limit(w) == (Mode.WALL_HOURS, 7)
