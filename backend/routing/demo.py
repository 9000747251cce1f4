"""Routing rules for the Bihar demo, set through the real service as the system.

The demo routes Patna and Gaya, the two districts whose blocks it has:
- each department's services (the top of its category tree, "Others" excepted: those
  need a person to read them, so they wait with the cell) filed in a district go to
  that department's district office: Revenue's to the District Magistrate's office
  (PAT-DM), Home's to the Superintendent of Police (PAT-SP), Health's to the Civil
  Surgeon (PAT-CS), and so on;
- the Revenue services a circle (anchal) office delivers itself - mutation, land
  records, LPC, caste / income / residence certificates, land measurement - filed in a
  block's area go straight to that block office: the more specific area wins over the
  district rule. In Bihta they also name the BDO, the demo's last-mile functionary.

Call after the units, accounts and categories exist. Categories, units or accounts that
are not there are skipped, so it is safe on a partial load; a second run replaces the
same rules rather than adding any.
"""

from __future__ import annotations

from datetime import datetime

from backend.accounts.models import StaffUser
from backend.authz.actors import SYSTEM
from backend.categories.models import Category
from backend.demo import bihar_data as data
from backend.orgs.models import Unit
from backend.routing.selectors import officer_may_act
from backend.routing.services import RuleInput, set_rule

DEMO_DISTRICTS = ("PAT", "GAY")
# The loader puts the District Magistrates' offices, not the land records offices,
# under Revenue: they run the land administration and the district grievance cell.
_DISTRICT_OFFICE_SUFFIX = {"REV": "DM"}
# Revenue services delivered by the circle office at the block.
BLOCK_SERVICES = ("REV-MUT", "REV-LR", "REV-LPC", "REV-RTPS", "REV-SURVEY-MAPI")
# Block office code -> the account that acts there.
BLOCK_OFFICERS = {"PAT-BIHTA": "bdo.bihta"}

Plan = tuple[str, str, str, str | None]  # category code, area code, unit code, officer username


def _district_office(department_code: str, district_code: str) -> str:
    department = next((d for d in data.DEPARTMENTS if d.code == department_code), None)
    suffix = _DISTRICT_OFFICE_SUFFIX.get(department_code) or (department.district_office.suffix if department else "")
    return f"{district_code}-{suffix}"


def planned_rules() -> list[Plan]:
    """Every demo rule, most general first."""
    from backend.demo.categories_data import CATEGORY_TREES

    rules: list[Plan] = []
    for district in DEMO_DISTRICTS:
        for department_code, nodes in CATEGORY_TREES.items():
            office = _district_office(department_code, district)
            rules.extend((node.code, data.area_code(district), office, None) for node in nodes if not node.others)
    for district in DEMO_DISTRICTS:
        for block in data.BLOCKS.get(district, ()):
            officer = BLOCK_OFFICERS.get(block.code)
            rules.extend((code, data.area_code(block.code), block.code, officer) for code in BLOCK_SERVICES)
    return rules


async def load_demo_rules(now: datetime) -> int:
    """Set the demo rules; returns how many were set."""
    plan = planned_rules()
    categories = {c.code: c for c in await Category.filter(code__in=sorted({p[0] for p in plan}), active=True)}
    units = {u.code: u for u in await Unit.filter(code__in=sorted({p[2] for p in plan}), active=True)}
    usernames = sorted({p[3] for p in plan if p[3]})
    officers = {u.username: u for u in await StaffUser.filter(username__in=usernames, active=True)}
    count = 0
    for category_code, area_code, unit_code, username in plan:
        category, unit = categories.get(category_code), units.get(unit_code)
        if category is None or unit is None:
            continue
        officer = officers.get(username) if username else None
        officer_id = officer.id if officer and await officer_may_act(officer.id, unit.id) else None
        await set_rule(SYSTEM, RuleInput(category.id, area_code, unit.id, officer_id), now)
        count += 1
    return count
