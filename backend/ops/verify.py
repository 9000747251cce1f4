"""What a restored database must show before anyone serves it: every audit chain
intact, the migration level the backup had (and one this code knows), the row counts
the manifest promised, and a file for every attachment a grievance or report holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tortoise import connections
from tortoise.expressions import Q

from backend.attachments.storage import check_key
from backend.ops.archive import Manifest

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# The tables the summary names (every table is still compared with the manifest).
MAIN_TABLES = ("grv_grievance", "audit_event", "att_attachment", "acct_citizen", "acct_staff_user", "org_unit",
               "cat_category", "ntf_outbox")


def known_migrations() -> list[str]:
    return sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"))


@dataclass
class Verification:
    tables: dict[str, int]
    migrations: list[str]
    chains: dict[str, tuple[int, list[str]]]          # object type -> (chains checked, altered ids)
    attachments_checked: int = 0
    attachments_missing: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> list[str]:
        lines = ["rows:"]
        named = [t for t in MAIN_TABLES if t in self.tables]
        lines += [f"  {t:<16} {self.tables[t]}" for t in named]
        others = len(self.tables) - len(named)
        lines.append(f"  ... and {others} other tables, {sum(self.tables.values())} rows in all")
        lines.append(f"migrations: {len(self.migrations)} applied, latest {self.migrations[-1] if self.migrations else '-'}")
        newer = sorted(set(known_migrations()) - set(self.migrations))
        if newer:
            lines.append(f"note: this code has {len(newer)} newer migration(s): run `grievance migrate` before serving")
        for object_type, (checked, altered) in sorted(self.chains.items()):
            lines.append(f"audit chains: {object_type:<12} {checked} checked, {len(altered)} altered")
        lines.append(f"attachments: {self.attachments_checked} in use, {len(self.attachments_missing)} without their file")
        lines += [f"PROBLEM: {p}" for p in self.problems]
        return lines


async def _counts() -> dict[str, int]:
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        _, rows = await conn.execute_query(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        _, rows = await conn.execute_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    counts: dict[str, int] = {}
    for row in rows:
        name = str(row["name"])
        _, result = await conn.execute_query(f'SELECT COUNT(*) AS n FROM "{name}"')
        counts[name] = int(result[0]["n"])
    return counts


async def _migrations() -> list[str]:
    conn = connections.get("default")
    try:
        _, rows = await conn.execute_query("SELECT name FROM tortoise_migrations WHERE app = 'models' ORDER BY name")
    except Exception:  # no migrations table: nothing was ever migrated
        return []
    return [str(r["name"]) for r in rows]


async def verify_restored(manifest: Manifest | None, attachments: Path | None) -> Verification:
    """Check the database the current Tortoise context points at."""
    from backend.attachments.models import Attachment
    from backend.audit.models import AuditEvent
    from backend.audit.services import broken_chains

    result = Verification(tables=await _counts(), migrations=await _migrations(), chains={})
    if manifest is not None:
        for table in sorted(set(manifest.tables) | set(result.tables)):
            expected, found = manifest.tables.get(table), result.tables.get(table)
            if expected != found:
                result.problems.append(f"table {table}: {found} rows, the backup had {expected}")
        if result.migrations != sorted(manifest.migrations):
            result.problems.append(f"migrations {result.migrations[-1:]} differ from the backup's {manifest.migrations[-1:]}")
    unknown = sorted(set(result.migrations) - set(known_migrations()))
    if unknown:
        result.problems.append(f"migrations unknown to this version of the code: {', '.join(unknown)} (upgrade it first)")
    for object_type in sorted(await AuditEvent.all().distinct().values_list("object_type", flat=True)):
        checked, altered = await broken_chains(str(object_type))
        result.chains[str(object_type)] = (checked, altered)
        if altered:
            shown = ", ".join(altered[:10]) + (" ..." if len(altered) > 10 else "")
            result.problems.append(f"{len(altered)} altered {object_type} audit chain(s): {shown}")
    if attachments is not None:
        # Uploads not yet bound to anything may lack their bytes (the row is written
        # first); bound ones must have them.
        in_use = await Attachment.filter(Q(grievance_id__isnull=False) | Q(report_id__isnull=False)).values_list(
            "id", "storage_key")
        result.attachments_checked = len(in_use)
        for attachment_id, key in in_use:
            try:
                path = attachments / str(key)[:2] / check_key(str(key))
            except ValueError:
                result.attachments_missing.append(int(attachment_id))
                continue
            if not path.is_file():
                result.attachments_missing.append(int(attachment_id))
        if result.attachments_missing:
            result.problems.append(f"{len(result.attachments_missing)} attachment(s) in use have no file")
    return result
