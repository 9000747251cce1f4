from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.settings import SettingsError, load_settings

PROD = {
    "GRIEVANCE_ENV": "production",
    "DATABASE_URL": "postgresql://app@db:5432/grievance",
    "REDIS_URL": "redis://cache:6379/0",
    "GRIEVANCE_SECRET_KEY": "s" * 40,
    "GRIEVANCE_VAPID_PRIVATE_KEY": "priv",
    "GRIEVANCE_VAPID_PUBLIC_KEY": "pub",
    "GRIEVANCE_PUBLIC_URL": "https://grievance.example.gov.in",
}


def test_embedded_generates_secrets_once(tmp_path: Path) -> None:
    env = {"GRIEVANCE_VAR_DIR": str(tmp_path)}
    first = load_settings(env)
    second = load_settings(env)
    assert first.environment == "embedded" and first.database_url.startswith("sqlite://")
    assert first.secret_key == second.secret_key and len(first.secret_key) >= 32
    assert first.vapid_public_key == second.vapid_public_key
    stored = tmp_path / "secrets.json"
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    assert json.loads(stored.read_text())["secret_key"] == first.secret_key


def test_production_accepts_full_configuration() -> None:
    settings = load_settings(PROD)
    assert settings.is_production and settings.database_url == "postgres://app@db:5432/grievance"
    assert settings.cookie_secure


@pytest.mark.parametrize("missing", sorted(PROD.keys() - {"GRIEVANCE_ENV"}))
def test_production_refuses_a_missing_secret(missing: str) -> None:
    env = {k: v for k, v in PROD.items() if k != missing}
    with pytest.raises(SettingsError, match=missing):
        load_settings(env)


def test_production_refuses_short_secret_and_sqlite() -> None:
    with pytest.raises(SettingsError, match="at least 32"):
        load_settings({**PROD, "GRIEVANCE_SECRET_KEY": "short"})
    with pytest.raises(SettingsError, match="PostgreSQL"):
        load_settings({**PROD, "DATABASE_URL": "sqlite:///tmp/x.db"})


def _secret_key_of(var_dir: str) -> str:
    from backend.settings import _embedded_secrets

    return _embedded_secrets(Path(var_dir))["secret_key"]


def test_processes_starting_together_share_one_set_of_secrets(tmp_path: Path) -> None:
    """The API and its workers may start at once on an empty var dir."""
    import multiprocessing

    for attempt in range(5):
        var_dir = tmp_path / f"var{attempt}"
        with multiprocessing.get_context("spawn").Pool(4) as pool:
            keys = pool.map(_secret_key_of, [str(var_dir)] * 4)
        assert len(set(keys)) == 1
        assert sorted(p.name for p in var_dir.iterdir()) == ["secrets.json"]


def test_introspection_is_on_in_embedded_and_debug_and_off_in_production(tmp_path: Path) -> None:
    assert load_settings({"GRIEVANCE_VAR_DIR": str(tmp_path)}).introspection
    assert not load_settings(PROD).introspection
    assert load_settings({**PROD, "GRIEVANCE_DEBUG": "1"}).introspection
    assert load_settings({**PROD, "GRIEVANCE_INTROSPECTION": "on"}).introspection
    assert not load_settings({"GRIEVANCE_VAR_DIR": str(tmp_path), "GRIEVANCE_INTROSPECTION": "off"}).introspection
    with pytest.raises(SettingsError, match="GRIEVANCE_INTROSPECTION"):
        load_settings({**PROD, "GRIEVANCE_INTROSPECTION": "maybe"})


def test_the_session_cookie_is_secure_in_production_only(tmp_path: Path) -> None:
    # Production is behind TLS even when the proxy hands the app plain http.
    assert load_settings({**PROD, "GRIEVANCE_PUBLIC_URL": "http://10.0.0.5:8000"}).cookie_secure
    # The embedded default on http://127.0.0.1 would never get a Secure cookie back.
    assert not load_settings({"GRIEVANCE_VAR_DIR": str(tmp_path)}).cookie_secure
    assert load_settings({"GRIEVANCE_VAR_DIR": str(tmp_path), "GRIEVANCE_PUBLIC_URL": "https://x.example"}).cookie_secure


def test_log_format_defaults_to_json_in_production_and_text_embedded(tmp_path: Path) -> None:
    assert load_settings(PROD).log_format == "json"
    assert load_settings({"GRIEVANCE_VAR_DIR": str(tmp_path)}).log_format == "text"
    assert load_settings({**PROD, "GRIEVANCE_LOG_FORMAT": "text"}).log_format == "text"
    with pytest.raises(SettingsError, match="GRIEVANCE_LOG_FORMAT"):
        load_settings({**PROD, "GRIEVANCE_LOG_FORMAT": "xml"})
