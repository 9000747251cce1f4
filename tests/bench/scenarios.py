"""The load scenarios: each runs a bounded number of clients for a bounded time and
returns what it measured."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tests.bench import operations as ops
from tests.bench.actors import AREA, World
from tests.bench.harness import Client, GraphQLError

LIFECYCLE_OPS = ("file", "allot", "preliminary", "final", "approve", "close", "status")


@dataclass
class Staff:
    cell: str
    nodal: str
    head: str


@dataclass
class Outcome:
    done: int = 0
    failed: int = 0
    elapsed: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed else 0.0


def _ok(data: dict[str, Any], name: str, status: str) -> dict[str, Any]:
    result = data[name]
    grievance = result.get("grievance") if isinstance(result, dict) else None
    if grievance is None or grievance["status"] != status:
        raise GraphQLError(f"{name}: expected {status}, got {str(result)[:300]}")
    return grievance  # type: ignore[no-any-return]


async def one_lifecycle(client: Client, staff: Staff, world: World, rng: random.Random, seq: int) -> None:
    mobile, citizen_token = world.citizens[rng.randrange(len(world.citizens))]
    filing = {"channel": "WHATSAPP", "categoryId": str(world.category_id), "areaCode": AREA,
              "subject": f"Mutation pending for months ({seq})",
              "description": "My land mutation application at the circle office has been pending since March; "
                             f"I visited the office several times. Reference {seq}.",
              "reliefSought": "Complete the mutation and issue the corrected land record.",
              "citizenName": f"Bench Citizen {mobile[-4:]}", "citizenMobile": mobile, "language": "en"}
    g = _ok(await client.gql("file", ops.FILE, {"input": filing}, token=staff.cell), "grievanceFile", "FILED")
    gid = g["id"]
    g = _ok(await client.gql("allot", ops.ALLOT, {"id": gid, "u": str(world.allot_unit_id), "v": g["version"]},
                             token=staff.cell), "grievanceAllot", "ALLOTTED")
    g = _ok(await client.gql("preliminary", ops.REPORT, {"id": gid, "kind": "PRELIMINARY", "input": ops.PRELIMINARY,
                                                         "v": g["version"]}, token=staff.nodal),
            "reportSubmit", "IN_PROGRESS")
    g = _ok(await client.gql("final", ops.REPORT, {"id": gid, "kind": "FINAL", "input": ops.FINAL, "v": g["version"]},
                             token=staff.nodal), "reportSubmit", "UNDER_REVIEW")
    g = _ok(await client.gql("approve", ops.APPROVE, {"id": gid, "v": g["version"]}, token=staff.head),
            "reviewApprove", "UNDER_REVIEW")
    g = _ok(await client.gql("close", ops.CLOSE, {"id": gid, "v": g["version"]}, token=staff.cell),
            "grievanceClose", "CLOSED")
    seen = (await client.gql("status", ops.STATUS, {"id": gid}, token=citizen_token))["grievance"]
    if seen is None or seen["status"] != "CLOSED":
        raise GraphQLError(f"status: the citizen sees {str(seen)[:300]}")


async def lifecycles(client: Client, staff: Staff, world: World, *, clients: int, seconds: float,
                     seed: int) -> Outcome:
    out = Outcome()
    deadline = time.monotonic() + seconds
    counter = iter(range(10**9))

    async def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        while time.monotonic() < deadline:
            try:
                await one_lifecycle(client, staff, world, rng, next(counter))
                out.done += 1
            except Exception as error:  # counted and shown: a benchmark that hides failures measures nothing
                out.failed += 1
                if len(out.errors) < 5:
                    out.errors.append(repr(error)[:400])

    started = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(clients)))
    out.elapsed = time.monotonic() - started
    return out


async def repeat_query(client: Client, name: str, query: str, variables: dict[str, Any], token: str, *,
                       clients: int, seconds: float, check: str) -> Outcome:
    """The same read by several clients at once for a while (first answers included)."""
    out = Outcome()
    deadline = time.monotonic() + seconds

    async def worker() -> None:
        while time.monotonic() < deadline:
            try:
                data = await client.gql(name, query, variables, token=token)
                if data[check].get("__typename") == "OperationError":
                    raise GraphQLError(str(data)[:300])
                out.done += 1
            except Exception as error:
                out.failed += 1
                if len(out.errors) < 5:
                    out.errors.append(repr(error)[:400])

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(clients)))
    out.elapsed = time.monotonic() - started
    return out


def month_window(today: date) -> dict[str, str]:
    return {"s": (today - timedelta(days=30)).isoformat(), "e": today.isoformat()}
