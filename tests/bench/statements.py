"""The SQL statements each lifecycle operation sends, counted by PostgreSQL itself.

    python -m tests.bench.statements [--template bench_base]

Clones TEMPLATE (the demo state by default) into `bench_statements`, turns on
`log_statement = 'all'` for that database alone, runs one `grievance serve` and three
lifecycles through it (the first two warm the caches), and counts the statements the
server's log lines show between the operations of the last one. Prints one line per
operation and the total; writes every statement to var/bench/statements.txt.

Reads the cluster's log file (Debian's pg_ctlcluster default, override with
--log): it needs the machine's PostgreSQL and permission to read its log.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from backend.db import close_db, init_db
from backend.settings import generate_vapid_keys
from tests.bench import scenarios
from tests.bench.actors import prepare
from tests.bench.harness import BIN, ROOT, Client, Target, start, wait_ready
from tests.bench.run import BASE, OUT, PG, REDIS, _settings, sign_in

DATABASE = "bench_statements"
PORT = 8191
STATEMENT = re.compile(r"LOG:  (statement|execute)")


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(f"{PG}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--template", default=BASE)
    parser.add_argument("--log", type=Path, default=Path("/var/log/postgresql/postgresql-15-main.log"))
    args = parser.parse_args(argv)
    await _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    await _admin(f'CREATE DATABASE "{DATABASE}" TEMPLATE "{args.template}"')
    url = f"{PG}/{DATABASE}"
    var = OUT / "statements-var"
    target = Target(url, REDIS, var, *generate_vapid_keys())
    env = target.env()
    env.pop("GRIEVANCE_ENV")
    subprocess.run([str(BIN / "grievance"), "migrate"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    await init_db(url)
    world = await prepare(_settings(target), citizens=20)
    await close_db()
    await _admin(f'ALTER DATABASE "{DATABASE}" SET log_statement = \'all\'')
    server = start("statements", ["serve", "--host", "127.0.0.1", "--port", str(PORT)], target.env(PORT), var)
    counts: dict[str, list[str]] = {}
    try:
        await wait_ready(f"http://127.0.0.1:{PORT}", server)
        async with aiohttp.ClientSession() as http:
            client = Client(http, [f"http://127.0.0.1:{PORT}"])
            staff = scenarios.Staff(*[await sign_in(client, u) for u in ("cell.operator", "nodal.revenue",
                                                                          "secretary.revenue")])
            plain = client.gql

            async def counted(op: str, *a: Any, **k: Any) -> dict[str, Any]:
                # Quiet either side, so that each operation's lines are its own.
                await asyncio.sleep(0.3)
                before = args.log.stat().st_size
                result = await plain(op, *a, **k)
                await asyncio.sleep(0.3)
                with args.log.open("rb") as log:
                    log.seek(before)
                    text = log.read().decode(errors="replace")
                counts[op] = [line[line.index("LOG:"):] for line in text.splitlines() if STATEMENT.search(line)]
                return result

            for n in range(3):
                client.gql = counted if n == 2 else plain  # type: ignore[method-assign]
                await scenarios.one_lifecycle(client, staff, world, random.Random(n), 900_000 + n)
    finally:
        server.stop()
        await _admin(f'ALTER DATABASE "{DATABASE}" RESET log_statement')
        await _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    for op, lines in counts.items():
        print(f"{op:12} {len(lines):4d}")
    print(f"{'lifecycle':12} {sum(len(v) for v in counts.values()):4d}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "statements.txt").write_text("\n".join(f"== {op}\n" + "\n".join(lines) for op, lines in counts.items()) + "\n")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
