"""Loads the Bihar demo state through the real services (so it is audited and valid).

national nodal (DARPG) -> state nodal (Chief Secretary's office) -> grievance cell, OSD,
Chief Secretary, call centre, and the administrative departments -> their directorates
-> an office in each of the 38 districts (DM offices under Revenue, SP offices under
Home, ...) -> the blocks of Patna and Gaya under their DM offices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from backend.accounts.models import StaffUser
from backend.accounts.passwords import hash_password
from backend.accounts.roles import Role
from backend.accounts.services import AccountInput, MembershipInput, create_account
from backend.authz.actors import SYSTEM
from backend.categories.demo import load_demo_categories
from backend.demo import bihar_data as data
from backend.demo.grievances import load_demo_grievances
from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit
from backend.orgs.services import UnitInput, create_unit
from backend.routing.demo import load_demo_rules
from backend.settings import Settings
from backend.sla.demo import load_demo_sla

DEMO_PASSWORD = "demo-pass-2026"
DEMO_CITIZEN_MOBILE = "9000000001"
CHIEF_SECRETARY = data.TopUnit("CS", "Chief Secretary, Bihar", "मुख्य सचिव, बिहार")
DM_OFFICE = data.DistrictOffice(
    suffix="DM", name_en_template="Office of the District Magistrate, {district}",
    name_hi_template="जिला पदाधिकारी कार्यालय, {district}", role_title_en="District Magistrate",
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    designation: str
    unit_code: str
    role: Role


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("sysadmin", "System Administrator", "System admin", data.NATIONAL_NODAL.code, Role.SYSTEM_ADMIN),
    DemoAccount("state.admin", "State Portal Admin", "Org admin", data.STATE_NODAL.code, Role.ORG_ADMIN),
    DemoAccount("cell.operator", "Grievance Cell Operator", "Portal representative", data.STATE_NODAL.code,
                Role.CELL_OPERATOR),
    DemoAccount("osd", "OSD to Chief Secretary", "Officer on Special Duty", data.OSD_OFFICE.code,
                Role.ESCALATION_AUTHORITY),
    DemoAccount("chief.secretary", "Chief Secretary", "Chief Secretary", CHIEF_SECRETARY.code,
                Role.ESCALATION_AUTHORITY),
    DemoAccount("secretary.revenue", "Secretary, Revenue & Land Reforms", "Administrative Secretary", "REV",
                Role.HEAD),
    DemoAccount("nodal.revenue", "Nodal Officer, Revenue", "Joint Secretary", "REV", Role.NODAL_OFFICER),
    DemoAccount("appellate.revenue", "Appellate Authority, Revenue", "Additional Chief Secretary", "REV",
                Role.APPELLATE_AUTHORITY),
    DemoAccount("dm.patna", "District Magistrate, Patna", "District Magistrate", "PAT-DM", Role.REVIEWER),
    DemoAccount("nodal.patna", "District Nodal Officer, Patna", "ADM (Public Grievance)", "PAT-DM",
                Role.NODAL_OFFICER),
    DemoAccount("bdo.bihta", "Block Development Officer, Bihta", "BDO", "PAT-BIHTA", Role.OFFICER),
    DemoAccount("sp.patna", "Superintendent of Police, Patna", "SP", "PAT-SP", Role.REVIEWER),
    DemoAccount("dm.gaya", "District Magistrate, Gaya", "District Magistrate", "GAY-DM", Role.REVIEWER),
    DemoAccount("agent", "Call Centre Agent", "Agent", data.CALL_CENTRE.code, Role.CALL_CENTRE_AGENT),
)


async def demo_loaded() -> bool:
    return await Unit.exists(code=data.NATIONAL_NODAL.code)


async def _unit(code: str, kind: UnitKind, en: str, hi: str, parent: Unit | None, *,
                areas: list[str] | None = None, ladder: list[int] | None = None,
                appellate: int | None = None, now: datetime) -> Unit:
    return await create_unit(
        SYSTEM,
        UnitInput(code=code, kind=kind, names={"en": en, "hi": hi}, area_codes=areas or [],
                  appellate_authority_id=appellate, escalation_authority_ids=ladder or []),
        parent_id=parent.id if parent else None, now=now,
    )


async def load_demo(settings: Settings, now: datetime) -> int:
    """Create the demo state; returns the number of units. Call once (see demo_loaded)."""
    async with in_transaction():
        national = await _unit(data.NATIONAL_NODAL.code, UnitKind.NATIONAL_NODAL, data.NATIONAL_NODAL.name_en,
                               data.NATIONAL_NODAL.name_hi, None, areas=["IN"], now=now)
        state = await _unit(data.STATE_NODAL.code, UnitKind.STATE_NODAL, data.STATE_NODAL.name_en,
                            data.STATE_NODAL.name_hi, national, areas=[data.AREA_CODE_PREFIX], now=now)
        await _unit(data.CS_CELL.code, UnitKind.CELL, data.CS_CELL.name_en, data.CS_CELL.name_hi, state, now=now)
        osd = await _unit(data.OSD_OFFICE.code, UnitKind.OFFICE, data.OSD_OFFICE.name_en, data.OSD_OFFICE.name_hi,
                          state, now=now)
        cs = await _unit(CHIEF_SECRETARY.code, UnitKind.OFFICE, CHIEF_SECRETARY.name_en, CHIEF_SECRETARY.name_hi,
                         state, now=now)
        # What the state's cell disposes of itself (rejections at intake) is appealed to
        # the Chief Secretary's office.
        await Unit.filter(id=state.id).update(appellate_authority_id=cs.id)
        await _unit(data.CALL_CENTRE.code, UnitKind.CALL_CENTRE, data.CALL_CENTRE.name_en, data.CALL_CENTRE.name_hi,
                    state, areas=[data.AREA_CODE_PREFIX], now=now)
        # Seed 004: a missed deadline goes to the OSD, then to the Chief Secretary.
        ladder = [osd.id, cs.id]
        for dept in data.DEPARTMENTS:
            department = await _unit(dept.code, UnitKind.DEPARTMENT, dept.name_en, dept.name_hi, state,
                                     areas=[data.AREA_CODE_PREFIX], ladder=ladder, appellate=cs.id, now=now)
            directorates = [
                await _unit(d.code, UnitKind.DIRECTORATE, d.name_en, d.name_hi, department, ladder=ladder,
                            appellate=department.id, now=now)
                for d in dept.directorates
            ]
            office = DM_OFFICE if dept.code == "REV" else dept.district_office
            for district in data.DISTRICTS:
                district_unit = await _unit(
                    f"{district.code}-{office.suffix}", UnitKind.DISTRICT,
                    office.name_en_template.format(district=district.name_en),
                    office.name_hi_template.format(district=district.name_hi),
                    directorates[0], areas=[data.area_code(district.code)], ladder=ladder,
                    appellate=department.id, now=now,
                )
                if dept.code == "REV":
                    for block in data.BLOCKS.get(district.code, ()):
                        await _unit(block.code, UnitKind.BLOCK, f"Block Office, {block.name_en}",
                                    f"प्रखंड कार्यालय, {block.name_hi}", district_unit,
                                    areas=[data.area_code(block.code)], ladder=ladder,
                                    appellate=district_unit.id, now=now)
        units = {u.code: u for u in await Unit.all()}
        for account in DEMO_ACCOUNTS:
            created = await create_account(
                settings, SYSTEM,
                AccountInput(username=account.username, full_name=account.full_name,
                             designation=account.designation,
                             memberships=(MembershipInput(units[account.unit_code].id, account.role),)),
                now=now,
            )
            # Demo accounts get a known password, printed by `grievance demo`; real
            # accounts only ever get a one-time set-password link.
            await StaffUser.filter(id=created.user.id).update(password_hash=hash_password(DEMO_PASSWORD))
    # Categories, routing rules and the demo citizen's grievances go through their own
    # services (each in its own transactions), after the tree and accounts exist.
    await load_demo_categories(now)
    await load_demo_sla(data.STATE_NODAL.code, now)
    await load_demo_rules(now)
    await load_demo_grievances(settings, now)
    # Nothing else writes while the demo loads: count it all into the dashboard's rollups
    # now rather than after the refresher's settle time.
    from backend.stats.refresh import SETTLE, refresh_all

    await refresh_all(now + SETTLE)
    return len(units)


def demo_sign_ins() -> list[str]:
    lines = [f"  {a.username:<18} {a.role.value:<22} {a.unit_code}" for a in DEMO_ACCOUNTS]
    return [
        f"Staff sign-ins (password for all: {DEMO_PASSWORD}):",
        *lines,
        f"Citizen: mobile {DEMO_CITIZEN_MOBILE}; the OTP is written to the SMS log (var/sms-outbox.log).",
    ]
