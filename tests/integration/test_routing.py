from __future__ import annotations

from dataclasses import dataclass

import pytest

from backend.accounts.models import Membership, StaffUser
from backend.accounts.roles import Role
from backend.audit.models import AuditEvent
from backend.audit.services import verify_chain
from backend.authz.actors import ANONYMOUS, SYSTEM, Actor, ActorKind
from backend.categories.models import Category
from backend.core.errors import DomainError, ErrorCode
from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit
from backend.routing import selectors
from backend.routing.models import RoutingRule
from backend.routing.services import RuleInput, delete_rule, set_rule
from backend.settings import Settings
from tests.conftest import NOW
from tests.factories import Tree, actor_for, category, small_state, staff, unit

pytestmark = pytest.mark.usefixtures("db")


@dataclass
class World:
    tree: Tree
    service: Category
    leaf: Category
    head: Actor
    nodal_a: Actor
    nodal_b: Actor


async def world(settings: Settings) -> World:
    tree = await small_state(settings)
    service = await category("REV-LAND", tree.dept)
    leaf = await category("REV-LAND-MUTATION", tree.dept, service)
    head = await staff(settings, "rev_head", (tree.dept, Role.HEAD))
    return World(tree, service, leaf, await actor_for(head), await actor_for(tree.users["nodal_a"]),
                 await actor_for(tree.users["nodal_b"]))


async def refused(call: object) -> DomainError:
    with pytest.raises(DomainError) as error:
        await call  # type: ignore[misc]
    return error.value


async def test_set_creates_then_replaces_then_delete_and_revive(settings: Settings) -> None:
    w = await world(settings)
    t = w.tree
    created = await set_rule(w.head, RuleInput(w.leaf.id, "br-a ", t.district_a.id), NOW)
    assert (created.area_code, created.unit_id, created.officer_id, created.active) == ("BR-A", t.district_a.id, None, True)  # type: ignore[attr-defined]
    replaced = await set_rule(w.head, RuleInput(w.leaf.id, "BR-A", t.block_a.id, t.users["officer_a"].id), NOW)
    assert replaced.id == created.id
    assert await RoutingRule.filter(category_id=w.leaf.id).count() == 1
    stored = await RoutingRule.get(id=created.id)
    assert (stored.unit_id, stored.officer_id) == (t.block_a.id, t.users["officer_a"].id)  # type: ignore[attr-defined]

    deleted = await delete_rule(w.head, created.id, NOW)
    assert deleted.active is False and (await RoutingRule.get(id=created.id)).active is False
    assert (await refused(delete_rule(w.head, created.id, NOW))).code is ErrorCode.CONFLICT
    assert (await refused(delete_rule(w.head, 999999, NOW))).code is ErrorCode.NOT_FOUND
    revived = await set_rule(w.head, RuleInput(w.leaf.id, "BR-A", t.district_a.id), NOW)
    assert revived.id == created.id and revived.active is True

    events = await AuditEvent.filter(object_type="routing_rule", object_id=str(created.id)).order_by("seq")
    assert [e.action for e in events] == [
        "routing_rule_created", "routing_rule_updated", "routing_rule_deleted", "routing_rule_updated"]
    assert await verify_chain("routing_rule", created.id)


async def test_validation_names_every_bad_field_and_changes_nothing(settings: Settings) -> None:
    w = await world(settings)
    await Category.filter(id=w.leaf.id).update(active=False)
    error = await refused(set_rule(w.head, RuleInput(w.leaf.id, "not an area", 999999, 12345), NOW))
    assert error.code is ErrorCode.VALIDATION
    assert {e.field for e in error.field_errors} == {"categoryId", "areaCode", "unitId"}
    error = await refused(set_rule(w.head, RuleInput(999999, "BR-PATNA-", w.tree.district_a.id, 12345), NOW))
    assert {e.field for e in error.field_errors} == {"categoryId", "areaCode", "officerId"}
    await Unit.filter(id=w.tree.block_b.id).update(active=False)
    error = await refused(set_rule(w.head, RuleInput(w.service.id, "BR-B-1", w.tree.block_b.id), NOW))
    assert {e.field for e in error.field_errors} == {"unitId"}
    assert await RoutingRule.all().count() == 0
    assert await AuditEvent.filter(object_type="routing_rule").count() == 0


async def test_officer_must_act_in_the_rules_unit(settings: Settings) -> None:
    w = await world(settings)
    t = w.tree
    officer_a = t.users["officer_a"]  # an OFFICER of block A, not of district A
    error = await refused(set_rule(w.head, RuleInput(w.leaf.id, "BR-A", t.district_a.id, officer_a.id), NOW))
    assert error.code is ErrorCode.VALIDATION and [e.field for e in error.field_errors] == ["officerId"]
    # A reviewer of the unit is not a functionary who acts on grievances.
    error = await refused(set_rule(w.head, RuleInput(w.leaf.id, "BR-A", t.district_a.id, t.users["reviewer_a"].id), NOW))
    assert [e.field for e in error.field_errors] == ["officerId"]
    # The district's nodal officer may be named; so may the block's officer for the block.
    assert await set_rule(w.head, RuleInput(w.leaf.id, "BR-A", t.district_a.id, t.users["nodal_a"].id), NOW)
    assert await set_rule(w.head, RuleInput(w.leaf.id, "BR-A-1", t.block_a.id, officer_a.id), NOW)
    await Membership.filter(user_id=officer_a.id).update(active=False)
    error = await refused(set_rule(w.head, RuleInput(w.service.id, "BR-A-1", t.block_a.id, officer_a.id), NOW))
    assert [e.field for e in error.field_errors] == ["officerId"]
    await StaffUser.filter(id=t.users["nodal_a"].id).update(active=False)
    error = await refused(set_rule(w.head, RuleInput(w.service.id, "BR-A", t.district_a.id, t.users["nodal_a"].id), NOW))
    assert [e.field for e in error.field_errors] == ["officerId"]


async def test_nodal_officer_of_district_b_cannot_route_to_district_a(settings: Settings) -> None:
    w = await world(settings)
    t = w.tree
    error = await refused(set_rule(w.nodal_b, RuleInput(w.leaf.id, "BR-A", t.district_a.id), NOW))
    assert error.code is ErrorCode.FORBIDDEN
    error = await refused(set_rule(w.nodal_b, RuleInput(w.leaf.id, "BR-B", t.block_a.id), NOW))
    assert error.code is ErrorCode.FORBIDDEN
    # Nor pull district A's (or everyone's) grievances to district B.
    for area in ("BR-A", "BR", ""):
        error = await refused(set_rule(w.nodal_b, RuleInput(w.leaf.id, area, t.district_b.id), NOW))
        assert error.code is ErrorCode.FORBIDDEN, area
    assert await RoutingRule.all().count() == 0
    # Within its own areas district B may route, to itself or its block.
    assert await set_rule(w.nodal_b, RuleInput(w.leaf.id, "BR-B", t.district_b.id), NOW)
    assert await set_rule(w.nodal_b, RuleInput(w.service.id, "BR-B-1", t.block_b.id), NOW)
    # A rule district A's nodal officer did not make for its area is not district B's to delete.
    rule_a = await set_rule(w.nodal_a, RuleInput(w.leaf.id, "BR-A-1", t.block_a.id), NOW)
    assert (await refused(delete_rule(w.nodal_b, rule_a.id, NOW))).code is ErrorCode.FORBIDDEN


async def test_department_wide_rules_need_the_departments_authority(settings: Settings) -> None:
    w = await world(settings)
    t = w.tree
    assert (await refused(set_rule(w.nodal_a, RuleInput(w.leaf.id, "", t.district_a.id), NOW))).code is ErrorCode.FORBIDDEN
    statewide = await set_rule(w.head, RuleInput(w.leaf.id, "", t.district_a.id), NOW)
    assert statewide.area_code == ""
    # The department routed BR-A to itself; district A may not overwrite that.
    await set_rule(w.head, RuleInput(w.service.id, "BR-A", t.dept.id), NOW)
    error = await refused(set_rule(w.nodal_a, RuleInput(w.service.id, "BR-A", t.district_a.id), NOW))
    assert error.code is ErrorCode.FORBIDDEN
    # Another department's categories are not district A's to route into Revenue's offices.
    health = await unit("BR-HLT", UnitKind.DEPARTMENT, t.state)
    fever = await category("HLT-FEVER", health)
    assert (await refused(set_rule(w.nodal_a, RuleInput(fever.id, "BR-A", t.district_a.id), NOW))).code is ErrorCode.FORBIDDEN
    # ... and the Revenue head cannot send them to Revenue either, nor Revenue's to Health.
    assert (await refused(set_rule(w.head, RuleInput(fever.id, "BR-A", t.district_a.id), NOW))).code is ErrorCode.FORBIDDEN
    assert (await refused(set_rule(w.head, RuleInput(w.leaf.id, "BR-A", health.id), NOW))).code is ErrorCode.FORBIDDEN
    # The state admin covers both.
    admin = await actor_for(t.users["stateadmin"])
    assert await set_rule(admin, RuleInput(fever.id, "", health.id), NOW)


async def test_only_routing_managers_may_set_rules(settings: Settings) -> None:
    w = await world(settings)
    t = w.tree
    data = RuleInput(w.leaf.id, "BR-A-1", t.block_a.id)
    for username in ("officer_a", "reviewer_a"):
        error = await refused(set_rule(await actor_for(t.users[username]), data, NOW))
        assert error.code is ErrorCode.FORBIDDEN, username
    assert (await refused(set_rule(ANONYMOUS, data, NOW))).code is ErrorCode.UNAUTHENTICATED
    assert (await refused(set_rule(Actor(ActorKind.CITIZEN, 1), data, NOW))).code is ErrorCode.FORBIDDEN
    assert await RoutingRule.all().count() == 0


async def test_match_most_specific_and_ignores_inactive(settings: Settings) -> None:
    w = await world(settings)
    t = w.tree
    await set_rule(SYSTEM, RuleInput(w.service.id, "", t.dept.id), NOW)
    district = await set_rule(SYSTEM, RuleInput(w.leaf.id, "BR-A", t.district_a.id, t.users["nodal_a"].id), NOW)
    block = await set_rule(SYSTEM, RuleInput(w.service.id, "BR-A-1", t.block_a.id, t.users["officer_a"].id), NOW)

    assert await selectors.match(w.leaf, "BR-A-1") == selectors.RouteTarget(block.id, t.block_a, t.users["officer_a"].id)
    target = await selectors.match(w.leaf, "br-a")
    assert target is not None and (target.rule_id, target.officer_id) == (district.id, t.users["nodal_a"].id)
    target = await selectors.match(w.leaf, "BR-A10")  # not below BR-A: whole segments only
    assert target is not None and target.unit.id == t.dept.id
    # The service-level rules cover the leaf; the leaf's rule does not cover the service.
    target = await selectors.match(w.service, "BR-A")
    assert target is not None and target.unit.id == t.dept.id

    # An inactive unit's rule is skipped: the next most specific one applies.
    await Unit.filter(id=t.block_a.id).update(active=False)
    target = await selectors.match(w.leaf, "BR-A-1")
    assert target is not None and target.rule_id == district.id
    await delete_rule(SYSTEM, district.id, NOW)
    target = await selectors.match(w.leaf, "BR-A-1")
    assert target is not None and target.unit.id == t.dept.id
    await Unit.filter(id=t.dept.id).update(active=False)
    assert await selectors.match(w.leaf, "BR-A-1") is None


async def test_match_drops_an_officer_who_can_no_longer_act(settings: Settings) -> None:
    w = await world(settings)
    t = w.tree
    officer = t.users["officer_a"]
    rule = await set_rule(SYSTEM, RuleInput(w.leaf.id, "BR-A-1", t.block_a.id, officer.id), NOW)
    assert (await selectors.match(w.leaf, "BR-A-1")) == selectors.RouteTarget(rule.id, t.block_a, officer.id)
    await Membership.filter(user_id=officer.id).update(active=False)
    target = await selectors.match(w.leaf, "BR-A-1")
    assert target is not None and (target.unit.id, target.officer_id) == (t.block_a.id, None)
    await Membership.filter(user_id=officer.id).update(active=True)
    await StaffUser.filter(id=officer.id).update(active=False)
    target = await selectors.match(w.leaf, "BR-A-1")
    assert target is not None and target.officer_id is None


async def test_rule_lists_follow_unit_visibility(settings: Settings) -> None:
    w = await world(settings)
    t = w.tree
    a = await set_rule(SYSTEM, RuleInput(w.leaf.id, "BR-A", t.district_a.id), NOW)
    a1 = await set_rule(SYSTEM, RuleInput(w.service.id, "BR-A-1", t.block_a.id), NOW)
    b = await set_rule(SYSTEM, RuleInput(w.leaf.id, "BR-B", t.district_b.id), NOW)
    await delete_rule(SYSTEM, b.id, NOW)
    assert [r.id for r in await selectors.rules_for_unit(t.district_a.id)] == [a.id]
    assert await selectors.rules_for_unit(t.district_b.id) == []
    assert [r.id for r in await selectors.rules_for_unit(t.district_b.id, include_inactive=True)] == [b.id]
    assert {r.id for r in await selectors.rules_visible_to(w.nodal_a, 50, 0)} == {a.id, a1.id}
    officer = await actor_for(t.users["officer_a"])
    assert [r.id for r in await selectors.rules_visible_to(officer, 50, 0)] == [a1.id]
    everything = await selectors.rules_visible_to(SYSTEM, 50, 0, include_inactive=True)
    assert {r.id for r in everything} == {a.id, a1.id, b.id}
    assert len(await selectors.rules_visible_to(SYSTEM, 1, 1, include_inactive=True)) == 1
    assert await selectors.rules_visible_to(ANONYMOUS, 50, 0) == []


async def test_demo_rules_route_patna_and_its_blocks(settings: Settings) -> None:
    from backend.categories.demo import load_demo_categories
    from backend.demo.loader import load_demo
    from backend.routing.demo import load_demo_rules, planned_rules

    await load_demo(settings, NOW)
    if not await Category.exists(code="REV-MUT"):
        await load_demo_categories(NOW)
    count = await load_demo_rules(NOW)
    assert count == len(planned_rules())  # every category and unit the plan names exists
    assert await RoutingRule.filter(active=True).count() == count
    assert await load_demo_rules(NOW) == count and await RoutingRule.all().count() == count
    bdo = await StaffUser.get(username="bdo.bihta")

    async def where(code: str, area: str) -> tuple[str, int | None] | None:
        target = await selectors.match(await Category.get(code=code), area)
        return (target.unit.code, target.officer_id) if target else None

    assert await where("REV-MUT-DELAY", "BR-PAT-BIHTA") == ("PAT-BIHTA", bdo.id)
    assert await where("REV-MUT-DELAY", "BR-PAT-DANAPUR") == ("PAT-DANAPUR", None)
    assert await where("REV-MUT-DELAY", "BR-PAT") == ("PAT-DM", None)
    assert await where("REV-ACQ-PAYMENT", "BR-PAT-BIHTA") == ("PAT-DM", None)
    assert await where("HOME-FIR-REFUSED", "BR-PAT-BIHTA") == ("PAT-SP", None)
    assert await where("REV-LPC-DELAY", "BR-GAY-BODHGAYA") == ("GAY-BODHGAYA", None)
    assert await where("REV-OTHERS", "BR-PAT") is None
    assert await where("REV-MUT-DELAY", "BR-NAL") is None  # Nalanda: no demo rules
