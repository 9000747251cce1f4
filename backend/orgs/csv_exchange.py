"""Bulk import and export of the organisation tree and its officers as CSV (seed 000).

Two files travel together: `units.csv` (one row per unit, `UNIT_COLUMNS`) and
`officers.csv` (one row per role an account holds in a unit, `OFFICER_COLUMNS`).
Multi-valued cells are separated by `;`; booleans read true/false/yes/no/1/0 and an
empty `active` / `role_active` / `account_active` means true. Exporting and importing
the same text back changes nothing.

An import is all-or-nothing:

- Phase 1 reads both files without writing and collects every problem as a
  `FieldError` named `units.csv:<line>:<column>` / `officers.csv:<line>:<column>`
  (`line` is the physical line, the header is line 1; a problem with a whole row uses
  the column name `row`). Any problem: one VALIDATION error, nothing written.
- Phase 2 applies the plan in one transaction through the ordinary services, in this
  order: units created / moved (parents before children) -> units' own fields updated
  -> accounts created -> existing accounts updated, roles granted and revoked ->
  accounts deactivated (their pending work moves to the successor) -> units
  deactivated. A `DomainError` from a service rolls everything back and comes out as
  a VALIDATION error naming the row that caused it. A dry run runs phase 2 too and
  rolls it back deliberately, so its report is exactly what the real run would do.

Authority (decided by `backend.authz.policy`, never here):

- An actor who holds `IMPORT_ORG` nowhere is refused at once with FORBIDDEN (or
  UNAUTHENTICATED): there is nothing useful to list row by row.
- Otherwise every row is checked, changed or not, so that an import cannot be used to
  probe data the actor may not see: `IMPORT_ORG` on the row's unit (a new unit: on
  its parent; a parent created by the same file: on its nearest existing ancestor),
  plus what the service that applies the row requires. An existing account must be
  visible to the actor (`VIEW_ACCOUNTS` where it holds a role) and, when its details
  change or it is deactivated, manageable. Refusals are field errors whose message
  starts with `forbidden:` inside the VALIDATION error, so one report lists them with
  every other problem.

Counting: `units_moved` / `units_deactivated` / `pending_items_moved` are the
services' own numbers (a moved or deactivated unit carries its subtree along);
`roles_granted` includes the roles a new account is created with.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.transactions import in_transaction

from backend.accounts.models import Membership, StaffUser
from backend.accounts.roles import Role
from backend.accounts.services import (
    AccountInput,
    MembershipInput,
    _require_manage_user,
    clean_account,
    create_account,
    deactivate_account,
    grant_role,
    revoke_role,
)
from backend.audit.services import record
from backend.authz.actors import Actor, ActorKind
from backend.authz.policy import (
    Permission,
    may,
    require,
    require_may_grant,
    require_restructure,
    require_staff,
    visible_roots,
)
from backend.core.errors import DomainError, ErrorCode, FieldError, forbidden, not_found, validation_error
from backend.core.validation import check_area_codes, check_names, check_unit_code, check_username
from backend.orgs import pending_work
from backend.orgs.kinds import UnitKind
from backend.orgs.models import EscalationLevel, Unit
from backend.orgs.services import (
    MAX_ESCALATION_LEVELS,
    UnitInput,
    create_unit,
    deactivate_unit,
    move_subtree,
    update_unit,
)
from backend.settings import Settings

UNIT_COLUMNS = [
    "code", "parent_code", "kind", "name_en", "name_hi", "area_codes", "appellate_authority_code",
    "escalation_authority_codes", "active",
]
OFFICER_COLUMNS = [
    "username", "full_name", "designation", "mobile", "email", "language", "unit_code", "role", "role_active",
    "account_active", "successor_username",
]

UNITS_FILE = "units.csv"
OFFICERS_FILE = "officers.csv"
MAX_ROWS = 50_000
_CHUNK = 500
_TRUE = frozenset({"true", "yes", "1", ""})
_FALSE = frozenset({"false", "no", "0"})
_ACCOUNT_COLUMNS = {
    "username": "username", "fullName": "full_name", "designation": "designation", "mobile": "mobile",
    "email": "email", "language": "language",
}
_DETAIL_FIELDS = ("full_name", "designation", "mobile", "email", "language")


@dataclass
class ImportReport:
    dry_run: bool
    units_created: int = 0
    units_updated: int = 0
    units_moved: int = 0
    units_deactivated: int = 0
    accounts_created: int = 0
    accounts_updated: int = 0
    accounts_deactivated: int = 0
    roles_granted: int = 0
    roles_revoked: int = 0
    pending_items_moved: int = 0
    # (username, url) for new accounts; empty on a dry run (those links were never kept).
    set_password_links: list[tuple[str, str]] = field(default_factory=list)


class _DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


# --------------------------------------------------------------------------- reading


class _Problems:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, file: str, line: int, column: str, message: str) -> None:
        self.errors.append(FieldError(f"{file}:{line}:{column}", message))

    def relabel(self, file: str, line: int, found: Iterable[FieldError], columns: dict[str, str]) -> None:
        """Checker errors (`names.en`, `areaCodes[2]`) renamed to the file's columns."""
        for e in found:
            base = re.sub(r"\[\d+\]$", "", e.field)
            self.add(file, line, columns.get(base, base), e.message)

    def allowed(self, file: str, line: int, column: str, check: Callable[[], None]) -> bool:
        try:
            check()
        except DomainError as e:
            self.add(file, line, column, _describe(e))
            return False
        return True

    async def allowed_async(self, file: str, line: int, column: str, check: Callable[[], Awaitable[object]]) -> bool:
        try:
            await check()
        except DomainError as e:
            self.add(file, line, column, _describe(e))
            return False
        return True


def _fk(model: object, name: str) -> int | None:
    """A foreign key's raw id (`parent_id`): Tortoise adds these attributes at run time."""
    value = getattr(model, name)
    return int(value) if value is not None else None


def _describe(e: DomainError) -> str:
    detail = "; ".join(fe.message for fe in e.field_errors) or e.message
    return detail if e.code is ErrorCode.VALIDATION else f"{e.code.value.lower()}: {detail}"


def _read(text: str, file: str, columns: list[str], problems: _Problems) -> list[tuple[int, dict[str, str]]] | None:
    """Rows as (physical line, {column: stripped cell}); None when the header is unusable."""
    if text.startswith("\ufeff"):  # Excel's UTF-8 byte-order mark
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as e:
        problems.add(file, 1, "header", f"cannot be read as CSV: {e}")
        return None
    if header is None or not any(h.strip() for h in header):
        problems.add(file, 1, "header", f"the file is empty; the first line must name the columns {','.join(columns)}")
        return None
    names = [h.strip().lower() for h in header]
    bad = False
    for i, name in enumerate(names):
        if name not in columns:
            problems.add(file, 1, name or f"column {i + 1}", "unknown column")
            bad = True
        elif name in names[:i]:
            problems.add(file, 1, name, "column appears twice")
            bad = True
    for name in columns:
        if name not in names:
            problems.add(file, 1, name, "column is missing")
            bad = True
    if bad:
        return None
    rows: list[tuple[int, dict[str, str]]] = []
    next_line = reader.line_num + 1
    while True:
        line = next_line
        try:
            cells = next(reader, None)
        except csv.Error as e:
            problems.add(file, line, "row", f"cannot be read as CSV: {e}")
            return rows
        if cells is None:
            return rows
        next_line = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            problems.add(file, line, "row", f"has {len(cells)} cells; the header has {len(names)}")
            continue
        if len(rows) >= MAX_ROWS:
            problems.add(file, line, "row", f"more than {MAX_ROWS} rows in one file; split the import")
            return rows
        rows.append((line, {name: cell.strip() for name, cell in zip(names, cells, strict=True)}))


def _flag(value: str, file: str, line: int, column: str, problems: _Problems) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    problems.add(file, line, column, "must be true or false (yes/no, 1/0)")
    return True


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _code(value: str, file: str, line: int, column: str, problems: _Problems, *, required: bool) -> str:
    if not value:
        if required:
            problems.add(file, line, column, "is required")
        return ""
    found: list[FieldError] = []
    code = check_unit_code(column, value, found)
    problems.relabel(file, line, found, {})
    return "" if found else code


@dataclass
class _UnitRow:
    line: int
    code: str
    parent_code: str
    kind: UnitKind | None
    names: dict[str, str]
    area_codes: list[str]
    appellate_code: str
    escalation_codes: list[str]
    active: bool
    valid: bool
    existing: Unit | None = None
    create: bool = False
    update: bool = False
    move: bool = False
    deactivate: bool = False


@dataclass
class _OfficerRow:
    line: int
    account: AccountInput
    unit_code: str
    role: Role | None
    role_active: bool
    account_active: bool
    successor: str
    valid: bool
    grant: bool = False
    revoke_id: int | None = None


@dataclass
class _AccountPlan:
    username: str
    rows: list[_OfficerRow]
    existing: StaffUser | None
    changes: dict[str, str] = field(default_factory=dict)
    deactivate: bool = False

    @property
    def first(self) -> _OfficerRow:
        return self.rows[0]


def _parse_units(rows: list[tuple[int, dict[str, str]]], problems: _Problems) -> list[_UnitRow]:
    parsed: list[_UnitRow] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        before = len(problems.errors)
        f = UNITS_FILE
        code = _code(cells["code"], f, line, "code", problems, required=True)
        if code in seen:
            problems.add(f, line, "code", f"{code} is already on line {seen[code]}")
            code = ""
        elif code:
            seen[code] = line
        parent_code = _code(cells["parent_code"], f, line, "parent_code", problems, required=False)
        kind: UnitKind | None = None
        raw_kind = cells["kind"].lower()
        if not raw_kind:
            problems.add(f, line, "kind", "is required")
        else:
            try:
                kind = UnitKind(raw_kind)
            except ValueError:
                problems.add(f, line, "kind", f"must be one of {', '.join(k.value for k in UnitKind)}")
        found: list[FieldError] = []
        names = check_names("names", {"en": cells["name_en"], "hi": cells["name_hi"]}, found)
        area_codes = check_area_codes("area_codes", _split(cells["area_codes"]), found)
        problems.relabel(f, line, found, {"names.en": "name_en", "names.hi": "name_hi"})
        appellate = _code(cells["appellate_authority_code"], f, line, "appellate_authority_code", problems,
                          required=False)
        ladder = [
            _code(c, f, line, "escalation_authority_codes", problems, required=True)
            for c in _split(cells["escalation_authority_codes"])
        ]
        if len(ladder) > MAX_ESCALATION_LEVELS:
            problems.add(f, line, "escalation_authority_codes", f"at most {MAX_ESCALATION_LEVELS} levels")
        active = _flag(cells["active"], f, line, "active", problems)
        if code and code in (parent_code, appellate, *ladder):
            column = "parent_code" if code == parent_code else (
                "appellate_authority_code" if code == appellate else "escalation_authority_codes")
            problems.add(f, line, column, "a unit cannot refer to itself")
        parsed.append(_UnitRow(
            line=line, code=code, parent_code=parent_code, kind=kind, names=names, area_codes=area_codes,
            appellate_code=appellate, escalation_codes=ladder, active=active,
            valid=len(problems.errors) == before,
        ))
    return parsed


def _parse_officers(rows: list[tuple[int, dict[str, str]]], problems: _Problems) -> list[_OfficerRow]:
    parsed: list[_OfficerRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    first_of: dict[str, _OfficerRow] = {}
    for line, cells in rows:
        before = len(problems.errors)
        f = OFFICERS_FILE
        account, found = clean_account(AccountInput(
            username=cells["username"], full_name=cells["full_name"], designation=cells["designation"],
            mobile=cells["mobile"], email=cells["email"], language=cells["language"],
        ))
        problems.relabel(f, line, found, _ACCOUNT_COLUMNS)
        unit_code = _code(cells["unit_code"], f, line, "unit_code", problems, required=True)
        role: Role | None = None
        raw_role = cells["role"].lower()
        if not raw_role:
            problems.add(f, line, "role", "is required")
        else:
            try:
                role = Role(raw_role)
            except ValueError:
                problems.add(f, line, "role", f"must be one of {', '.join(r.value for r in Role)}")
        role_active = _flag(cells["role_active"], f, line, "role_active", problems)
        account_active = _flag(cells["account_active"], f, line, "account_active", problems)
        successor = ""
        if cells["successor_username"]:
            found = []
            successor = check_username("successor_username", cells["successor_username"], found)
            problems.relabel(f, line, found, {})
            if account_active:
                problems.add(f, line, "successor_username", "only for a row with account_active=false")
            elif successor == account.username:
                problems.add(f, line, "successor_username", "an account cannot succeed itself")
        row = _OfficerRow(
            line=line, account=account, unit_code=unit_code, role=role, role_active=role_active,
            account_active=account_active, successor=successor, valid=len(problems.errors) == before,
        )
        if account.username and unit_code and role is not None:
            key = (account.username, unit_code, role.value)
            if key in seen:
                problems.add(f, line, "username", f"the same account, unit and role are already on line {seen[key]}")
                row.valid = False
            else:
                seen[key] = line
        first = first_of.setdefault(account.username, row) if account.username else row
        if first is not row:
            mine: dict[str, object] = {**_details(account), "account_active": account_active,
                                       "successor_username": successor}
            theirs = {**_details(first.account), "account_active": first.account_active,
                      "successor_username": first.successor}
            for column, value in mine.items():
                if value != theirs[column]:
                    problems.add(f, line, column, f"differs from line {first.line} for the same account")
                    row.valid = False
        parsed.append(row)
    return parsed


def _details(account: AccountInput) -> dict[str, str]:
    return {name: getattr(account, name) for name in _DETAIL_FIELDS}


# --------------------------------------------------------------------------- planning


class _Planner:
    """Phase 1: everything is checked against the database and the files; nothing is written."""

    def __init__(self, actor: Actor, now: datetime, problems: _Problems) -> None:
        self.actor = actor
        self.now = now
        self.p = problems
        self.units: dict[str, _UnitRow] = {}
        self.by_code: dict[str, Unit] = {}
        self.by_id: dict[int, Unit] = {}
        self.ladders: dict[int, list[int]] = {}
        self._final_active: dict[str, bool] = {}

    # ---- the tree as it will be after the import

    def final_parent(self, code: str) -> str | None:
        row = self.units.get(code)
        if row is not None:
            return row.parent_code or None
        unit = self.by_code.get(code)
        parent_id = _fk(unit, "parent_id") if unit is not None else None
        parent = self.by_id.get(parent_id) if parent_id is not None else None
        return parent.code if parent is not None else None

    def known(self, code: str) -> bool:
        return code in self.units or code in self.by_code

    def final_active(self, code: str) -> bool:
        chain: list[str] = []
        cur: str | None = code
        while cur is not None and cur not in self._final_active and cur not in chain:
            chain.append(cur)
            cur = self.final_parent(cur)
        result = True if cur is None or cur in chain else self._final_active[cur]
        for c in reversed(chain):
            row = self.units.get(c)
            unit = self.by_code.get(c)
            own = row.active if row is not None else (unit.active if unit is not None else True)
            result = own and result
            self._final_active[c] = result
        return self._final_active[code]

    def deactivated_here(self, code: str) -> bool:
        unit = self.by_code.get(code)
        return unit is not None and unit.active and not self.final_active(code)

    def effective_path(self, code: str) -> str | None:
        """The unit's path, or for a unit this import creates its nearest existing ancestor's."""
        cur: str | None = code
        seen: set[str] = set()
        while cur is not None and cur not in seen:
            seen.add(cur)
            if cur in self.by_code:
                return self.by_code[cur].path
            cur = self.final_parent(cur)
        return None

    def depth(self, code: str) -> int:
        n, cur, seen = 0, self.final_parent(code), {code}
        while cur is not None and cur not in seen:
            seen.add(cur)
            n += 1
            cur = self.final_parent(cur)
        return n

    # ---- loading

    async def load(self, codes: set[str]) -> None:
        wanted = sorted(c for c in codes if c)
        for i in range(0, len(wanted), _CHUNK):
            for u in await Unit.filter(code__in=wanted[i:i + _CHUNK]):
                self.by_code[u.code] = u
                self.by_id[u.id] = u
        ancestors = sorted({int(p) for u in self.by_code.values() for p in u.path.strip("/").split("/") if p}
                           - set(self.by_id))
        for i in range(0, len(ancestors), _CHUNK):
            for u in await Unit.filter(id__in=ancestors[i:i + _CHUNK]):
                self.by_code[u.code] = u
                self.by_id[u.id] = u
        ids = sorted(self.by_id)
        for i in range(0, len(ids), _CHUNK):
            for unit_id, authority_id in await EscalationLevel.filter(unit_id__in=ids[i:i + _CHUNK]).order_by(
                "unit_id", "level"
            ).values_list("unit_id", "authority_id"):
                self.ladders.setdefault(int(unit_id), []).append(int(authority_id))

    # ---- units

    def permit(self, file: str, line: int, column: str, permission: Permission, path: str | None) -> bool:
        if path is None:
            return self.p.allowed(file, line, column, lambda: self._system_only())
        return self.p.allowed(file, line, column, lambda: require(self.actor, permission, path))

    def _system_only(self) -> None:
        if self.actor.kind is not ActorKind.SYSTEM:
            raise forbidden("Only the system may create a root unit")

    async def plan_units(self, rows: list[_UnitRow]) -> list[_UnitRow]:
        f = UNITS_FILE
        for row in rows:
            if row.code:
                self.units[row.code] = row
        for row in rows:
            for column, code in (("parent_code", row.parent_code), ("appellate_authority_code", row.appellate_code),
                                 *(("escalation_authority_codes", c) for c in row.escalation_codes)):
                if code and not self.known(code):
                    problems_for = f"no unit {code} exists or is defined in this file"
                    self.p.add(f, row.line, column, problems_for)
                    row.valid = False
        cyclic = self._cycles(rows)
        for row in rows:
            if row.code in cyclic:
                self.p.add(f, row.line, "parent_code", "makes a cycle: the unit would end up under itself")
                row.valid = False
        if cyclic:
            return []
        for row in rows:
            if row.valid:
                await self._plan_unit(row)
        ordered = [r for r in rows if r.valid]
        ordered.sort(key=lambda r: (self.depth(r.code), r.line))
        return ordered

    def _cycles(self, rows: list[_UnitRow]) -> set[str]:
        cyclic: set[str] = set()
        for row in rows:
            if not row.code or row.code in cyclic:
                continue
            chain: list[str] = []
            cur: str | None = row.code
            while cur is not None and cur not in chain:
                chain.append(cur)
                cur = self.final_parent(cur)
            if cur is not None:
                cyclic.update(c for c in chain[chain.index(cur):] if c in self.units)
        return cyclic

    async def _plan_unit(self, row: _UnitRow) -> None:
        f, line = UNITS_FILE, row.line
        unit = self.by_code.get(row.code)
        row.existing = unit
        parent = row.parent_code
        if parent and not self.final_active(parent) and row.active:
            why = "is deactivated by this import" if self.deactivated_here(parent) else "is inactive"
            self.p.add(f, line, "parent_code", f"{parent} {why}; an active unit cannot be under it")
            row.valid = False
        if unit is None:
            row.create = True
            if not row.active:
                self.p.add(f, line, "active", "a new unit is created active")
                row.valid = False
            path = self.effective_path(parent) if parent else None
            ok = self.permit(f, line, "parent_code", Permission.IMPORT_ORG, path)
            ok = ok and self.permit(f, line, "parent_code", Permission.CREATE_CHILD_UNIT, path)
            self._check_links(row)
            row.valid = row.valid and ok
            return
        if not self.permit(f, line, "code", Permission.IMPORT_ORG, unit.path):
            row.valid = False
            return
        current_parent_id = _fk(unit, "parent_id")
        current_parent = self.by_id.get(current_parent_id) if current_parent_id is not None else None
        current_parent_code = current_parent.code if current_parent is not None else ""
        if not parent and current_parent_code:
            self.p.add(f, line, "parent_code", f"is required: the unit is under {current_parent_code}")
            row.valid = False
        elif parent != current_parent_code:
            row.move = True
            new_path = self.effective_path(parent)
            ok = self.p.allowed(f, line, "parent_code", lambda: require_restructure(self.actor, unit.path))
            ok = ok and self.permit(f, line, "parent_code", Permission.IMPORT_ORG, new_path)
            ok = ok and self.permit(f, line, "parent_code", Permission.CREATE_CHILD_UNIT, new_path)
            target = self.by_code.get(parent)
            if target is not None and not target.active and not row.active:
                self.p.add(f, line, "parent_code", f"{parent} is inactive; a unit cannot move under it")
                ok = False
            row.valid = row.valid and ok
        if not unit.active and row.active:
            self.p.add(f, line, "active", "the unit is inactive; reactivating a unit is not supported")
            row.valid = False
        row.deactivate = unit.active and not row.active
        if row.deactivate and await self.p.allowed_async(
            f, line, "active",
            lambda: deactivate_unit(self.actor, unit_id=unit.id, successor_id=None, dry_run=True, now=self.now),
        ):
            parent_final = self.final_parent(row.code)
            # A unit under another one this import deactivates goes with it.
            row.deactivate = parent_final is None or self.final_active(parent_final)
        elif row.deactivate:
            row.valid = False
        row.update = self._differs(row, unit)
        if row.update:
            ok = self.permit(f, line, "code", Permission.EDIT_UNIT, unit.path)
            self._check_links(row)
            row.valid = row.valid and ok

    def _check_links(self, row: _UnitRow) -> None:
        for column, code in (("appellate_authority_code", row.appellate_code),
                             *(("escalation_authority_codes", c) for c in row.escalation_codes)):
            if code and not self.final_active(code):
                why = "is deactivated by this import" if self.deactivated_here(code) else "is inactive"
                self.p.add(UNITS_FILE, row.line, column, f"{code} {why}; it must be an active unit")
                row.valid = False

    def names_for(self, row: _UnitRow) -> dict[str, str]:
        """The file sets English and Hindi; names in other languages are kept."""
        current: dict[str, str] = (row.existing.names if row.existing else None) or {}
        kept = {k: v for k, v in current.items() if k not in ("en", "hi")}
        return {**kept, **row.names}

    def _differs(self, row: _UnitRow, unit: Unit) -> bool:
        def code_of(unit_id: int | None) -> str:
            if unit_id is None:
                return ""
            # A unit not loaded is one the file does not name: it differs from any cell.
            return self.by_id[unit_id].code if unit_id in self.by_id else f"#{unit_id}"

        return (
            row.kind != unit.kind
            or self.names_for(row) != (unit.names or {})
            or row.area_codes != list(unit.area_codes or [])
            or row.appellate_code != code_of(_fk(unit, "appellate_authority_id"))
            or row.escalation_codes != [code_of(i) for i in self.ladders.get(unit.id, [])]
        )

    # ---- officers

    async def plan_officers(self, rows: list[_OfficerRow]) -> list[_AccountPlan]:
        f = OFFICERS_FILE
        for row in rows:
            if row.unit_code and not self.known(row.unit_code):
                self.p.add(f, row.line, "unit_code", f"no unit {row.unit_code} exists or is defined in units.csv")
                row.valid = False
        groups: dict[str, list[_OfficerRow]] = {}
        for row in rows:
            if row.account.username:
                groups.setdefault(row.account.username, []).append(row)
        names = sorted(set(groups) | {r.successor for r in rows if r.successor})
        users: dict[str, StaffUser] = {}
        for i in range(0, len(names), _CHUNK):
            for u in await StaffUser.filter(username__in=names[i:i + _CHUNK]):
                users[u.username] = u
        ids = sorted(u.id for u in users.values())
        held: dict[int, list[tuple[int, int, str, Role, bool]]] = {}
        for i in range(0, len(ids), _CHUNK):
            for m_id, user_id, unit_id, path, role, active in await Membership.filter(
                user_id__in=ids[i:i + _CHUNK]
            ).values_list("id", "user_id", "unit_id", "unit__path", "role", "active"):
                held.setdefault(int(user_id), []).append((int(m_id), int(unit_id), str(path), Role(role), bool(active)))
        plans = [_AccountPlan(username, group, users.get(username)) for username, group in groups.items()]
        by_name = {plan.username: plan for plan in plans}
        for plan in plans:
            if plan.existing is None:
                self._plan_new_account(plan)
            else:
                await self._plan_existing_account(plan, held.get(plan.existing.id, []))
        for plan in plans:
            if plan.deactivate:
                await self._check_successor(plan, by_name, users)
            elif plan.first.successor and plan.first.successor not in by_name and plan.first.successor not in users:
                self.p.add(f, plan.first.line, "successor_username", f"no account {plan.first.successor}")
        return plans

    def _unit_usable(self, row: _OfficerRow) -> bool:
        if not self.known(row.unit_code):
            return False
        if self.final_active(row.unit_code):
            return True
        why = "is deactivated by this import" if self.deactivated_here(row.unit_code) else "is inactive"
        self.p.add(OFFICERS_FILE, row.line, "unit_code", f"{row.unit_code} {why}; no role can be held there")
        return False

    def _may_grant(self, row: _OfficerRow) -> bool:
        f, line = OFFICERS_FILE, row.line
        path = self.effective_path(row.unit_code)
        role = row.role
        if path is None or role is None:
            return self.permit(f, line, "unit_code", Permission.IMPORT_ORG, path)
        return self.p.allowed(f, line, "role", lambda: require_may_grant(self.actor, role, path))

    def _plan_new_account(self, plan: _AccountPlan) -> None:
        f = OFFICERS_FILE
        if not plan.first.account_active:
            self.p.add(f, plan.first.line, "account_active", "a new account is created active")
        for row in plan.rows:
            if not row.valid or not self.known(row.unit_code):
                continue
            if not row.role_active:
                self.p.add(f, row.line, "role_active", "a new account has no role to revoke")
                continue
            if (self.permit(f, row.line, "unit_code", Permission.IMPORT_ORG, self.effective_path(row.unit_code))
                    and self._unit_usable(row)):
                self._may_grant(row)

    async def _plan_existing_account(
        self, plan: _AccountPlan, held: list[tuple[int, int, str, Role, bool]]
    ) -> None:
        f, first = OFFICERS_FILE, plan.first
        user = plan.existing
        assert user is not None
        if self.actor.kind is not ActorKind.SYSTEM and not any(
            may(self.actor, Permission.VIEW_ACCOUNTS, path) for _, _, path, _, _ in held
        ):
            self.p.add(f, first.line, "username", "forbidden: you may not see or change this account")
            return
        if not all(r.valid for r in plan.rows):
            return
        current = {name: str(getattr(user, name)) for name in _DETAIL_FIELDS}
        plan.changes = {k: v for k, v in _details(first.account).items() if v != current[k]}
        plan.deactivate = user.active and not first.account_active
        if not user.active and first.account_active:
            self.p.add(f, first.line, "account_active", "the account is deactivated; reactivating is not supported")
            return
        if plan.changes or plan.deactivate:
            column = "account_active" if plan.deactivate else next(iter(plan.changes))
            await self.p.allowed_async(f, first.line, column, lambda: _require_manage_user(self.actor, user))
        if plan.deactivate and self.actor.kind is ActorKind.STAFF and self.actor.id == user.id:
            self.p.add(f, first.line, "account_active", "forbidden: you may not deactivate your own account")
        memberships = {(unit_id, role): (m_id, active) for m_id, unit_id, _, role, active in held}
        for row in plan.rows:
            if not self.permit(f, row.line, "unit_code", Permission.IMPORT_ORG, self.effective_path(row.unit_code)):
                continue
            assert row.role is not None
            unit = self.by_code.get(row.unit_code)
            m_id, m_active = memberships.get((unit.id, row.role), (None, False)) if unit else (None, False)
            if row.role_active and not m_active:
                if m_id is not None and (not first.account_active or not self.final_active(row.unit_code)):
                    pass  # the role lapsed, or lapses, with its account or unit: nothing to grant
                elif not first.account_active:
                    self.p.add(f, row.line, "role_active", "cannot grant a role to an account being deactivated")
                elif self._unit_usable(row) and self._may_grant(row):
                    row.grant = True
            elif not row.role_active and m_active:
                if self._may_grant(row):
                    row.revoke_id = m_id
            elif not row.role_active and m_id is None:
                self.p.add(f, row.line, "role_active", "the account does not hold this role here; nothing to revoke")
            # An active role in a unit or account this import deactivates lapses with it.

    async def _check_successor(
        self, plan: _AccountPlan, by_name: dict[str, _AccountPlan], users: dict[str, StaffUser]
    ) -> None:
        f, first = OFFICERS_FILE, plan.first
        name = first.successor
        if not name:
            if plan.existing is not None:
                pending = await pending_work.count_for_users([plan.existing.id])
                if pending:
                    self.p.add(f, first.line, "successor_username",
                               f"the account has {pending} pending items: name who takes them over")
            return
        other = by_name.get(name)
        if other is not None and not other.first.account_active:
            self.p.add(f, first.line, "successor_username", f"{name} is deactivated by this import")
            return
        if other is not None and other.existing is None:
            return  # created by this import before any account is deactivated
        successor = users.get(name)
        if successor is None:
            self.p.add(f, first.line, "successor_username", f"no account {name}")
        elif not successor.active:
            self.p.add(f, first.line, "successor_username", f"{name} is not an active account")
        elif plan.deactivate:
            await self.p.allowed_async(f, first.line, "successor_username",
                                       lambda: _require_manage_user(self.actor, successor))


# --------------------------------------------------------------------------- applying


Step = tuple[str, int, str, Callable[[], Awaitable[None]]]


class _Applier:
    """Phase 2: the plan, through the services, inside the caller's transaction."""

    def __init__(self, settings: Settings, actor: Actor, planner: _Planner, report: ImportReport,
                 now: datetime) -> None:
        self.settings = settings
        self.actor = actor
        self.planner = planner
        self.report = report
        self.now = now
        self.unit_ids: dict[str, int] = {code: u.id for code, u in planner.by_code.items()}
        self.user_ids: dict[str, int] = {}

    def unit_input(self, row: _UnitRow, *, with_links: bool = True) -> UnitInput:
        assert row.kind is not None
        return UnitInput(
            code=row.code, kind=row.kind, names=self.planner.names_for(row), area_codes=row.area_codes,
            appellate_authority_id=self.unit_ids[row.appellate_code] if with_links and row.appellate_code else None,
            escalation_authority_ids=[self.unit_ids[c] for c in row.escalation_codes] if with_links else [],
        )

    def steps(self, units: list[_UnitRow], accounts: list[_AccountPlan]) -> list[Step]:
        f, o = UNITS_FILE, OFFICERS_FILE
        steps: list[Step] = []
        created: set[str] = set()
        deferred: list[_UnitRow] = []
        for row in units:
            if row.create:
                links = [c for c in (row.appellate_code, *row.escalation_codes) if c]
                ready = all(c in self.planner.by_code or c in created for c in links)
                steps.append((f, row.line, "code", self._creator(row, with_links=ready)))
                created.add(row.code)
                if not ready:  # it names units created after it: linked once they exist
                    deferred.append(row)
            elif row.move:
                steps.append((f, row.line, "parent_code", self._mover(row)))
        for row in units:
            if row.update:
                steps.append((f, row.line, "code", self._updater(row)))
        for row in deferred:
            steps.append((f, row.line, "appellate_authority_code", self._linker(row)))
        for plan in accounts:
            if plan.existing is None:
                steps.append((o, plan.first.line, "username", self._account_creator(plan)))
        for plan in accounts:
            if plan.existing is None:
                continue
            if plan.changes:
                steps.append((o, plan.first.line, next(iter(plan.changes)), self._details_updater(plan)))
            for officer in plan.rows:
                if officer.grant:
                    steps.append((o, officer.line, "role", self._granter(plan, officer)))
                elif officer.revoke_id is not None:
                    steps.append((o, officer.line, "role_active", self._revoker(officer.revoke_id)))
        for plan in accounts:
            if plan.deactivate:
                steps.append((o, plan.first.line, "account_active", self._account_deactivator(plan)))
        for row in units:
            if row.deactivate:
                steps.append((f, row.line, "active", self._unit_deactivator(row)))
        return steps

    def _creator(self, row: _UnitRow, *, with_links: bool) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            parent_id = self.unit_ids[row.parent_code] if row.parent_code else None
            unit = await create_unit(self.actor, self.unit_input(row, with_links=with_links), parent_id=parent_id,
                                     now=self.now)
            self.unit_ids[row.code] = unit.id
            self.report.units_created += 1
        return run

    def _linker(self, row: _UnitRow) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            unit = await Unit.get(id=self.unit_ids[row.code])
            await update_unit(self.actor, unit_id=unit.id, data=self.unit_input(row), expected_version=unit.version,
                              now=self.now)
        return run

    def _mover(self, row: _UnitRow) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            plan = await move_subtree(self.actor, unit_id=self.unit_ids[row.code],
                                      new_parent_id=self.unit_ids[row.parent_code], dry_run=False, now=self.now)
            self.report.units_moved += plan.units_moved
        return run

    def _updater(self, row: _UnitRow) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            unit = row.existing
            assert unit is not None
            # The version read in phase 1, plus this import's own move of the unit.
            expected = unit.version + (1 if row.move else 0)
            await update_unit(self.actor, unit_id=unit.id, data=self.unit_input(row), expected_version=expected,
                              now=self.now)
            self.report.units_updated += 1
        return run

    def _account_creator(self, plan: _AccountPlan) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            memberships = tuple(
                MembershipInput(self.unit_ids[r.unit_code], r.role) for r in plan.rows if r.role is not None
            )
            a = plan.first.account
            created = await create_account(self.settings, self.actor, AccountInput(
                username=a.username, full_name=a.full_name, designation=a.designation, mobile=a.mobile,
                email=a.email, language=a.language, memberships=memberships,
            ), now=self.now)
            self.user_ids[plan.username] = created.user.id
            self.report.accounts_created += 1
            self.report.roles_granted += len(memberships)
            self.report.set_password_links.append((plan.username, created.link.url))
        return run

    def _details_updater(self, plan: _AccountPlan) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            user = plan.existing
            assert user is not None
            if not await StaffUser.filter(id=user.id, version=user.version).update(
                **plan.changes, updated_at=self.now, version=user.version + 1
            ):
                raise DomainError(ErrorCode.CHANGED_MEANWHILE, "The account changed meanwhile; import again")
            # Field names only: personal details stay out of the permanent audit trail.
            await record(object_type="staff_user", object_id=user.id, action="account_updated", actor=self.actor,
                         now=self.now, data={"fields": sorted(plan.changes), "source": "import"})
            self.report.accounts_updated += 1
        return run

    def _granter(self, plan: _AccountPlan, row: _OfficerRow) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            assert plan.existing is not None and row.role is not None
            await grant_role(self.actor, user_id=plan.existing.id, unit_id=self.unit_ids[row.unit_code],
                             role=row.role, now=self.now)
            self.report.roles_granted += 1
        return run

    def _revoker(self, membership_id: int) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await revoke_role(self.actor, membership_id=membership_id, now=self.now)
            self.report.roles_revoked += 1
        return run

    def _account_deactivator(self, plan: _AccountPlan) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            assert plan.existing is not None
            name = plan.first.successor
            successor_id = None
            if name:
                successor_id = self.user_ids.get(name)
                if successor_id is None:
                    successor_id = (await StaffUser.get(username=name)).id
            done = await deactivate_account(self.actor, user_id=plan.existing.id, successor_user_id=successor_id,
                                            dry_run=False, now=self.now)
            self.report.accounts_deactivated += 1
            self.report.pending_items_moved += done.pending_items_moved
        return run

    def _unit_deactivator(self, row: _UnitRow) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            done = await deactivate_unit(self.actor, unit_id=self.unit_ids[row.code], successor_id=None,
                                         dry_run=False, now=self.now)
            self.report.units_deactivated += done.units_deactivated
            self.report.pending_items_moved += done.pending_items_moved
        return run


# --------------------------------------------------------------------------- import / export


def _require_importer(actor: Actor) -> None:
    require_staff(actor)
    roots = visible_roots(actor, Permission.IMPORT_ORG)
    if roots is not None and not roots:
        raise forbidden("You may not import the organisation")


async def import_org(
    settings: Settings, actor: Actor, *, units_csv: str | None, officers_csv: str | None, dry_run: bool,
    now: datetime,
) -> ImportReport:
    """Validate both files completely, then apply them in one transaction (or preview)."""
    _require_importer(actor)
    problems = _Problems()
    unit_lines = _read(units_csv, UNITS_FILE, UNIT_COLUMNS, problems) if units_csv is not None else []
    officer_lines = _read(officers_csv, OFFICERS_FILE, OFFICER_COLUMNS, problems) if officers_csv is not None else []
    if unit_lines is None or officer_lines is None:
        raise validation_error(problems.errors, message=f"{len(problems.errors)} problems; nothing was imported")
    unit_rows = _parse_units(unit_lines, problems)
    officer_rows = _parse_officers(officer_lines, problems)
    planner = _Planner(actor, now, problems)
    referenced = {c for r in unit_rows for c in (r.code, r.parent_code, r.appellate_code, *r.escalation_codes)}
    await planner.load(referenced | {r.unit_code for r in officer_rows})
    units = await planner.plan_units(unit_rows)
    accounts = await planner.plan_officers(officer_rows)
    if problems.errors:
        raise validation_error(problems.errors, message=f"{len(problems.errors)} problems; nothing was imported")

    report = ImportReport(dry_run=dry_run)
    applier = _Applier(settings, actor, planner, report, now)
    try:
        async with in_transaction():
            for file, line, column, step in applier.steps(units, accounts):
                try:
                    await step()
                except DomainError as e:
                    where = f"{file}:{line}:{column}"
                    raise validation_error([FieldError(where, _describe(e))],
                                           message=f"{file} line {line}: {e.message}; nothing was imported") from e
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        report.set_password_links.clear()
    return report


def _write(columns: list[str], rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def _bool(value: bool) -> str:
    return "true" if value else "false"


async def _export_root(actor: Actor, root_unit_id: int) -> Unit:
    root = await Unit.get_or_none(id=root_unit_id)
    if root is None:
        raise not_found("Unit")
    require(actor, Permission.EXPORT_ORG, root.path)
    return root


async def export_units(actor: Actor, *, root_unit_id: int) -> str:
    """The subtree under (and including) the unit, ordered by depth then code."""
    root = await _export_root(actor, root_unit_id)
    units = await Unit.filter(path__startswith=root.path).order_by("depth", "code")
    ids = [u.id for u in units]
    ladders: dict[int, list[int]] = {}
    for i in range(0, len(ids), _CHUNK):
        for unit_id, authority_id in await EscalationLevel.filter(unit_id__in=ids[i:i + _CHUNK]).order_by(
            "unit_id", "level"
        ).values_list("unit_id", "authority_id"):
            ladders.setdefault(int(unit_id), []).append(int(authority_id))
    codes = {u.id: u.code for u in units}
    linked = {_fk(u, name) for u in units for name in ("parent_id", "appellate_authority_id")}
    linked.update(a for ladder in ladders.values() for a in ladder)
    outside = sorted(i for i in linked if i is not None and i not in codes)
    for i in range(0, len(outside), _CHUNK):
        for unit_id, code in await Unit.filter(id__in=outside[i:i + _CHUNK]).values_list("id", "code"):
            codes[int(unit_id)] = str(code)

    def code_of(unit_id: int | None) -> str:
        return codes.get(unit_id, "") if unit_id is not None else ""

    return _write(UNIT_COLUMNS, (
        [
            u.code, code_of(_fk(u, "parent_id")), u.kind.value,
            (u.names or {}).get("en", ""), (u.names or {}).get("hi", ""), ";".join(u.area_codes or []),
            code_of(_fk(u, "appellate_authority_id")),
            ";".join(code_of(a) for a in ladders.get(u.id, [])), _bool(u.active),
        ]
        for u in units
    ))


async def export_officers(actor: Actor, *, root_unit_id: int) -> str:
    """One row per role (active or not) held in the subtree, by username, unit code, role."""
    root = await _export_root(actor, root_unit_id)
    held = await Membership.filter(unit__path__startswith=root.path).values_list(
        "user_id", "unit__code", "role", "active"
    )
    user_ids = sorted({int(user_id) for user_id, _, _, _ in held})
    users: dict[int, StaffUser] = {}
    for i in range(0, len(user_ids), _CHUNK):
        for u in await StaffUser.filter(id__in=user_ids[i:i + _CHUNK]):
            users[u.id] = u
    rows = []
    for user_id, unit_code, role, active in held:
        u = users[int(user_id)]
        rows.append([
            u.username, u.full_name, u.designation, u.mobile, u.email, u.language, str(unit_code),
            Role(role).value, _bool(bool(active)), _bool(u.active), "",
        ])
    rows.sort(key=lambda r: (r[0], r[6], r[7]))
    return _write(OFFICER_COLUMNS, rows)
