"""One settings object, read from the environment.

Two modes:
- embedded (default): SQLite under `var/`, jobs and broadcasts in-process, secrets
  generated once into `var/secrets.json`;
- production (`GRIEVANCE_ENV=production`): PostgreSQL and Redis from `DATABASE_URL` /
  `REDIS_URL`; every secret must be given, and start-up refuses otherwise rather than
  run with a guessable or per-process key.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.core.tokens import new_token

Environment = Literal["embedded", "production"]


class SettingsError(RuntimeError):
    """The configuration cannot run: the message names every missing or bad variable."""


@dataclass(frozen=True)
class GatewaySettings:
    """The SMS (DLT), SMTP and WhatsApp providers, as read from the environment."""

    sms_url: str = ""
    sms_api_key: str = ""
    sms_sender: str = ""
    sms_entity_id: str = ""
    sms_templates: Mapping[str, str] = field(default_factory=dict)     # template key -> DLT template id
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""
    smtp_tls: str = "starttls"                                         # none | starttls | tls
    whatsapp_url: str = ""
    whatsapp_token: str = ""
    whatsapp_phone_number_id: str = ""
    # template key -> {"name": approved template name, "params": [payload keys in order]}
    whatsapp_templates: Mapping[str, Mapping[str, object]] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    environment: Environment
    var_dir: Path
    database_url: str
    redis_url: str | None
    secret_key: str
    vapid_private_key: str
    vapid_public_key: str
    vapid_subject: str
    debug: bool = False
    public_url: str = "http://127.0.0.1:8000"
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    session_ttl_hours: int = 12
    citizen_session_ttl_hours: int = 24 * 30
    set_password_ttl_hours: int = 72
    otp_ttl_seconds: int = 300
    otp_max_attempts: int = 5
    otp_per_mobile_per_hour: int = 5
    otp_per_address_per_hour: int = 30
    sms_log_path: Path | None = None
    # Against habitual filing (F2): grievances one citizen may file per calendar month.
    monthly_filing_cap: int = 10
    # How far back a new filing is compared with earlier ones for duplicate suspicion.
    duplicate_window_days: int = 30
    # How long after a disposal the citizen may give feedback, and may appeal (F7, F8).
    feedback_window_days: int = 15
    appeal_window_days: int = 30
    # How long messages already delivered stay in the outbox (the housekeeping job).
    outbox_retention_days: int = 90
    # Web Push endpoints on 127.0.0.1 (a fake push service in tests, local development);
    # never in production, where only the browsers' push services are accepted.
    push_allow_loopback: bool = False
    # Delivery channels (unset: SMS goes to the log, e-mail and WhatsApp rows wait).
    gateways: GatewaySettings = field(default_factory=lambda: GatewaySettings())
    # The upstream (national) portal: pull its grievances, push status back
    # (docs in backend/upstream/CONTRACT.md); unset, the sync jobs do nothing.
    upstream_url: str = ""
    upstream_token: str = ""
    # GraphQL introspection (`__schema`, `__type`): on in the embedded default and with
    # GRIEVANCE_DEBUG, off in production unless GRIEVANCE_INTROSPECTION turns it on. The
    # PWA needs none of it; an open schema only helps whoever maps the API to attack it.
    introspection: bool = True
    # Log lines as JSON objects (production default) or plain text (embedded default).
    log_format: str = "text"
    # A bearer token that lets a scraper read /metrics from outside loopback; unset,
    # only loopback clients may (the figures say how busy the service is, no more).
    metrics_token: str = ""

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_redis(self) -> bool:
        return self.redis_url is not None

    @property
    def cookie_secure(self) -> bool:
        # Production is served over TLS (behind the proxy the app sees plain http, so the
        # request's own scheme says nothing); the embedded default is plain http on
        # loopback, where a Secure cookie would never be sent back.
        return self.is_production or self.public_url.startswith("https://")


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Tortoise names the asyncpg backend `postgres://`; accept the usual spellings."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "asyncpg://"):
        if url.startswith(prefix):
            return "postgres://" + url[len(prefix) :]
    return url


def generate_vapid_keys() -> tuple[str, str]:
    """A P-256 key pair: private as base64url DER (what pywebpush takes), public as the
    base64url uncompressed point (the browser's applicationServerKey)."""
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64(der), _b64(point)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _embedded_secrets(var_dir: Path) -> dict[str, str]:
    """Generated on first use and kept: restarting must not sign everyone out.

    Several processes may start at once on an empty var dir (API and workers): the file
    is created exclusively, so exactly one of them writes it and all use what it wrote.
    """
    path = var_dir / "secrets.json"
    for _ in range(50):
        if path.exists():
            stored: dict[str, str] = json.loads(path.read_text() or "{}")
            if {"secret_key", "vapid_private_key", "vapid_public_key"} <= stored.keys():
                return stored
            time.sleep(0.02)  # another process is writing it
            continue
        var_dir.mkdir(parents=True, exist_ok=True)
        private, public = generate_vapid_keys()
        secrets_ = {"secret_key": new_token(), "vapid_private_key": private, "vapid_public_key": public}
        tmp = var_dir / f".secrets.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(secrets_, fh)
        try:
            os.link(tmp, path)  # atomic, and fails if another process got there first
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    raise SettingsError(f"{path} exists but is incomplete; remove it to generate new secrets")


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a positive whole number, not {raw!r}")
    return int(raw)


def _introspection(env: Mapping[str, str], *, production: bool) -> bool:
    raw = (env.get("GRIEVANCE_INTROSPECTION") or "").strip().lower()
    if not raw:
        return not production or _flag(env.get("GRIEVANCE_DEBUG"))
    if raw not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise SettingsError(f"GRIEVANCE_INTROSPECTION must be on or off, not {raw!r}")
    return _flag(raw)
def _log_format(env: Mapping[str, str], default: str) -> str:
    raw = (env.get("GRIEVANCE_LOG_FORMAT") or default).strip().lower()
    if raw not in ("json", "text"):
        raise SettingsError(f"GRIEVANCE_LOG_FORMAT must be json or text, not {raw!r}")
    return raw


def _json_object(env: Mapping[str, str], name: str) -> dict[str, object]:
    raw = (env.get(name) or "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise SettingsError(f"{name} must be a JSON object: {error.msg}") from None
    if not isinstance(value, dict):
        raise SettingsError(f"{name} must be a JSON object")
    return value


def _gateways(env: Mapping[str, str]) -> GatewaySettings:
    sms_templates = _json_object(env, "GRIEVANCE_SMS_TEMPLATES")
    if any(not isinstance(v, str) or not v for v in sms_templates.values()):
        raise SettingsError("GRIEVANCE_SMS_TEMPLATES maps each template to its DLT template id (a string)")
    wa_templates = _json_object(env, "GRIEVANCE_WHATSAPP_TEMPLATES")
    for key, value in wa_templates.items():
        if (not isinstance(value, dict) or not isinstance(value.get("name"), str)
                or not all(isinstance(p, str) for p in value.get("params", []))):
            raise SettingsError(f"GRIEVANCE_WHATSAPP_TEMPLATES[{key!r}] must be {{\"name\": ..., \"params\": [...]}}")
    tls = (env.get("GRIEVANCE_SMTP_TLS") or "starttls").strip().lower()
    if tls not in ("none", "starttls", "tls"):
        raise SettingsError(f"GRIEVANCE_SMTP_TLS must be none, starttls or tls, not {tls!r}")
    sms_url = (env.get("GRIEVANCE_SMS_URL") or "").strip()
    if sms_url and not all(env.get(k) for k in ("GRIEVANCE_SMS_API_KEY", "GRIEVANCE_SMS_SENDER",
                                                 "GRIEVANCE_SMS_ENTITY_ID")):
        raise SettingsError("GRIEVANCE_SMS_URL needs GRIEVANCE_SMS_API_KEY, GRIEVANCE_SMS_SENDER and "
                            "GRIEVANCE_SMS_ENTITY_ID")
    smtp_host = (env.get("GRIEVANCE_SMTP_HOST") or "").strip()
    if smtp_host and not env.get("GRIEVANCE_SMTP_FROM"):
        raise SettingsError("GRIEVANCE_SMTP_HOST needs GRIEVANCE_SMTP_FROM")
    wa_url = (env.get("GRIEVANCE_WHATSAPP_URL") or "").strip()
    if wa_url and not all(env.get(k) for k in ("GRIEVANCE_WHATSAPP_TOKEN", "GRIEVANCE_WHATSAPP_PHONE_NUMBER_ID")):
        raise SettingsError("GRIEVANCE_WHATSAPP_URL needs GRIEVANCE_WHATSAPP_TOKEN and "
                            "GRIEVANCE_WHATSAPP_PHONE_NUMBER_ID")
    return GatewaySettings(
        sms_url=sms_url, sms_api_key=env.get("GRIEVANCE_SMS_API_KEY") or "",
        sms_sender=env.get("GRIEVANCE_SMS_SENDER") or "", sms_entity_id=env.get("GRIEVANCE_SMS_ENTITY_ID") or "",
        sms_templates={str(k): str(v) for k, v in sms_templates.items()},
        smtp_host=smtp_host, smtp_port=_positive_int(env, "GRIEVANCE_SMTP_PORT", 587),
        smtp_user=env.get("GRIEVANCE_SMTP_USER") or "", smtp_password=env.get("GRIEVANCE_SMTP_PASSWORD") or "",
        smtp_from=env.get("GRIEVANCE_SMTP_FROM") or "", smtp_tls=tls,
        whatsapp_url=wa_url, whatsapp_token=env.get("GRIEVANCE_WHATSAPP_TOKEN") or "",
        whatsapp_phone_number_id=env.get("GRIEVANCE_WHATSAPP_PHONE_NUMBER_ID") or "",
        whatsapp_templates={str(k): v for k, v in wa_templates.items() if isinstance(v, dict)},
    )


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    environment = (env.get("GRIEVANCE_ENV") or "embedded").strip().lower()
    if environment not in ("embedded", "production"):
        raise SettingsError(f"GRIEVANCE_ENV must be 'embedded' or 'production', not {environment!r}")
    var_dir = Path(env.get("GRIEVANCE_VAR_DIR") or "var").resolve()
    public_url = (env.get("GRIEVANCE_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")
    origins = tuple(o.strip() for o in (env.get("GRIEVANCE_ALLOWED_ORIGINS") or "").split(",") if o.strip())
    common = {
        "var_dir": var_dir,
        "debug": _flag(env.get("GRIEVANCE_DEBUG")),
        "public_url": public_url,
        "allowed_origins": origins or (public_url,),
        "vapid_subject": env.get("GRIEVANCE_VAPID_SUBJECT") or "mailto:grievance-admin@localhost",
        "monthly_filing_cap": _positive_int(env, "GRIEVANCE_MONTHLY_FILING_CAP", 10),
        "duplicate_window_days": _positive_int(env, "GRIEVANCE_DUPLICATE_WINDOW_DAYS", 30),
        "feedback_window_days": _positive_int(env, "GRIEVANCE_FEEDBACK_WINDOW_DAYS", 15),
        "appeal_window_days": _positive_int(env, "GRIEVANCE_APPEAL_WINDOW_DAYS", 30),
        "outbox_retention_days": _positive_int(env, "GRIEVANCE_OUTBOX_RETENTION_DAYS", 90),
        "push_allow_loopback": _flag(env.get("GRIEVANCE_PUSH_ALLOW_LOOPBACK")),
        "gateways": _gateways(env),
        "upstream_url": (env.get("GRIEVANCE_UPSTREAM_URL") or "").strip().rstrip("/"),
        "upstream_token": (env.get("GRIEVANCE_UPSTREAM_TOKEN") or "").strip(),
        "introspection": _introspection(env, production=environment == "production"),
        "log_format": _log_format(env, "json" if environment == "production" else "text"),
        "metrics_token": (env.get("GRIEVANCE_METRICS_TOKEN") or "").strip(),
    }
    if environment == "production":
        required = {
            "DATABASE_URL": env.get("DATABASE_URL"),
            "REDIS_URL": env.get("REDIS_URL"),
            "GRIEVANCE_SECRET_KEY": env.get("GRIEVANCE_SECRET_KEY"),
            "GRIEVANCE_VAPID_PRIVATE_KEY": env.get("GRIEVANCE_VAPID_PRIVATE_KEY"),
            "GRIEVANCE_VAPID_PUBLIC_KEY": env.get("GRIEVANCE_VAPID_PUBLIC_KEY"),
            "GRIEVANCE_PUBLIC_URL": env.get("GRIEVANCE_PUBLIC_URL"),
        }
        missing = sorted(k for k, v in required.items() if not v)
        if missing:
            raise SettingsError("production refuses to start; missing: " + ", ".join(missing))
        if common["push_allow_loopback"]:
            raise SettingsError("GRIEVANCE_PUSH_ALLOW_LOOPBACK is for tests and development, never production")
        secret = required["GRIEVANCE_SECRET_KEY"] or ""
        if len(secret) < 32:
            raise SettingsError("GRIEVANCE_SECRET_KEY must be at least 32 characters")
        db_url = normalise_database_url(required["DATABASE_URL"] or "")
        if db_url.startswith("sqlite"):
            raise SettingsError("production needs PostgreSQL in DATABASE_URL, not SQLite")
        return Settings(
            environment="production",
            database_url=db_url,
            redis_url=required["REDIS_URL"],
            secret_key=secret,
            vapid_private_key=required["GRIEVANCE_VAPID_PRIVATE_KEY"] or "",
            vapid_public_key=required["GRIEVANCE_VAPID_PUBLIC_KEY"] or "",
            sms_log_path=None,
            **common,  # type: ignore[arg-type]
        )
    generated = _embedded_secrets(var_dir)
    db_default = f"sqlite://{var_dir / 'grievance.sqlite3'}"
    return Settings(
        environment="embedded",
        database_url=normalise_database_url(env.get("DATABASE_URL") or db_default),
        redis_url=env.get("REDIS_URL") or None,
        secret_key=env.get("GRIEVANCE_SECRET_KEY") or generated["secret_key"],
        vapid_private_key=env.get("GRIEVANCE_VAPID_PRIVATE_KEY") or generated["vapid_private_key"],
        vapid_public_key=env.get("GRIEVANCE_VAPID_PUBLIC_KEY") or generated["vapid_public_key"],
        sms_log_path=var_dir / "sms-outbox.log",
        **common,  # type: ignore[arg-type]
    )
