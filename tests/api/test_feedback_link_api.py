"""Feedback through the signed SMS link, without signing in (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from backend.feedback.models import Feedback
from backend.grievances.models import Grievance
from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql
from tests.api.grievance_ops import act, ok
from tests.api.test_feedback_appeals_api import GIVE, closed_grievance
from tests.factories import lifecycle_world

LINK = """query($t: String!) { feedbackLink(token: $t) { __typename
  ... on FeedbackLinkInfo { number subject status alreadyGiven expiresAt }
  ... on OperationError { code message } } }"""
GIVE_BY_LINK = """mutation($t: String!, $r: Boolean!, $rating: Int, $remarks: String!) {
  feedbackGiveByLink(token: $t, resolved: $r, rating: $rating, remarks: $remarks) { __typename
  ... on FeedbackByLinkSuccess { number status appealOffered feedback { resolved rating source } }
  ... on OperationError { code message fields { field message } } } }"""
MOBILE = "9812345678"


async def link_from_sms(runtime: Runtime, settings: Settings) -> str:
    """Dispatch the outbox as the worker does and read the token from the SMS text."""
    await runtime.queue.enqueue("dispatch_outbox")
    await runtime.queue.drain()  # type: ignore[attr-defined]
    sms = runtime.sms.last_to(MOBILE)  # type: ignore[attr-defined]
    assert sms is not None
    found = re.search(re.escape(settings.public_url) + r"/feedback/#t=(\S+)", sms.text)
    assert found, sms.text
    return found.group(1)


async def give(client: httpx.AsyncClient, token: str, resolved: bool, rating: int | None = None) -> dict[str, Any]:
    body = await gql(client, GIVE_BY_LINK, {"t": token, "r": resolved, "rating": rating, "remarks": "Done well."})
    result: dict[str, Any] = body["data"]["feedbackGiveByLink"]
    return result


async def test_the_sms_link_takes_feedback_once_without_sign_in(client: httpx.AsyncClient, settings: Settings,
                                                                runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    gid, _ = await closed_grievance(client, w)
    token = await link_from_sms(runtime, settings)

    shown = (await gql(client, LINK, {"t": token}))["data"]["feedbackLink"]
    assert shown["__typename"] == "FeedbackLinkInfo" and shown["status"] == "CLOSED"
    assert shown["alreadyGiven"] is False and shown["subject"] == "Mutation pending for eight months"
    bad = await give(client, token, True, rating=6)
    assert bad["fields"] == [{"field": "rating", "message": "must be from 1 to 5"}]
    given_ = await give(client, token, True, rating=2)
    assert given_["__typename"] == "FeedbackByLinkSuccess" and given_["appealOffered"] is True
    assert given_["feedback"] == {"resolved": True, "rating": 2, "source": "CITIZEN"}
    # Once per disposal: the link again, or the app, are refused.
    assert (await give(client, token, False))["code"] == "ALREADY_USED"
    citizen = await citizen_sign_in(client, runtime, MOBILE)
    again = (await gql(client, GIVE, {"id": gid, "r": True, "rating": 5, "remarks": ""}, token=citizen))
    assert again["data"]["feedbackGive"]["code"] == "ALREADY_USED"
    assert (await gql(client, LINK, {"t": token}))["data"]["feedbackLink"]["alreadyGiven"] is True
    assert await Feedback.filter(grievance_id=int(gid)).count() == 1


async def test_not_resolved_by_link_disputes_and_the_old_link_goes_stale(client: httpx.AsyncClient,
                                                                         settings: Settings, runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    gid, t = await closed_grievance(client, w)
    token = await link_from_sms(runtime, settings)
    said = await give(client, token, False, rating=1)
    assert (said["status"], said["appealOffered"]) == ("DISPUTED", False)
    ok(await act(client, t["head"], "disputeRemand", {"id": gid, "directions": "Visit the site."}))
    # The decision the link was about has been superseded.
    stale = (await gql(client, LINK, {"t": token}))["data"]["feedbackLink"]
    assert stale["code"] == "EXPIRED"


@pytest.mark.parametrize("tamper", ["", "x", "flip", "other-grievance"])
async def test_tampered_or_expired_links_change_nothing(client: httpx.AsyncClient, settings: Settings,
                                                        runtime: Runtime, tamper: str) -> None:
    w = await lifecycle_world(settings)
    gid, _ = await closed_grievance(client, w)
    token = await link_from_sms(runtime, settings)
    forged = {"": "", "x": "x", "flip": token[:-1] + ("A" if token[-1] != "A" else "B"),
              "other-grievance": f"{int(gid) + 1}{token[token.index('.'):]}"}[tamper]
    result = await give(client, forged, False)
    assert result["code"] == "NOT_FOUND"
    assert await Feedback.all().count() == 0 and (await Grievance.get(id=int(gid))).status == "closed"


async def test_an_expired_link_is_refused(client: httpx.AsyncClient, settings: Settings, runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    gid, _ = await closed_grievance(client, w)
    token = await link_from_sms(runtime, settings)
    await Grievance.filter(id=int(gid)).update(
        closed_at=(await Grievance.get(id=int(gid))).closed_at - timedelta(days=settings.feedback_window_days + 1))
    # The token itself has not expired yet (it was signed at closure), but the window has.
    result = await give(client, token, True)
    assert result["code"] == "EXPIRED" and await Feedback.all().count() == 0


async def test_the_feedback_page_is_served(client: httpx.AsyncClient) -> None:
    page = await client.get("/feedback/")
    assert page.status_code == 200 and 'src="/js/feedback.js"' in page.text
    # Served under the default CSP: the page's script is a file of its own, not inline.
    assert page.headers["content-security-policy"].startswith("default-src 'self'") and "<script>" not in page.text
    script = await client.get("/js/feedback.js")
    assert script.status_code == 200 and "feedbackGiveByLink" in script.text
