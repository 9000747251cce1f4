"""Grievance services against a real database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from tortoise.transactions import in_transaction

from backend.accounts.services import deactivate_account
from backend.audit.models import AuditEvent
from backend.audit.services import broken_chains, verify_chain
from backend.authz.actors import SYSTEM
from backend.core.errors import DomainError, ErrorCode
from backend.grievances import intake, reports, services
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.grievances.states import Action, Party, RejectionReason, State
from backend.grievances.transitions import commit, decide
from backend.notifications.models import OutboxMessage
from backend.orgs.services import merge_units, move_subtree
from backend.settings import Settings
from tests.conftest import NOW
from tests.factories import LifecycleWorld, actor_for, lifecycle_world

pytestmark = pytest.mark.usefixtures("db")


def form(w: LifecycleWorld, **overrides: object) -> intake.FilingInput:
    data = intake.FilingInput(
        channel=Channel.POST, category_id=w.leaf.id, area_code="BR-A-1", subject="Ration card not issued",
        description="Applied for a new ration card in June at the block office; nothing since.",
        relief_sought="Issue the ration card.", citizen_name="Sita Devi", citizen_mobile="9876500001",
    )
    return replace(data, **overrides)  # type: ignore[arg-type]


async def cell(w: LifecycleWorld):  # type: ignore[no-untyped-def]
    return await actor_for(w.users["cell"])


async def test_bad_filing_names_every_field_and_writes_nothing(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    bad = form(w, citizen_mobile="12345", area_code="bihar!", subject="", description="x" * 5001, relief_sought=" ",
               citizen_email="not-mail", latitude=51.5, longitude=None, category_id=w.leaf.parent_id,  # type: ignore[attr-defined]
               idempotency_key="short")
    with pytest.raises(DomainError) as caught:
        await intake.file_grievance(settings, await cell(w), bad, now=NOW)
    assert caught.value.code is ErrorCode.VALIDATION
    fields = {e.field for e in caught.value.field_errors}
    assert fields == {"citizenMobile", "areaCode", "subject", "description", "reliefSought", "citizenEmail",
                      "longitude", "categoryId", "idempotencyKey"}
    assert await Grievance.all().count() == 0 and await AuditEvent.filter(object_type="grievance").count() == 0


async def test_two_hundred_concurrent_filings_get_distinct_numbers(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    actor = await cell(w)
    results = await asyncio.gather(*[
        intake.file_grievance(settings, actor, form(w, citizen_mobile=f"9{i:09d}"), now=NOW) for i in range(200)
    ])
    numbers = {r.grievance.number for r in results}
    assert len(numbers) == 200
    assert sorted(numbers)[0] == "BR/L/2026/0000001" and sorted(numbers)[-1] == "BR/L/2026/0000200"


async def test_idempotency_key_never_files_twice_even_concurrently(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    actor = await cell(w)
    data = form(w, idempotency_key="offline-draft-0001")
    results = await asyncio.gather(*[intake.file_grievance(settings, actor, data, now=NOW) for _ in range(5)])
    assert len({r.grievance.id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert await Grievance.all().count() == 1


async def test_two_officers_acting_at_once_one_wins(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    g = (await intake.file_grievance(settings, await cell(w), form(w), now=NOW)).grievance
    await services.allot(await cell(w), g.id, unit_id=w.tree.block_a.id, now=NOW)
    nodal = await actor_for(w.users["nodal_a"])
    fresh = await Grievance.get(id=g.id)
    outcomes = await asyncio.gather(
        services.assign(nodal, g.id, officer_id=w.users["officer_a"].id, expected_version=fresh.version, now=NOW),
        services.assign(nodal, g.id, officer_id=w.users["officer_a2"].id, expected_version=fresh.version, now=NOW),
        return_exceptions=True,
    )
    errors = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(errors) == 1 and errors[0].code is ErrorCode.CHANGED_MEANWHILE
    final = await Grievance.get(id=g.id)
    assert final.version == fresh.version + 1
    assert await AuditEvent.filter(object_type="grievance", object_id=str(g.id), action="assign").count() == 1


async def test_stale_version_is_refused_before_anything_is_written(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    g = (await intake.file_grievance(settings, await cell(w), form(w), now=NOW)).grievance
    with pytest.raises(DomainError) as caught:
        await services.register(await cell(w), g.id, expected_version=g.version - 1, now=NOW)
    assert caught.value.code is ErrorCode.CHANGED_MEANWHILE
    assert (await Grievance.get(id=g.id)).status is State.FILED


async def test_duplicates_are_suspected_linked_and_told_when_the_master_closes(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    actor = await cell(w)
    master = (await intake.file_grievance(settings, actor, form(w), now=NOW)).grievance
    # Same place and category, similar words, another citizen: suspected.
    twin = (await intake.file_grievance(settings, actor, form(
        w, citizen_mobile="9876500002", citizen_name="Mohan", description="Applied for new ration card in June at "
        "the block office; nothing happened since."), now=NOW + timedelta(hours=2))).grievance
    assert twin.suspected_duplicates == [master.id]
    unrelated = (await intake.file_grievance(settings, actor, form(
        w, citizen_mobile="9876500003", subject="Street light", description="The street light near the school is "
        "broken for weeks."), now=NOW)).grievance
    assert unrelated.suspected_duplicates == []

    linked = await services.link_duplicate(actor, twin.id, master_id=master.id, now=NOW)
    assert linked.status is State.LINKED and linked.master_id == master.id  # type: ignore[attr-defined]
    with pytest.raises(DomainError) as caught:
        await services.link_duplicate(actor, master.id, master_id=master.id, now=NOW)
    assert caught.value.code is ErrorCode.VALIDATION

    officer = await actor_for(w.users["officer_a"])
    await services.allot(actor, master.id, unit_id=w.tree.block_a.id, now=NOW)
    await reports.final_report(officer, master.id, reports.ReportInput(action_taken="Card issued", reply="Issued"),
                               now=NOW)
    for reviewer in ("reviewer_a", "dept_reviewer"):
        await reports.review_approve(await actor_for(w.users[reviewer]), master.id, now=NOW)
    await reports.close(actor, master.id, now=NOW)
    told = await OutboxMessage.filter(recipient="9876500002").values_list("template", flat=True)
    assert sorted(told) == ["grievance_filed", "grievance_linked", "master_closed"]
    assert await AuditEvent.filter(object_id=str(twin.id), action="master_closed").count() == 1


async def test_monthly_cap_per_citizen(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    actor = await cell(w)
    capped = replace(settings, monthly_filing_cap=2)
    for i in range(2):
        await intake.file_grievance(capped, actor, form(w, subject=f"Issue {i}"), now=NOW)
    with pytest.raises(DomainError) as caught:
        await intake.file_grievance(capped, actor, form(w, subject="Third"), now=NOW)
    assert caught.value.code is ErrorCode.RATE_LIMITED
    # A new month starts a new count (the month is India's, not UTC's).
    await intake.file_grievance(capped, actor, form(w, subject="Next month"), now=NOW + timedelta(days=8))


async def test_right_to_service_grievance_is_never_rejected_for_not_applying(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    from tests.factories import category

    rts = await category("REV-RTS-CASTE", w.tree.dept, rts_days=14)
    g = (await intake.file_grievance(settings, await cell(w), form(w, category_id=rts.id), now=NOW)).grievance
    assert g.right_to_service
    with pytest.raises(DomainError) as caught:
        await services.reject(await cell(w), g.id, reason=RejectionReason.INCOMPLETE, note="Apply first", now=NOW)
    assert caught.value.field_errors[0].field == "reason"
    done = await services.reject(await cell(w), g.id, reason=RejectionReason.SUB_JUDICE, note="Case in court", now=NOW)
    assert done.status is State.REJECTED


async def test_request_info_pauses_and_the_reply_resumes_the_clock(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    g = (await intake.file_grievance(settings, await cell(w), form(w), now=NOW)).grievance
    await services.allot(await cell(w), g.id, unit_id=w.tree.block_a.id, now=NOW)
    officer = await actor_for(w.users["officer_a"])
    g = await services.request_info(officer, g.id, question="Which khata number?", now=NOW + timedelta(hours=4))
    assert g.status is State.AWAITING_CITIZEN and g.paused_remaining_seconds == 20 * 3600
    citizen = await intake.Citizen.get(mobile="9876500001")
    from backend.authz.actors import Actor, ActorKind

    g = await services.citizen_reply(Actor(ActorKind.CITIZEN, citizen.id), g.id, text="Khata 42",
                                     now=NOW + timedelta(days=2))
    assert g.status is State.ALLOTTED and g.due_at == NOW + timedelta(days=2, hours=20)
    events = await AuditEvent.filter(object_id=str(g.id)).order_by("seq").values_list("action", flat=True)
    assert list(events)[-2:] == ["request_info", "citizen_reply"]


async def test_restructuring_carries_pending_grievances_to_the_right_accounts(settings: Settings) -> None:
    """Seed 000: a redundant office's pending work moves in bulk; its officer's too."""
    w = await lifecycle_world(settings)
    actor = await cell(w)
    at_b = (await intake.file_grievance(settings, actor, form(w), now=NOW)).grievance
    await services.allot(actor, at_b.id, unit_id=w.tree.block_b.id, now=NOW)
    at_a = (await intake.file_grievance(settings, actor, form(w, citizen_mobile="9876500009"), now=NOW)).grievance
    await services.allot(actor, at_a.id, unit_id=w.tree.block_a.id, now=NOW)
    await services.assign(await actor_for(w.users["nodal_a"]), at_a.id, officer_id=w.users["officer_a"].id, now=NOW)
    admin = await actor_for(w.users["stateadmin"])

    preview = await merge_units(admin, source_id=w.tree.block_b.id, target_id=w.tree.block_a.id, dry_run=True, now=NOW)
    assert preview.pending_items_moved == 1 and preview.pending_items == [at_b.number]
    assert (await Grievance.get(id=at_b.id)).unit_id == w.tree.block_b.id  # type: ignore[attr-defined]
    await merge_units(admin, source_id=w.tree.block_b.id, target_id=w.tree.block_a.id, dry_run=False, now=NOW)
    moved = await Grievance.get(id=at_b.id)
    assert moved.unit_id == w.tree.block_a.id and moved.unit_path == w.tree.block_a.path  # type: ignore[attr-defined]
    assert await verify_chain("grievance", at_b.id)

    plan = await deactivate_account(admin, user_id=w.users["officer_a"].id,
                                    successor_user_id=w.users["officer_a2"].id, dry_run=True, now=NOW)
    assert plan.pending_items == [at_a.number]
    await deactivate_account(admin, user_id=w.users["officer_a"].id,
                             successor_user_id=w.users["officer_a2"].id, dry_run=False, now=NOW)
    assert (await Grievance.get(id=at_a.id)).assigned_officer_id == w.users["officer_a2"].id  # type: ignore[attr-defined]

    # Moving district A under the state keeps every grievance's denormalised path true.
    sysadmin = await actor_for(w.users["sysadmin"])
    await move_subtree(sysadmin, unit_id=w.tree.district_a.id, new_parent_id=w.tree.state.id, dry_run=False, now=NOW)
    block_a = await type(w.tree.block_a).get(id=w.tree.block_a.id)
    for g in await Grievance.filter(id__in=[at_a.id, at_b.id]):
        assert g.unit_path == block_a.path


async def test_audit_verify_detects_an_edited_or_deleted_event(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    g = (await intake.file_grievance(settings, await cell(w), form(w), now=NOW)).grievance
    await services.register(await cell(w), g.id, note="ok", now=NOW)
    await services.comment(await cell(w), g.id, text="Called back", now=NOW)
    assert await broken_chains("grievance") == (1, [])
    await AuditEvent.filter(object_id=str(g.id), action="register").update(note="forged")
    assert await broken_chains("grievance") == (1, [str(g.id)])
    await AuditEvent.filter(object_id=str(g.id), action="register").update(note="ok")
    assert await broken_chains("grievance") == (1, [])
    await AuditEvent.filter(object_id=str(g.id), action="register").delete()
    assert await broken_chains("grievance", str(g.id)) == (1, [str(g.id)])


@hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([a for a in Action if a is not Action.FILE]), min_size=1, max_size=12))
async def test_every_transition_leaves_exactly_one_audit_event(settings: Settings, walk: list[Action]) -> None:
    """Random actions through the single write path: a refused one writes nothing, an
    accepted one writes its status and exactly one event, and the chain stays intact."""
    from tests.conftest import truncate_all

    await truncate_all()
    w = await lifecycle_world(settings)
    g = (await intake.file_grievance(settings, await cell(w), form(w), now=NOW)).grievance
    for action in walk:
        before = await AuditEvent.filter(object_type="grievance", object_id=str(g.id)).count()
        try:
            decision = decide(SYSTEM, g, action, g.unit_path, extra_parties=frozenset(Party))
            async with in_transaction():
                await commit(g, decision, action=action, actor=SYSTEM, now=NOW)
        except DomainError:
            assert await AuditEvent.filter(object_type="grievance", object_id=str(g.id)).count() == before
            continue
        stored = await Grievance.get(id=g.id)
        assert stored.status is decision.outcome.state and isinstance(stored.status, State)
        assert await AuditEvent.filter(object_type="grievance", object_id=str(g.id)).count() == before + 1
    assert await verify_chain("grievance", g.id)
