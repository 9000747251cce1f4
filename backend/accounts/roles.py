"""Staff roles (held per unit) and which of them reach down the unit's subtree."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CALL_CENTRE_AGENT = "call_centre_agent"
    CELL_OPERATOR = "cell_operator"
    NODAL_OFFICER = "nodal_officer"
    OFFICER = "officer"
    REVIEWER = "reviewer"
    HEAD = "head"
    ESCALATION_AUTHORITY = "escalation_authority"
    APPELLATE_AUTHORITY = "appellate_authority"
    ORG_ADMIN = "org_admin"
    SYSTEM_ADMIN = "system_admin"


# A last-mile officer acts for their own office only; every other role supervises,
# registers or administers on behalf of the whole subtree below its unit.
SUBTREE_ROLES: frozenset[Role] = frozenset(Role) - {Role.OFFICER}
