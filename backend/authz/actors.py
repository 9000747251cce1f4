"""Who is acting: resolved once per request (or job) and passed to every service."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from backend.accounts.roles import SUBTREE_ROLES, Role


class ActorKind(StrEnum):
    ANONYMOUS = "anonymous"
    CITIZEN = "citizen"
    STAFF = "staff"
    SYSTEM = "system"


@dataclass(frozen=True)
class Grant:
    """One active membership: `role` held in the unit at `unit_path`."""

    unit_id: int
    unit_path: str
    role: Role

    def covers(self, path: str) -> bool:
        if self.role in SUBTREE_ROLES:
            return path.startswith(self.unit_path)
        return path == self.unit_path


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: int | None = None
    name: str = ""
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    session_id: int | None = None

    @property
    def audit_id(self) -> str:
        return "" if self.id is None else str(self.id)

    @property
    def is_staff(self) -> bool:
        return self.kind is ActorKind.STAFF

    @property
    def is_citizen(self) -> bool:
        return self.kind is ActorKind.CITIZEN


ANONYMOUS = Actor(ActorKind.ANONYMOUS)
# Jobs, the CLI and the demo loader act as the system: every action still names it.
SYSTEM = Actor(ActorKind.SYSTEM, name="system")
