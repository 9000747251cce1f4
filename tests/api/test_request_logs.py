"""Production log lines: one JSON object each, carrying the id of the request that
caused them (the same id the response returns in x-request-id)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest

from backend.core.logs import JsonFormatter, handler_for

OTP = 'mutation($m: String!) { authRequestOtp(mobile: $m) { __typename } }'


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """The root logger's output in the production (JSON) format."""
    buffer = io.StringIO()
    handler = handler_for("json")
    handler.setStream(buffer)  # type: ignore[attr-defined]
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def lines(buffer: io.StringIO) -> list[dict[str, object]]:
    # Every line must parse on its own: json.loads raises on anything else.
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


async def test_a_request_s_log_lines_are_json_with_its_request_id(client: httpx.AsyncClient,
                                                                  captured: io.StringIO) -> None:
    response = await client.post("/graphql", json={"query": OTP, "variables": {"m": "9876500001"}})
    assert response.status_code == 200 and response.json()["data"]["authRequestOtp"]["__typename"] == "OtpSent"
    request_id = response.headers["x-request-id"]
    records = lines(captured)
    sms = [r for r in records if r["logger"] == "backend.notifications.sms"]
    assert sms, records
    assert sms[0]["request_id"] == request_id and sms[0]["level"] == "INFO"
    assert str(sms[0]["message"]).startswith("SMS to ******0001")
    assert {"timestamp", "level", "logger", "message"} <= set(sms[0])


async def test_the_proxy_s_request_id_is_kept_and_a_bad_one_replaced(client: httpx.AsyncClient,
                                                                     captured: io.StringIO) -> None:
    given = "5f1c0e4b9a7d4c2e8b3a6f0d1e2c3b4a"
    kept = await client.post("/graphql", json={"query": OTP, "variables": {"m": "9876500002"}},
                             headers={"x-request-id": given})
    assert kept.headers["x-request-id"] == given
    assert [r["request_id"] for r in lines(captured) if r["logger"] == "backend.notifications.sms"] == [given]
    forged = await client.get("/healthz", headers={"x-request-id": "evil\" id {}"})
    assert forged.headers["x-request-id"] != "evil\" id {}" and len(forged.headers["x-request-id"]) == 16


def test_lines_outside_a_request_have_no_request_id_and_keep_extra_fields() -> None:
    record = logging.LogRecord("backend.jobs", logging.WARNING, __file__, 1, "sweep took %d ms", (12,), None)
    record.grievances = 3
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "sweep took 12 ms" and entry["level"] == "WARNING" and entry["logger"] == "backend.jobs"
    assert entry["grievances"] == 3 and "request_id" not in entry
    assert entry["timestamp"].endswith("+00:00")
