"""GraphQL operations on grievances shared by the API tests."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import httpx

from backend.grievances.models import Grievance
from tests.api.conftest import gql

INDIA = ZoneInfo("Asia/Kolkata")

FIELDS = """id number status stage dueAt version channel reviewLevel citizenName citizenMobile
  unit { code } intakeUnit { code } assignedOfficerName masterNumber suspectedDuplicates availableActions
  timeline { action fromStatus toStatus note role unitName actorName internal }"""
RESULT = f"""__typename ... on GrievanceSuccess {{ grievance {{ {FIELDS} }} }}
  ... on OperationError {{ code message fields {{ field message }} }}"""

FILE = f"""mutation($input: GrievanceFileInput!) {{ grievanceFile(input: $input) {{ __typename
  ... on GrievanceFileSuccess {{ created grievance {{ {FIELDS} }} }}
  ... on OperationError {{ code message fields {{ field message }} }} }} }}"""

REPORT = f"""mutation($id: ID!, $kind: ReportKind!, $input: ReportInput!, $v: Int) {{
  reportSubmit(id: $id, kind: $kind, input: $input, expectedVersion: $v) {{ __typename
  ... on ReportSuccess {{ report {{ id kind outcome }} grievance {{ {FIELDS} }} }}
  ... on OperationError {{ code message fields {{ field message }} }} }} }}"""

GET = f"query($id: ID!) {{ grievance(id: $id) {{ {FIELDS} reports {{ kind reply actionTaken authorName "\
      f"reviewSteps {{ level decision note reviewerName }} }} }} }}"


async def filed_year(number: str) -> int:
    """India's calendar year of the grievance's filing: the YYYY its number must carry. The
    API files on the real clock, so the year is read back rather than written into tests."""
    grievance = await Grievance.get(number=number)
    return grievance.filed_at.astimezone(INDIA).year


def filing(category_id: int | str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "WHATSAPP", "categoryId": str(category_id), "areaCode": "BR-A-1",
        "subject": "Mutation pending for eight months",
        "description": "My land mutation application at the circle office has been pending since March.",
        "reliefSought": "Complete the mutation and issue the corrected land record.",
        "citizenName": "Ramesh Kumar", "citizenMobile": "9812345678", "language": "hi",
    }
    data.update(overrides)
    return data


async def file(client: httpx.AsyncClient, token: str, data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = (await gql(client, FILE, {"input": data}, token=token))["data"]["grievanceFile"]
    return result


async def act(client: httpx.AsyncClient, token: str | None, name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Call one `GrievanceResult` mutation with literal-typed variables."""
    types = {"id": "ID!", "unitId": "ID!", "officerId": "ID!", "masterId": "ID!", "note": "String",
             "rightAuthority": "String!", "reason": "RejectionReason!", "question": "String!", "text": "String!",
             "expectedVersion": "Int", "visibility": "Visibility", "suggestedUnitId": "ID", "directions": "String!",
             "grounds": "String!", "reopen": "Boolean!"}
    if name in ("reviewSendBack", "grievanceReject"):
        types["note"] = "String!"
    if name == "disputeUphold":
        types["reason"] = "String!"
    decl = ", ".join(f"${k}: {types[k]}" for k in args)
    call = ", ".join(f"{k}: ${k}" for k in args)
    body = await gql(client, f"mutation({decl}) {{ {name}({call}) {{ {RESULT} }} }}", args, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][name]
    return result


async def report(client: httpx.AsyncClient, token: str, gid: str, kind: str, data: dict[str, Any],
                 version: int | None = None) -> dict[str, Any]:
    body = await gql(client, REPORT, {"id": gid, "kind": kind, "input": data, "v": version}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["reportSubmit"]
    return result


async def get(client: httpx.AsyncClient, token: str, gid: str) -> dict[str, Any] | None:
    body = await gql(client, GET, {"id": gid}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] | None = body["data"]["grievance"]
    return result


def ok(result: dict[str, Any]) -> dict[str, Any]:
    assert result["__typename"] in ("GrievanceSuccess", "ReportSuccess", "GrievanceFileSuccess"), result
    grievance: dict[str, Any] = result["grievance"]
    return grievance


def refused(result: dict[str, Any], code: str) -> dict[str, Any]:
    assert result["__typename"] == "OperationError", result
    assert result["code"] == code, result
    return result


PRELIMINARY = {"concernsOffice": True, "knownBefore": False, "actionTaken": "Case file called for from the halka karmachari.",
               "resolvableIn72h": True, "reply": "We are examining your mutation case."}
FINAL = {"actionTaken": "Mutation case 123/2026 approved; jamabandi corrected.",
         "reply": "Your mutation has been completed and the land record corrected."}
