from __future__ import annotations

import pytest

from backend.accounts.models import Membership
from backend.audit.models import AuditEvent
from backend.audit.services import verify_chain
from backend.core.errors import DomainError, ErrorCode
from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit
from backend.orgs.services import UnitInput, create_unit, deactivate_unit, merge_units, move_subtree, update_unit
from backend.settings import Settings
from tests.conftest import NOW
from tests.factories import actor_for, small_state

pytestmark = pytest.mark.usefixtures("db")


async def test_nodal_officer_creates_child_unit_only_in_own_subtree(settings: Settings) -> None:
    tree = await small_state(settings)
    nodal_a = await actor_for(tree.users["nodal_a"])
    data = UnitInput(code="BR-REV-A-2", kind=UnitKind.BLOCK, names={"en": "Block two"})
    created = await create_unit(nodal_a, data, parent_id=tree.district_a.id, now=NOW)
    assert created.path == f"{tree.district_a.path}{created.id}/"
    assert created.depth == tree.district_a.depth + 1
    with pytest.raises(DomainError) as refused:
        await create_unit(nodal_a, UnitInput(code="BR-REV-B-2", kind=UnitKind.BLOCK, names={"en": "x"}),
                          parent_id=tree.district_b.id, now=NOW)
    assert refused.value.code is ErrorCode.FORBIDDEN
    assert not await Unit.exists(code="BR-REV-B-2")


async def test_officer_without_subtree_role_cannot_create(settings: Settings) -> None:
    tree = await small_state(settings)
    officer = await actor_for(tree.users["officer_a"])
    with pytest.raises(DomainError) as refused:
        await create_unit(officer, UnitInput(code="X-1", kind=UnitKind.OFFICE, names={"en": "x"}),
                          parent_id=tree.block_a.id, now=NOW)
    assert refused.value.code is ErrorCode.FORBIDDEN


async def test_bad_unit_input_names_every_field_and_changes_nothing(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    before = await Unit.all().count()
    with pytest.raises(DomainError) as bad:
        await create_unit(admin, UnitInput(code="bad code!", kind=UnitKind.OFFICE, names={"hi": "x"},
                                           area_codes=["nope"], escalation_authority_ids=[99999]),
                          parent_id=tree.dept.id, now=NOW)
    assert bad.value.code is ErrorCode.VALIDATION
    fields = {e.field for e in bad.value.field_errors}
    assert {"code", "names.en", "areaCodes[0]", "escalationAuthorityIds[0]"} <= fields
    assert await Unit.all().count() == before


async def test_move_subtree_preview_then_apply(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    preview = await move_subtree(admin, unit_id=tree.district_b.id, new_parent_id=tree.state.id, dry_run=True, now=NOW)
    assert preview.units_moved == 2 and preview.unit_codes == ["BR-REV-B", "BR-REV-B-1"]
    assert (await Unit.get(id=tree.block_b.id)).path == tree.block_b.path  # nothing changed yet
    applied = await move_subtree(admin, unit_id=tree.district_b.id, new_parent_id=tree.state.id, dry_run=False, now=NOW)
    assert applied == preview
    block = await Unit.get(id=tree.block_b.id)
    assert block.path == f"{tree.state.path}{tree.district_b.id}/{tree.block_b.id}/"
    assert block.depth == 3
    assert await AuditEvent.filter(object_type="unit", object_id=str(tree.district_b.id), action="unit_moved").count() == 1
    assert await verify_chain("unit", tree.district_b.id)


async def test_cannot_move_unit_under_its_own_subtree(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    with pytest.raises(DomainError) as bad:
        await move_subtree(admin, unit_id=tree.dept.id, new_parent_id=tree.block_a.id, dry_run=False, now=NOW)
    assert bad.value.code is ErrorCode.VALIDATION


async def test_district_nodal_cannot_restructure_own_unit(settings: Settings) -> None:
    tree = await small_state(settings)
    nodal_a = await actor_for(tree.users["nodal_a"])
    with pytest.raises(DomainError) as refused:
        await deactivate_unit(nodal_a, unit_id=tree.district_a.id, successor_id=None, dry_run=True, now=NOW)
    assert refused.value.code is ErrorCode.FORBIDDEN


async def test_merge_moves_children_and_roles_and_deactivates_source(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    plan = await merge_units(admin, source_id=tree.district_b.id, target_id=tree.district_a.id, dry_run=False, now=NOW)
    assert plan.units_moved == 1 and plan.memberships_moved == 1
    source = await Unit.get(id=tree.district_b.id)
    assert not source.active and source.merged_into_id == tree.district_a.id  # type: ignore[attr-defined]
    block_b = await Unit.get(id=tree.block_b.id)
    assert block_b.path.startswith(tree.district_a.path)
    assert await Membership.filter(user_id=tree.users["nodal_b"].id, unit_id=tree.district_a.id, active=True).exists()


async def test_deactivate_unit_deactivates_subtree_and_roles(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    preview = await deactivate_unit(admin, unit_id=tree.district_a.id, successor_id=None, dry_run=True, now=NOW)
    assert preview.units_deactivated == 2 and preview.memberships_deactivated == 3
    assert (await Unit.get(id=tree.block_a.id)).active
    await deactivate_unit(admin, unit_id=tree.district_a.id, successor_id=None, dry_run=False, now=NOW)
    assert not (await Unit.get(id=tree.block_a.id)).active
    assert not await Membership.filter(unit_id=tree.block_a.id, active=True).exists()


async def test_update_unit_detects_concurrent_change(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    data = UnitInput(code="ignored", kind=UnitKind.DISTRICT, names={"en": "District A", "hi": "जिला ए"})
    updated = await update_unit(admin, unit_id=tree.district_a.id, data=data, expected_version=1, now=NOW)
    assert updated.code == "BR-REV-A" and updated.names["hi"] == "जिला ए" and updated.version == 2
    with pytest.raises(DomainError) as stale:
        await update_unit(admin, unit_id=tree.district_a.id, data=data, expected_version=1, now=NOW)
    assert stale.value.code is ErrorCode.CHANGED_MEANWHILE
