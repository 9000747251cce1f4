"""PostgreSQL's own client tools (pg_dump, pg_restore) driven from the settings' DSN.

The connection goes to the tools through libpq's environment variables rather than
their command line: a password on the command line is visible to every local user in
the process list, and the ORM's URL may carry options libpq does not know.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class ToolMissing(RuntimeError):
    """A client tool is not installed; the message says which package to install."""


class Unreachable(RuntimeError):
    """The server cannot be reached or refuses the login."""


@dataclass(frozen=True)
class PgTarget:
    host: str
    port: int
    user: str
    password: str
    database: str
    sslmode: str = ""

    @classmethod
    def from_url(cls, url: str) -> PgTarget:
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql", "asyncpg", "postgresql+asyncpg"):
            raise ValueError(f"not a PostgreSQL URL: {parts.scheme}://")
        query = parse_qs(parts.query)
        ssl = (query.get("sslmode") or query.get("ssl") or [""])[0]
        return cls(
            host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=unquote(parts.username or ""),
            password=unquote(parts.password or ""), database=unquote(parts.path.lstrip("/")) or "postgres",
            sslmode={"true": "require", "false": "disable"}.get(ssl.lower(), ssl),
        )

    def with_database(self, database: str) -> PgTarget:
        return PgTarget(self.host, self.port, self.user, self.password, database, self.sslmode)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE", "PGSSLMODE"):
            env.pop(key, None)
        env.update(PGHOST=self.host, PGPORT=str(self.port))
        if self.user:
            env["PGUSER"] = self.user
        if self.password:
            env["PGPASSWORD"] = self.password
        if self.sslmode:
            env["PGSSLMODE"] = self.sslmode
        return env

    def dbname_arg(self) -> str:
        """`--dbname` as a conninfo string, so no database name is taken for a URL or option."""
        quoted = self.database.replace("\\", "\\\\").replace("'", "\\'")
        return f"dbname='{quoted}'"

    def asyncpg_dsn(self) -> str:
        from urllib.parse import quote

        auth = quote(self.user, safe="")
        if self.password:
            auth += ":" + quote(self.password, safe="")
        ssl = f"?sslmode={self.sslmode}" if self.sslmode else ""
        return f"postgresql://{auth}@{self.host}:{self.port}/{quote(self.database, safe='')}{ssl}"


async def connect(where: PgTarget) -> Any:
    """An asyncpg connection; an unreachable server or a refused login becomes
    Unreachable, a message for the operator rather than a traceback."""
    import asyncpg

    try:
        return await asyncpg.connect(where.asyncpg_dsn())
    except asyncpg.InvalidCatalogNameError:
        raise
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise Unreachable(f"cannot use PostgreSQL at {where.host}:{where.port}/{where.database}: {error}") from None


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(
            f"{name} not found on PATH: install PostgreSQL's client tools of the server's major version or newer "
            f"(Debian: apt-get install postgresql-client-15)"
        )
    return path
