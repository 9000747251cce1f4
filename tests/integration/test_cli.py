"""The `grievance` command as an operator runs it: a real process, a fresh SQLite var dir."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def grievance(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRIEVANCE_", "DATABASE_URL", "REDIS_URL"))}
    env["GRIEVANCE_VAR_DIR"] = str(var_dir)
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def test_help_lists_every_command(tmp_path: Path) -> None:
    out = grievance(tmp_path, "--help").stdout
    for command in ("serve", "worker", "migrate", "demo", "admin", "import", "export", "audit", "backup", "restore"):
        assert command in out


def test_migrate_admin_import_export_round(tmp_path: Path) -> None:
    var = tmp_path / "var"
    assert "applied" in grievance(var, "migrate").stdout
    assert grievance(var, "migrate").stdout.strip() == "database is up to date"
    first = grievance(var, "admin", "--username", "root.admin", "--full-name", "Root Admin", "--root-code", "IN")
    assert first.returncode == 0 and "/staff/#/set-password/" in first.stdout
    again = grievance(var, "admin", "--username", "other", "--full-name", "Other")
    assert again.returncode != 0 and "CONFLICT" in again.stderr
    units = tmp_path / "units.csv"
    units.write_text(
        "code,parent_code,kind,name_en,name_hi,area_codes,appellate_authority_code,escalation_authority_codes,active\n"
        "BR,IN,state_nodal,Bihar,बिहार,BR,,,true\n"
        "BR-REV,BR,department,Revenue,,BR,,,true\n",
        encoding="utf-8",
    )
    dry = grievance(var, "import", "--units", str(units), "--dry-run")
    assert dry.returncode == 0 and "units_created: 2" in dry.stdout
    done = grievance(var, "import", "--units", str(units))
    assert done.returncode == 0 and "units_created: 2" in done.stdout
    out_units, out_officers = tmp_path / "u.csv", tmp_path / "o.csv"
    exported = grievance(var, "export", "--root", "IN", "--units", str(out_units), "--officers", str(out_officers))
    assert exported.returncode == 0
    text = out_units.read_text(encoding="utf-8")
    assert "BR-REV,BR,department,Revenue" in text and "root.admin" in out_officers.read_text(encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(units.read_text(encoding="utf-8").replace("department", "nonsense"), encoding="utf-8")
    refused = grievance(var, "import", "--units", str(bad))
    assert refused.returncode != 0 and "units.csv:3:kind" in refused.stderr


def test_production_refuses_to_serve_without_secrets(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRIEVANCE_", "DATABASE_URL", "REDIS_URL"))}
    env["GRIEVANCE_ENV"] = "production"
    result = subprocess.run([sys.executable, "-m", "backend.cli", "serve"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "GRIEVANCE_SECRET_KEY" in result.stderr


def test_audit_verify_detects_a_tampered_event(tmp_path: Path) -> None:
    import sqlite3

    var = tmp_path / "var"
    assert grievance(var, "migrate").returncode == 0
    assert grievance(var, "admin", "--username", "root.admin", "--full-name", "Root Admin").returncode == 0
    clean = grievance(var, "audit", "verify", "--object-type", "unit")
    assert clean.returncode == 0 and "0 altered" in clean.stdout
    with sqlite3.connect(var / "grievance.sqlite3") as db:
        db.execute("UPDATE audit_event SET note = 'edited' WHERE object_type = 'unit'")
    tampered = grievance(var, "audit", "verify", "--object-type", "unit")
    assert tampered.returncode == 1 and "TAMPERED: unit" in tampered.stdout and "1 altered" in tampered.stdout
