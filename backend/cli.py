"""The `grievance` command: serve, worker, migrate, demo, admin, open311-key, import, export, audit, backup,
restore."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from backend.core.clock import utcnow
from backend.core.errors import DomainError
from backend.core.logs import configure_logging
from backend.settings import Settings, SettingsError, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise SystemExit(f"error: {exc}") from None


def _run(coro: Awaitable[Any]) -> Any:
    return asyncio.run(coro)  # type: ignore[arg-type]


async def _with_db(settings: Settings, body: Callable[[], Awaitable[Any]]) -> Any:
    from backend.db import close_db, init_db

    await init_db(settings.database_url)
    try:
        return await body()
    finally:
        await close_db()


def _fail(error: DomainError) -> SystemExit:
    lines = [f"error: {error.code.value}: {error.message}"]
    lines += [f"  {e.field}: {e.message}" for e in error.field_errors]
    return SystemExit("\n".join(lines))


# --- commands ---------------------------------------------------------------------


def cmd_migrate(args: argparse.Namespace) -> None:
    from backend.db import apply_migrations

    settings = _settings()
    applied = _run(apply_migrations(settings.database_url))
    print("applied: " + ", ".join(applied) if applied else "database is up to date")


def cmd_makemigrations(args: argparse.Namespace) -> None:
    from backend.db import make_migrations

    written = _run(make_migrations(args.name))
    print("\n".join(f"wrote {p}" for p in written) if written else "no model changes")


APP = "backend.asgi:application"


def _serve(settings: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn

    from backend.websocket import LeanWebSocketsProtocol

    if workers > 1 and not settings.uses_redis:
        raise SystemExit("error: several worker processes need REDIS_URL (jobs and live updates cross processes)")
    if workers > 1:
        _metrics_across_processes(settings)
    print(f"Serving on http://{host}:{port}/  (GraphQL at /graphql, {settings.environment} mode)", flush=True)
    options: dict[str, Any] = dict(
        host=host, port=port, workers=workers, proxy_headers=True,
        forwarded_allow_ips="127.0.0.1", log_config=None,
        # uvicorn's sans-I/O `websockets` protocol, holding less per connection
        # (backend/websocket.py): one process holds thousands of live subscriptions.
        ws=LeanWebSocketsProtocol,
        # Live messages are small JSON; per-message deflate would keep a zlib compressor
        # and decompressor per connection (most of an idle subscriber's memory: 5,000
        # subscriptions took 726 MB in tests/bench).
        ws_per_message_deflate=False,
    )
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        from backend.ops.listening import shared_port

        # Each process its own listening socket on the port (SO_REUSEPORT), so the kernel
        # spreads connections over them instead of the first to wake taking a burst.
        try:
            sock = shared_port(host, port)
        except OSError as error:
            raise SystemExit(f"error: cannot listen on {host}:{port}: {error.strerror}") from error
        Multiprocess(uvicorn.Config(APP, **options), sockets=[sock]).run()
    else:
        uvicorn.run(APP, **options)


def _metrics_across_processes(settings: Settings) -> None:
    """Several API processes answer on one port, so a scrape reaches any one of them:
    prometheus_client's multiprocess mode makes each answer for all. Its directory is
    emptied at start (values of processes from an earlier run must not count)."""
    import os

    from backend.ops.metrics import MULTIPROCESS_DIR_ENV

    directory = Path(os.environ.get(MULTIPROCESS_DIR_ENV) or settings.var_dir / "prometheus")
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    # Inherited by the worker processes uvicorn spawns (they import prometheus_client anew).
    os.environ[MULTIPROCESS_DIR_ENV] = str(directory)


def cmd_serve(args: argparse.Namespace) -> None:
    settings = _settings()
    configure_logging(settings.debug, settings.log_format)
    if args.migrate:
        cmd_migrate(args)
    _serve(settings, args.host, args.port, args.workers)


def cmd_worker(args: argparse.Namespace) -> None:
    from workers.settings import run

    settings = _settings()
    configure_logging(settings.debug, settings.log_format)
    run(burst=args.burst)


def cmd_demo(args: argparse.Namespace) -> None:
    from backend.db import apply_migrations
    from backend.demo.loader import demo_loaded, demo_sign_ins, load_demo

    settings = _settings()
    configure_logging(settings.debug, settings.log_format)
    _run(apply_migrations(settings.database_url))

    async def load() -> int | None:
        if await demo_loaded():
            return None
        return await load_demo(settings, utcnow())

    loaded = _run(_with_db(settings, load))
    print("Demo data: " + (f"loaded {loaded} units" if loaded else "already present"))
    print("\n".join(demo_sign_ins()))
    print(f"Open http://{args.host}:{args.port}/ in a browser.", flush=True)
    if not args.no_serve:
        _serve(settings, args.host, args.port, 1)


def cmd_admin(args: argparse.Namespace) -> None:
    from backend.accounts.admin_bootstrap import create_first_admin

    settings = _settings()

    async def body() -> Any:
        return await create_first_admin(
            settings, username=args.username, full_name=args.full_name, root_code=args.root_code,
            root_name=args.root_name, now=utcnow(),
        )

    try:
        link = _run(_with_db(settings, body))
    except DomainError as exc:
        raise _fail(exc) from None
    print(f"System admin {args.username!r} created. Hand over this one-time link (valid until "
          f"{link.expires_at:%Y-%m-%d %H:%M} UTC); it is not shown again:\n{link.url}")


def cmd_open311_key(args: argparse.Namespace) -> None:
    from backend.open311.services import issue_key

    settings = _settings()

    async def body() -> Any:
        return await issue_key(settings, args.name, args.jurisdiction, utcnow())

    try:
        client, key = _run(_with_db(settings, body))
    except DomainError as exc:
        raise _fail(exc) from None
    print(f"Open311 client {client.name!r} (jurisdiction {client.jurisdiction}). Its api_key, not shown again:\n{key}")


def cmd_import(args: argparse.Namespace) -> None:
    from backend.accounts.admin_bootstrap import actor_by_username
    from backend.orgs.csv_exchange import import_org

    settings = _settings()
    units = Path(args.units).read_text(encoding="utf-8-sig") if args.units else None
    officers = Path(args.officers).read_text(encoding="utf-8-sig") if args.officers else None
    if units is None and officers is None:
        raise SystemExit("error: give --units and/or --officers")

    async def body() -> Any:
        actor = await actor_by_username(args.as_user)
        return await import_org(settings, actor, units_csv=units, officers_csv=officers, dry_run=args.dry_run,
                                now=utcnow())

    try:
        report = _run(_with_db(settings, body))
    except DomainError as exc:
        raise _fail(exc) from None
    for key, value in report.__dict__.items():
        if key != "set_password_links":
            print(f"{key}: {value}")
    for username, url in report.set_password_links:
        print(f"set-password link for {username}: {url}")


def cmd_export(args: argparse.Namespace) -> None:
    from backend.accounts.admin_bootstrap import actor_by_username
    from backend.orgs.csv_exchange import export_officers, export_units
    from backend.orgs.models import Unit

    settings = _settings()

    async def body() -> tuple[str, str]:
        actor = await actor_by_username(args.as_user)
        root = await Unit.get_or_none(code=args.root.upper())
        if root is None:
            raise SystemExit(f"error: no unit with code {args.root!r}")
        return (await export_units(actor, root_unit_id=root.id), await export_officers(actor, root_unit_id=root.id))

    try:
        units, officers = _run(_with_db(settings, body))
    except DomainError as exc:
        raise _fail(exc) from None
    Path(args.units).write_text(units, encoding="utf-8")
    Path(args.officers).write_text(officers, encoding="utf-8")
    print(f"wrote {args.units} ({units.count(chr(10)) - 1} units) and {args.officers} "
          f"({officers.count(chr(10)) - 1} roles)")


def cmd_stats_rebuild(args: argparse.Namespace) -> None:
    from backend.stats.subtree import rebuild_all

    settings = _settings()
    rows = _run(_with_db(settings, rebuild_all))
    print(f"subtree rollups rebuilt from the daily facts and the pending stock: {rows} fact rows")


def cmd_audit_verify(args: argparse.Namespace) -> None:
    from backend.audit.services import broken_chains

    settings = _settings()

    async def body() -> tuple[int, list[str]]:
        return await broken_chains(args.object_type, args.id)

    checked, broken = _run(_with_db(settings, body))
    if args.object_type == "grievance" and broken:
        from backend.grievances.models import Grievance

        async def numbers() -> dict[str, str]:
            rows = await Grievance.filter(id__in=[int(b) for b in broken if b.isdigit()]).values_list("id", "number")
            return {str(i): str(n) for i, n in rows}

        names = _run(_with_db(settings, numbers))
        broken = [f"{b} ({names[b]})" if b in names else b for b in broken]
    for item in broken:
        print(f"TAMPERED: {args.object_type} {item}")
    print(f"checked {checked} {args.object_type} audit chains: {len(broken)} altered")
    if broken:
        raise SystemExit(1)


def cmd_backup(args: argparse.Namespace) -> None:
    from backend.ops.backup import BackupError, backup
    from backend.ops.pg import ToolMissing, Unreachable

    settings = _settings()
    try:
        result = _run(backup(settings, Path(args.output) if args.output else None, now=utcnow()))
    except (BackupError, ToolMissing, Unreachable) as exc:
        raise SystemExit(f"error: {exc}") from None
    m = result.manifest
    print(f"wrote {result.path} ({result.path.stat().st_size} bytes): {m.engine} database at migration "
          f"{m.migrations[-1] if m.migrations else '-'}, {sum(m.tables.values())} rows in {len(m.tables)} tables, "
          f"{m.attachment_files} attachment files")
    for note in m.notes:
        print(f"note: {note}")


def cmd_restore(args: argparse.Namespace) -> None:
    from backend.ops.backup import BackupError
    from backend.ops.pg import ToolMissing, Unreachable
    from backend.ops.restore import restore

    settings = _settings()
    try:
        result = _run(restore(settings, Path(args.archive), force=args.force))
    except (BackupError, ToolMissing, Unreachable) as exc:
        raise SystemExit(f"error: {exc}") from None
    m = result.manifest
    print(f"restored the {m.engine} backup of {m.created_at} ({m.attachment_files} attachment files)")
    print("\n".join(result.verification.summary()))
    if not result.verification.ok:
        print("VERIFICATION FAILED: do not serve this database before the problems above are understood")
        raise SystemExit(1)
    print("verified: audit chains intact, migration level and row counts as in the backup")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grievance", description="Public grievance redressal platform.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="run the API and the PWA (uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help="API processes (more than 1 needs REDIS_URL)")
    p.add_argument("--migrate", action="store_true", help="apply pending migrations first")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run an arq worker for background jobs (needs REDIS_URL)")
    p.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("makemigrations", help="(developers) write a migration for model changes")
    p.add_argument("--name", default=None)
    p.set_defaults(func=cmd_makemigrations)

    p = sub.add_parser("demo", help="migrate, load the Bihar demo state and serve it (embedded default)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help="load and print, but do not start the server")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("admin", help="create the first system admin (and the root unit if there is none)")
    p.add_argument("--username", required=True)
    p.add_argument("--full-name", required=True)
    p.add_argument("--root-code", default="IN", help="code of the root unit to create when the tree is empty")
    p.add_argument("--root-name", default="National Nodal Agency")
    p.set_defaults(func=cmd_admin)

    p = sub.add_parser("open311-key", help="issue an Open311 client its api_key (shown once)")
    p.add_argument("--name", required=True, help="who the client is (an app, a partner portal)")
    p.add_argument("--jurisdiction", required=True, help="code of the unit its requests are filed into")
    p.set_defaults(func=cmd_open311_key)

    p = sub.add_parser("import", help="import units and officers from CSV (all rows or none)")
    p.add_argument("--units", help="units CSV file")
    p.add_argument("--officers", help="officers CSV file")
    p.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    p.add_argument("--as", dest="as_user", default=None, help="act as this staff account (default: system)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export a subtree's units and officers as CSV")
    p.add_argument("--root", required=True, help="code of the subtree's root unit")
    p.add_argument("--units", required=True, help="file to write the units CSV to")
    p.add_argument("--officers", required=True, help="file to write the officers CSV to")
    p.add_argument("--as", dest="as_user", default=None, help="act as this staff account (default: system)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("audit", help="audit trail tools")
    audit = p.add_subparsers(dest="audit_command", required=True, metavar="AUDIT_COMMAND")
    v = audit.add_parser("verify", help="detect edited or deleted audit events (exit 1 if any)")
    v.add_argument("--object-type", default="grievance", help="grievance (default), unit, staff_user, ...")
    v.add_argument("--id", default=None, help="check one object only")
    v.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("stats", help="statistics rollups tools")
    stats = p.add_subparsers(dest="stats_command", required=True, metavar="STATS_COMMAND")
    r = stats.add_parser("rebuild", help="rebuild every unit's subtree rollups from the daily facts and the pending "
                                           "stock (idempotent)")
    r.set_defaults(func=cmd_stats_rebuild)

    p = sub.add_parser("backup", help="write the database and the attachments to one archive (online)")
    p.add_argument("--output", help="archive to write (.tar, or .tar.gz to compress); default "
                                    "var/backups/grievance-<UTC time>.tar.gz")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore an archive of `grievance backup`, then verify it (exit 1 if it fails)")
    p.add_argument("archive", help="the archive written by `grievance backup`")
    p.add_argument("--force", action="store_true", help="replace a database or attachment directory that holds data")
    p.set_defaults(func=cmd_restore)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main(sys.argv[1:])
