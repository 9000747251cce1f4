"""Seed 004 against the real `grievance demo` server: the cell files a WhatsApp petition
found by keyword, it routes, and the citizen is acknowledged by SMS and sees it."""

from __future__ import annotations

import asyncio

import httpx

from tests.e2e.support import DEMO_CITIZEN_MOBILE, LiveServer
from tests.e2e.test_live_api import REQUEST_OTP, STEP_TIMEOUT_S, VERIFY_OTP, gql, sms_to, staff_token

SEARCH = """query($t: String!, $l: String!) { categorySearch(text: $t, language: $l, limit: 3) {
  ... on CategorySearchResults { matches { leaf { id code } path { name(language: $l) } } } } }"""
FILE = """mutation($input: GrievanceFileInput!) { grievanceFile(input: $input) { __typename
  ... on GrievanceFileSuccess { grievance { id number status unit { code } } }
  ... on OperationError { code message fields { field message } } } }"""
MINE = "{ myGrievances(first: 20) { ... on GrievancePage { items { number status timeline { action } } } } }"


async def test_cell_files_a_whatsapp_grievance_and_the_citizen_sees_it(http: httpx.AsyncClient,
                                                                        live_server: LiveServer) -> None:
    found = (await gql(http, SEARCH, {"t": "दाखिल खारिज", "l": "hi"}))["categorySearch"]["matches"]
    assert found, "the demo category tree answers a Hindi keyword"
    leaf = found[0]["leaf"]
    assert len(found[0]["path"]) >= 2  # the whole path in one pick

    cell = await staff_token(http, "cell.operator")
    already = len(live_server.sms_messages())
    filed = (await gql(http, FILE, {"input": {
        "channel": "WHATSAPP", "categoryId": leaf["id"], "areaCode": "BR-PAT-BIHTA",
        "subject": "Mutation not done", "description": "Applied for mutation in January; still pending.",
        "reliefSought": "Complete the mutation.", "citizenName": "Demo Citizen", "citizenMobile": DEMO_CITIZEN_MOBILE,
    }}, token=cell))["grievanceFile"]
    assert filed["__typename"] == "GrievanceFileSuccess", filed
    number = filed["grievance"]["number"]
    assert number.startswith("GOB/A/")

    # The acknowledgement goes out through the outbox, after commit, without a request.
    async def acknowledged() -> None:
        while not any(number in m["text"] for m in await sms_to(live_server, DEMO_CITIZEN_MOBILE, skip=already)):
            await asyncio.sleep(0.1)

    await asyncio.wait_for(acknowledged(), STEP_TIMEOUT_S)

    sent = len(live_server.sms_messages())
    assert (await gql(http, REQUEST_OTP, {"m": DEMO_CITIZEN_MOBILE}))["authRequestOtp"]["__typename"] == "OtpSent"
    otp = (await asyncio.wait_for(sms_to(live_server, DEMO_CITIZEN_MOBILE, skip=sent), STEP_TIMEOUT_S))[-1]
    token = (await gql(http, VERIFY_OTP, {"m": DEMO_CITIZEN_MOBILE, "c": otp["text"].split()[0]}))[
        "authVerifyOtp"]["token"]
    mine = (await gql(http, MINE, token=token))["myGrievances"]["items"]
    numbers = [g["number"] for g in mine]
    assert number in numbers
    # The demo citizen's own story grievances are there too, at different stages; the
    # newest was routed by a demo rule straight to the block office.
    assert {"IN_PROGRESS", "UNDER_REVIEW", "CLOSED"} <= {g["status"] for g in mine}
    assert all(g["timeline"][0]["action"] == "file" for g in mine)
