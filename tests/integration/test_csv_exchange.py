from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest

from backend.accounts.models import Membership, Session, SetPasswordToken, StaffUser
from backend.accounts.roles import Role
from backend.accounts.services import deactivate_account
from backend.audit.models import AuditEvent
from backend.audit.services import verify_chain
from backend.authz.actors import SYSTEM, Actor, ActorKind
from backend.core.errors import DomainError, ErrorCode
from backend.orgs import pending_work
from backend.orgs.csv_exchange import OFFICER_COLUMNS, UNIT_COLUMNS, ImportReport, export_officers, export_units, import_org
from backend.orgs.kinds import UnitKind
from backend.orgs.models import EscalationLevel, Unit
from backend.orgs.services import UnitInput, deactivate_unit, update_unit
from backend.settings import Settings
from tests.conftest import NOW
from tests.factories import Tree, actor_for, small_state, staff, unit

pytestmark = pytest.mark.usefixtures("db")

ZERO = {k: 0 for k in ImportReport.__dataclass_fields__ if k not in ("dry_run", "set_password_links")}


def units_csv(*rows: dict[str, str]) -> str:
    return _csv(UNIT_COLUMNS, rows)


def officers_csv(*rows: dict[str, str]) -> str:
    return _csv(OFFICER_COLUMNS, rows)


def _csv(columns: list[str], rows: Sequence[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows([{c: row.get(c, "") for c in columns} for row in rows])
    return out.getvalue()


def u(code: str, parent: str, kind: str = "office", **cells: str) -> dict[str, str]:
    return {"code": code, "parent_code": parent, "kind": kind, "name_en": f"{code} office", **cells}


def o(username: str, unit_code: str, role: str, **cells: str) -> dict[str, str]:
    """A row for a factory-made account: its details are what `tests.factories.staff` gives."""
    return {"username": username, "full_name": username.title(), "language": "en", "unit_code": unit_code,
            "role": role, **cells}


def counts(report: ImportReport) -> dict[str, int]:
    return {k: getattr(report, k) for k in ZERO}


async def snapshot() -> dict[str, Any]:
    """Everything an import may touch, to compare before and after."""
    return {
        "units": await Unit.all().order_by("id").values(),
        "ladders": await EscalationLevel.all().order_by("id").values(),
        "users": await StaffUser.all().order_by("id").values(),
        "memberships": await Membership.all().order_by("id").values(),
        "sessions": await Session.all().order_by("id").values(),
        "tokens": await SetPasswordToken.all().order_by("id").count(),
        "audit": await AuditEvent.all().count(),
    }


async def richer_state(settings: Settings) -> Tree:
    """small_state plus authority links, an inactive subtree and a deactivated account."""
    tree = await small_state(settings)
    await update_unit(SYSTEM, unit_id=tree.district_a.id, data=UnitInput(
        code="BR-REV-A", kind=UnitKind.DISTRICT, names={"en": "District, \"A\"", "hi": "जिला ए", "mr": "जिल्हा ए"},
        area_codes=["BR-A", "BR-A-2"], appellate_authority_id=tree.state.id,
        escalation_authority_ids=[tree.dept.id, tree.state.id],
    ), expected_version=1, now=NOW)
    await deactivate_unit(SYSTEM, unit_id=tree.block_b.id, successor_id=None, dry_run=False, now=NOW)
    await deactivate_account(SYSTEM, user_id=tree.users["reviewer_a"].id, successor_user_id=None, dry_run=False,
                             now=NOW)
    return tree


async def test_export_then_import_changes_nothing(settings: Settings) -> None:
    tree = await richer_state(settings)
    sysadmin = await actor_for(tree.users["sysadmin"])
    units_text = await export_units(sysadmin, root_unit_id=tree.root.id)
    officers_text = await export_officers(sysadmin, root_unit_id=tree.root.id)
    unit_rows = list(csv.DictReader(io.StringIO(units_text)))
    assert [r["code"] for r in unit_rows] == ["IN", "BR", "BR-REV", "BR-REV-A", "BR-REV-B", "BR-REV-A-1", "BR-REV-B-1"]
    district_a = unit_rows[3]
    assert district_a["parent_code"] == "BR-REV" and district_a["appellate_authority_code"] == "BR"
    assert district_a["escalation_authority_codes"] == "BR-REV;BR" and district_a["area_codes"] == "BR-A;BR-A-2"
    assert unit_rows[6]["active"] == "false"
    officer_rows = list(csv.DictReader(io.StringIO(officers_text)))
    assert [(r["username"], r["unit_code"], r["role"]) for r in officer_rows] == [
        ("nodal_a", "BR-REV-A", "nodal_officer"), ("nodal_b", "BR-REV-B", "nodal_officer"),
        ("officer_a", "BR-REV-A-1", "officer"), ("reviewer_a", "BR-REV-A", "reviewer"),
        ("stateadmin", "BR", "org_admin"), ("sysadmin", "IN", "system_admin"),
    ]
    assert officer_rows[3]["role_active"] == "false" and officer_rows[3]["account_active"] == "false"

    before = await snapshot()
    report = await import_org(settings, sysadmin, units_csv=units_text, officers_csv=officers_text, dry_run=False,
                              now=NOW + timedelta(days=1))
    assert counts(report) == ZERO and report.set_password_links == []
    assert await snapshot() == before

    # A state admin's own subtree round-trips too: its root row names a parent outside it.
    stateadmin = await actor_for(tree.users["stateadmin"])
    state_units = await export_units(stateadmin, root_unit_id=tree.state.id)
    assert next(csv.DictReader(io.StringIO(state_units)))["parent_code"] == "IN"
    state_officers = await export_officers(stateadmin, root_unit_id=tree.state.id)
    report = await import_org(settings, stateadmin, units_csv=state_units, officers_csv=state_officers,
                              dry_run=False, now=NOW + timedelta(days=1))
    assert counts(report) == ZERO
    assert await snapshot() == before


async def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    units_text = (
        "code,parent_code,kind,name_en,name_hi,area_codes,appellate_authority_code,escalation_authority_codes,active\n"
        'BR-REV-C,BR-REV,district,"Revenue\nCircle C",,BR-C,,,\n'  # lines 2-3: one row over two lines
        "bad code!,BR-REV,district,Bad,,,,,\n"  # 4
        "BR-X1,BR-REV,galaxy,Unknown kind,,,,,\n"  # 5
        "BR-X2,NOPE-9,office,Unknown parent,,,,,\n"  # 6
        "\n"  # 7: blank lines are skipped
        "BR-REV-C,BR-REV,district,Again,,,,,yes\n"  # 8: duplicate code
    )
    officers_text = officers_csv(
        o("new.officer", "BR-REV-C", "officer", mobile="9876543210"),  # 2
        o("bad.mobile", "BR-REV-C", "officer", mobile="12345"),  # 3
        o("bad.role", "BR-REV-C", "emperor"),  # 4
        o("new.officer", "BR-REV-C", "officer", mobile="9876543210"),  # 5: duplicate
    )
    before = await snapshot()
    with pytest.raises(DomainError) as bad:
        await import_org(settings, admin, units_csv=units_text, officers_csv=officers_text, dry_run=False, now=NOW)
    assert bad.value.code is ErrorCode.VALIDATION
    fields = sorted(e.field for e in bad.value.field_errors)
    assert fields == sorted([
        "units.csv:4:code", "units.csv:5:kind", "units.csv:6:parent_code", "units.csv:8:code",
        "officers.csv:3:mobile", "officers.csv:4:role", "officers.csv:5:username",
    ])
    assert bad.value.message == "7 problems; nothing was imported"
    messages = {e.field: e.message for e in bad.value.field_errors}
    assert "line 2" in messages["units.csv:8:code"] and "line 2" in messages["officers.csv:5:username"]
    assert "NOPE-9" in messages["units.csv:6:parent_code"]
    assert await snapshot() == before


async def test_header_must_name_exactly_the_columns(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    header = ",".join(c for c in UNIT_COLUMNS if c != "kind") + ",colour\n"
    with pytest.raises(DomainError) as bad:
        await import_org(settings, admin, units_csv=header, officers_csv="", dry_run=False, now=NOW)
    assert sorted(e.field for e in bad.value.field_errors) == [
        "officers.csv:1:header", "units.csv:1:colour", "units.csv:1:kind",
    ]


async def test_columns_in_any_order_byte_order_mark_and_flag_spellings(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    columns = list(reversed(UNIT_COLUMNS))
    text = "\ufeff" + _csv(columns, [u("br-rev-c", "BR-REV", "DISTRICT", active="YES", area_codes="br-c; br-c-1")])
    report = await import_org(settings, admin, units_csv=text, officers_csv=None, dry_run=False, now=NOW)
    assert report.units_created == 1
    created = await Unit.get(code="BR-REV-C")
    assert created.kind is UnitKind.DISTRICT and created.area_codes == ["BR-C", "BR-C-1"]
    assert created.path == f"{tree.dept.path}{created.id}/"


def _changes(tree: Tree) -> tuple[str, str]:
    units_text = units_csv(
        u("BR-REV-C", "BR-REV", "district", name_hi="जिला सी", appellate_authority_code="BR-REV"),
        u("BR-REV-C-1", "BR-REV-C", "block", escalation_authority_codes="BR-REV-C;BR-REV"),
        u("BR-REV-B-1", "BR-REV-C", "block", area_codes="BR-B-1", name_en="Block B one"),  # moved and renamed
        u("BR-REV-A-1", "BR-REV-A", "block", area_codes="BR-A-1", active="false",  # deactivated
          name_en="BR-REV-A-1 office", name_hi="BR-REV-A-1 कार्यालय"),
    )
    officers_text = officers_csv(
        {"username": "cmo.c", "full_name": "Chief Officer C", "designation": "CMO", "mobile": "+91 98765 43210",
         "unit_code": "BR-REV-C", "role": "nodal_officer"},
        {"username": "cmo.c", "full_name": "Chief Officer C", "designation": "CMO", "mobile": "9876543210",
         "unit_code": "BR-REV-C-1", "role": "officer"},
        o("nodal_a", "BR-REV-C", "reviewer", designation="District nodal"),  # details change + grant
        o("reviewer_a", "BR-REV-A", "reviewer", role_active="no"),  # revoke
        o("officer_a", "BR-REV-A-1", "officer", account_active="0", successor_username="cmo.c"),
    )
    return units_text, officers_text


async def test_dry_run_reports_what_the_real_run_does_and_writes_nothing(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    units_text, officers_text = _changes(tree)
    before = await snapshot()
    preview = await import_org(settings, admin, units_csv=units_text, officers_csv=officers_text, dry_run=True,
                               now=NOW)
    assert preview.dry_run and preview.set_password_links == []
    assert await snapshot() == before
    assert counts(preview) == {
        **ZERO, "units_created": 2, "units_updated": 1, "units_moved": 1, "units_deactivated": 1,
        "accounts_created": 1, "accounts_updated": 1, "accounts_deactivated": 1, "roles_granted": 3,
        "roles_revoked": 1,
    }

    real = await import_org(settings, admin, units_csv=units_text, officers_csv=officers_text, dry_run=False,
                            now=NOW)
    assert not real.dry_run and counts(real) == counts(preview)
    assert [name for name, _ in real.set_password_links] == ["cmo.c"]
    assert real.set_password_links[0][1].startswith("http://testserver/staff/#/set-password/")
    c, c1 = await Unit.get(code="BR-REV-C"), await Unit.get(code="BR-REV-C-1")
    b1 = await Unit.get(code="BR-REV-B-1")
    assert c.path == f"{tree.dept.path}{c.id}/" and c1.path == f"{c.path}{c1.id}/" and c1.depth == 4
    assert b1.path == f"{c.path}{b1.id}/" and b1.names == {"en": "Block B one"}
    assert c.appellate_authority_id == tree.dept.id  # type: ignore[attr-defined]
    ladder: list[Any] = await EscalationLevel.filter(unit_id=c1.id).order_by("level").values_list("authority_id", flat=True)
    assert ladder == [c.id, tree.dept.id]
    assert not (await Unit.get(id=tree.block_a.id)).active
    cmo = await StaffUser.get(username="cmo.c")
    assert cmo.mobile == "9876543210" and cmo.designation == "CMO"
    assert (await StaffUser.get(id=tree.users["nodal_a"].id)).designation == "District nodal"
    assert not (await StaffUser.get(id=tree.users["officer_a"].id)).active
    assert not await Membership.get(user_id=tree.users["reviewer_a"].id, unit_id=tree.district_a.id).values_list(
        "active", flat=True)
    # Importing the same files again finds nothing left to do.
    again = await import_org(settings, admin, units_csv=units_text, officers_csv=officers_text, dry_run=True, now=NOW)
    assert counts(again) == ZERO


async def test_district_nodal_officer_cannot_import_or_export_another_district(settings: Settings) -> None:
    """Policy: IMPORT_ORG belongs to nodal officers and admins within their subtree (seed
    000: each level sets up the level below). A district nodal officer or admin who names
    another district's units or accounts gets one `forbidden:` field error per row inside
    the VALIDATION error, listed with every other problem; a citizen is refused outright."""
    tree = await small_state(settings)
    nodal_a = await actor_for(tree.users["nodal_a"])
    text = units_csv(u("BR-REV-B-2", "BR-REV-B", "block"))
    before = await snapshot()
    with pytest.raises(DomainError) as refused:
        await import_org(settings, nodal_a, units_csv=text, officers_csv=None, dry_run=True, now=NOW)
    assert refused.value.code is ErrorCode.VALIDATION
    assert [e.field for e in refused.value.field_errors] == ["units.csv:2:parent_code"]
    assert refused.value.field_errors[0].message.startswith("forbidden")
    assert await snapshot() == before
    with pytest.raises(DomainError) as citizen:
        await import_org(settings, Actor(ActorKind.CITIZEN, 1), units_csv=text, officers_csv=None, dry_run=True,
                         now=NOW)
    assert citizen.value.code is ErrorCode.FORBIDDEN

    admin_a_user = await staff(settings, "admin_a", (tree.district_a, Role.ORG_ADMIN))
    admin_a = await actor_for(admin_a_user)
    before = await snapshot()
    with pytest.raises(DomainError) as bad:
        await import_org(settings, admin_a, units_csv=units_csv(
            u("BR-REV-A-2", "BR-REV-A", "block"),  # 2: allowed
            u("BR-REV-B-2", "BR-REV-B", "block"),  # 3: another district
            u("BR-REV-B", "BR-REV", "district", name_en="Renamed", area_codes="BR-B"),  # 4: editing it
        ), officers_csv=officers_csv(
            o("nodal_b", "BR-REV-B", "nodal_officer", mobile="9999999999"),  # 2: probing another district's account
            {"username": "new.b", "full_name": "New B", "unit_code": "BR-REV-B", "role": "officer"},  # 3
        ), dry_run=False, now=NOW)
    assert bad.value.code is ErrorCode.VALIDATION
    problems = {e.field: e.message for e in bad.value.field_errors}
    assert set(problems) == {
        "units.csv:3:parent_code", "units.csv:4:code", "officers.csv:2:username", "officers.csv:3:unit_code",
    }
    assert all(m.startswith("forbidden:") for m in problems.values())
    assert await snapshot() == before

    with pytest.raises(DomainError) as refused:
        await export_units(nodal_a, root_unit_id=tree.district_b.id)
    assert refused.value.code is ErrorCode.FORBIDDEN
    with pytest.raises(DomainError) as refused:
        await export_officers(nodal_a, root_unit_id=tree.district_b.id)
    assert refused.value.code is ErrorCode.FORBIDDEN
    own = list(csv.DictReader(io.StringIO(await export_units(nodal_a, root_unit_id=tree.district_a.id))))
    assert [r["code"] for r in own] == ["BR-REV-A", "BR-REV-A-1"]


class FakePendingWork:
    """Stands in for the grievance domain: pending items per staff account."""

    name = "fake-grievances"

    def __init__(self, per_user: dict[int, int], *, refuse: bool = False) -> None:
        self.per_user = dict(per_user)
        self.refuse = refuse

    async def count_for_units(self, unit_ids: Sequence[int]) -> int:
        return 0

    async def move_unit_work(self, from_unit_ids: Sequence[int], to_unit_id: int, *, actor: Actor,
                             now: datetime) -> int:
        return 0

    async def count_for_users(self, user_ids: Sequence[int]) -> int:
        return sum(self.per_user.get(i, 0) for i in user_ids)

    async def move_user_work(self, from_user_id: int, to_user_id: int, *, actor: Actor, now: datetime) -> int:
        if self.refuse:
            raise DomainError(ErrorCode.CONFLICT, "a pending grievance is locked by another officer")
        moved = self.per_user.pop(from_user_id, 0)
        self.per_user[to_user_id] = self.per_user.get(to_user_id, 0) + moved
        return moved

    async def list_for_units(self, unit_ids: Sequence[int]) -> list[str]:
        return []

    async def list_for_users(self, user_ids: Sequence[int]) -> list[str]:
        return [f"item-of-{i}" for i in user_ids for _ in range(self.per_user.get(i, 0))]

    async def rewrite_unit_paths(self, old_prefix: str, new_prefix: str) -> None:
        return None


@pytest.fixture
def fake_work() -> Iterator[list[FakePendingWork]]:
    registered: list[FakePendingWork] = []
    yield registered
    for provider in registered:
        pending_work._providers.remove(provider)


def register(registered: list[FakePendingWork], provider: FakePendingWork) -> FakePendingWork:
    pending_work.register(provider)
    registered.append(provider)
    return provider


async def test_failure_in_phase_two_rolls_back_everything_before_it(
    settings: Settings, fake_work: list[FakePendingWork]
) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    register(fake_work, FakePendingWork({tree.users["officer_a"].id: 2}, refuse=True))
    units_text, officers_text = _changes(tree)
    before = await snapshot()
    with pytest.raises(DomainError) as failed:
        await import_org(settings, admin, units_csv=units_text, officers_csv=officers_text, dry_run=False, now=NOW)
    assert failed.value.code is ErrorCode.VALIDATION
    assert [e.field for e in failed.value.field_errors] == ["officers.csv:6:account_active"]
    assert "locked" in failed.value.field_errors[0].message
    assert "nothing was imported" in failed.value.message
    # Units created and moved, accounts created and roles changed before it: all undone.
    assert await snapshot() == before
    assert not await Unit.exists(code="BR-REV-C")
    assert not await StaffUser.exists(username="cmo.c")


async def test_cycles_are_refused_and_a_parent_child_swap_is_applied_in_order(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    with pytest.raises(DomainError) as bad:
        await import_org(settings, admin, units_csv=units_csv(
            u("BR-N1", "BR-REV-A-1", "office"),  # 2: new, under the block ...
            u("BR-REV-A", "BR-N1", "district", area_codes="BR-A", name_hi="BR-REV-A कार्यालय"),  # 3: ... above it
        ), officers_csv=None, dry_run=False, now=NOW)
    assert {e.field for e in bad.value.field_errors} == {"units.csv:2:parent_code", "units.csv:3:parent_code"}

    # District A goes under its own block's position: the block first moves up to the department.
    report = await import_org(settings, admin, units_csv=units_csv(
        u("BR-REV-A", "BR-REV-A-1", "district", area_codes="BR-A", name_en="BR-REV-A office",
          name_hi="BR-REV-A कार्यालय"),
        u("BR-REV-A-1", "BR-REV", "block", area_codes="BR-A-1", name_en="BR-REV-A-1 office",
          name_hi="BR-REV-A-1 कार्यालय"),
    ), officers_csv=None, dry_run=False, now=NOW)
    assert report.units_moved == 2 and report.units_updated == 0
    block, district = await Unit.get(id=tree.block_a.id), await Unit.get(id=tree.district_a.id)
    assert block.path == f"{tree.dept.path}{block.id}/" and district.path == f"{block.path}{district.id}/"
    assert district.depth == 4


async def test_seed_000_flat_accounts_rebuilt_into_the_real_tree(
    settings: Settings, fake_work: list[FakePendingWork]
) -> None:
    """Mizoram DP&AR, March 2025: every account sat flat under the state nodal department.
    One import builds department -> directorate -> district office, maps each right
    account to its unit, revokes the flat roles and retires the redundant accounts,
    moving their pending grievances to the right ones."""
    india = await unit("IN", UnitKind.NATIONAL_NODAL, None, area_codes=["IN"])
    state = await unit("MZ-DPAR", UnitKind.STATE_NODAL, india, area_codes=["MZ"])
    dpar = await staff(settings, "dpar.nodal", (state, Role.ORG_ADMIN))
    wrong = {
        "dept.health": await staff(settings, "dept.health", (state, Role.NODAL_OFFICER)),
        "dir.health": await staff(settings, "dir.health", (state, Role.NODAL_OFFICER)),
        "dist.aizawl.health": await staff(settings, "dist.aizawl.health", (state, Role.OFFICER)),
        "health.old1": await staff(settings, "health.old1", (state, Role.OFFICER)),
        "health.old2": await staff(settings, "health.old2", (state, Role.NODAL_OFFICER)),
    }
    old1, old2 = wrong["health.old1"], wrong["health.old2"]
    for user in (old1, old2):
        await Session.create(token_hash=f"hash-{user.username}", staff_user=user, created_at=NOW,
                             expires_at=NOW + timedelta(hours=12))
    work = register(fake_work, FakePendingWork({old1.id: 7, old2.id: 3, wrong["dept.health"].id: 1}))
    audit_before = await AuditEvent.all().count()

    units_text = units_csv(
        u("MZ-HEALTH-DHS-AIZ", "MZ-HEALTH-DHS", "district", name_en="Health, Aizawl District", area_codes="MZ-AIZ"),
        u("MZ-HEALTH", "MZ-DPAR", "department", name_en="Health & Family Welfare Department"),
        u("MZ-HEALTH-DHS", "MZ-HEALTH", "directorate", name_en="Directorate of Health Services",
          appellate_authority_code="MZ-HEALTH", escalation_authority_codes="MZ-HEALTH;MZ-DPAR"),
    )
    officers_text = officers_csv(
        o("dept.health", "MZ-HEALTH", "nodal_officer", designation="Nodal Officer, H&FW"),
        o("dept.health", "MZ-DPAR", "nodal_officer", designation="Nodal Officer, H&FW", role_active="false"),
        o("dir.health", "MZ-HEALTH-DHS", "nodal_officer"),
        o("dir.health", "MZ-DPAR", "nodal_officer", role_active="false"),
        o("dist.aizawl.health", "MZ-HEALTH-DHS-AIZ", "officer"),
        o("dist.aizawl.health", "MZ-DPAR", "officer", role_active="false"),
        o("health.old1", "MZ-DPAR", "officer", account_active="false", successor_username="dist.aizawl.health"),
        o("health.old2", "MZ-DPAR", "nodal_officer", role_active="false", account_active="false",
          successor_username="dept.health"),
        {"username": "cmo.aizawl", "full_name": "Chief Medical Officer, Aizawl", "designation": "CMO",
         "unit_code": "MZ-HEALTH-DHS-AIZ", "role": "head"},
    )
    actor = await actor_for(dpar)
    preview = await import_org(settings, actor, units_csv=units_text, officers_csv=officers_text, dry_run=True,
                               now=NOW)
    # The fake keeps its items in memory, outside the rolled-back transaction; a real
    # provider's rows would be rolled back with the preview.
    work.per_user = {old1.id: 7, old2.id: 3, wrong["dept.health"].id: 1}
    assert await StaffUser.get(id=old1.id).values_list("active", flat=True)
    report = await import_org(settings, actor, units_csv=units_text, officers_csv=officers_text, dry_run=False,
                              now=NOW)
    assert counts(report) == counts(preview) == {
        **ZERO, "units_created": 3, "accounts_created": 1, "accounts_updated": 1, "accounts_deactivated": 2,
        "roles_granted": 4, "roles_revoked": 4, "pending_items_moved": 10,
    }

    dept = await Unit.get(code="MZ-HEALTH")
    directorate = await Unit.get(code="MZ-HEALTH-DHS")
    district = await Unit.get(code="MZ-HEALTH-DHS-AIZ")
    assert (dept.path, dept.depth) == (f"{state.path}{dept.id}/", 2)
    assert (directorate.path, directorate.depth) == (f"{dept.path}{directorate.id}/", 3)
    assert (district.path, district.depth) == (f"{directorate.path}{district.id}/", 4)
    assert directorate.appellate_authority_id == dept.id  # type: ignore[attr-defined]

    async def active_roles(username: str) -> set[tuple[str, str]]:
        rows = await Membership.filter(user__username=username, active=True).values_list("unit__code", "role")
        return {(str(code), Role(role).value) for code, role in rows}

    assert await active_roles("dpar.nodal") == {("MZ-DPAR", "org_admin")}
    assert await active_roles("dept.health") == {("MZ-HEALTH", "nodal_officer")}
    assert await active_roles("dir.health") == {("MZ-HEALTH-DHS", "nodal_officer")}
    assert await active_roles("dist.aizawl.health") == {("MZ-HEALTH-DHS-AIZ", "officer")}
    assert await active_roles("cmo.aizawl") == {("MZ-HEALTH-DHS-AIZ", "head")}
    assert (await StaffUser.get(username="dept.health")).designation == "Nodal Officer, H&FW"
    for user in (old1, old2):
        retired = await StaffUser.get(id=user.id)
        assert not retired.active and retired.deactivated_at == NOW
        assert await active_roles(user.username) == set()
        assert not await Session.filter(staff_user_id=user.id, revoked_at=None).exists()
    # The redundant accounts' backlog went to the right accounts.
    right = {name: (await StaffUser.get(username=name)).id for name in ("dist.aizawl.health", "dept.health")}
    assert work.per_user == {right["dist.aizawl.health"]: 7, right["dept.health"]: 1 + 3}

    actions: list[Any] = await AuditEvent.filter(id__gt=0).order_by("id").offset(audit_before).values_list("action", flat=True)
    assert sorted(actions) == sorted(
        ["unit_created"] * 3 + ["account_created", "account_updated"] + ["role_granted"] * 3
        + ["role_revoked"] * 4 + ["account_deactivated"] * 2
    )
    for user in (old1, old2, wrong["dept.health"]):
        assert await verify_chain("staff_user", user.id)
    assert await verify_chain("unit", directorate.id)
    assert report.set_password_links and report.set_password_links[0][0] == "cmo.aizawl"


async def test_edge_rules(settings: Settings) -> None:
    tree = await small_state(settings)
    admin = await actor_for(tree.users["stateadmin"])
    with pytest.raises(DomainError) as bad:
        await import_org(settings, admin, units_csv=units_csv(
            u("XX", "", "state_nodal"),  # 2: a new root is the system's to make
            u("BR-REV-A", "BR-REV", "district", area_codes="BR-A", active="false",  # 3: deactivated ...
              name_en="BR-REV-A office", name_hi="BR-REV-A कार्यालय"),
            u("BR-REV-A-9", "BR-REV-A", "block"),  # 4: ... so nothing new goes under it
        ) + "BR-Z,BR-REV,office,Z\n",  # 5: too few cells
            officers_csv=officers_csv(
                o("nodal_b", "BR-REV-B", "reviewer", role_active="false"),  # 2: nothing to revoke
                o("officer_a", "BR-REV-A-1", "head"),  # 3: a new role in a unit being deactivated
            ), dry_run=False, now=NOW)
    assert sorted(e.field for e in bad.value.field_errors) == [
        "officers.csv:2:role_active", "officers.csv:3:unit_code",
        "units.csv:2:parent_code", "units.csv:4:parent_code", "units.csv:5:row",
    ]

    # Links may name a unit the same file creates further down; a subtree deactivates once.
    report = await import_org(settings, admin, units_csv=units_csv(
        u("BR-REV-C", "BR-REV", "district", appellate_authority_code="BR-REV-D"),
        u("BR-REV-D", "BR-REV", "district"),
        u("BR-REV-A", "BR-REV", "district", area_codes="BR-A", active="false",
          name_en="BR-REV-A office", name_hi="BR-REV-A कार्यालय"),
        u("BR-REV-A-1", "BR-REV-A", "block", area_codes="BR-A-1", active="false",
          name_en="BR-REV-A-1 office", name_hi="BR-REV-A-1 कार्यालय"),
    ), officers_csv=None, dry_run=False, now=NOW)
    assert counts(report) == {**ZERO, "units_created": 2, "units_deactivated": 2}
    c, d = await Unit.get(code="BR-REV-C"), await Unit.get(code="BR-REV-D")
    assert c.appellate_authority_id == d.id  # type: ignore[attr-defined]
    assert not await Unit.filter(path__startswith=tree.district_a.path, active=True).exists()

    # The system (CLI) may import anything, including a new root.
    report = await import_org(settings, SYSTEM, units_csv=units_csv(u("XX", "", "state_nodal")), officers_csv=None,
                              dry_run=False, now=NOW)
    assert report.units_created == 1 and (await Unit.get(code="XX")).depth == 0
