"""Paths that must carry no contact details of the citizen at all: the monthly report
(its figures and its CSV download) and Open311's answers."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from backend.grievances import intake
from backend.grievances.models import Grievance
from backend.open311.http import request_json
from backend.orgs.models import Unit
from backend.settings import Settings
from backend.stats.reports import generate, previous_month
from tests.conftest import NOW
from tests.factories import actor_for, lifecycle_world
from tests.integration.test_callcentre import form

pytestmark = pytest.mark.usefixtures("db")
CONTACT = {"citizen_name": "Sita Devi Paswan", "citizen_mobile": "9876500004", "citizen_email": "sita.paswan@example.in",
           "citizen_address": "Ward 9, Bihta bazaar"}


async def test_reports_and_open311_answers_carry_no_contact_details(settings: Settings) -> None:
    w = await lifecycle_world(settings)
    cell = await actor_for(w.users["cell"])
    data = replace(form(w, CONTACT["citizen_mobile"]), description="Applied for a ration card in June; nothing since.",
                   citizen_name=CONTACT["citizen_name"], citizen_email=CONTACT["citizen_email"],
                   citizen_address=CONTACT["citizen_address"])
    filed = (await intake.file_grievance(settings, cell, data, now=NOW)).grievance
    report = await generate(await Unit.get(id=w.tree.state.id), previous_month(NOW.date()), NOW)
    assert filed.number in {p["number"] for p in report.figures["oldest_pending"]}  # the grievance is in it
    g = await Grievance.get(id=filed.id).prefetch_related("unit", "category")
    for text in (json.dumps(report.figures, ensure_ascii=False), report.csv, json.dumps(request_json(g), default=str)):
        for value in CONTACT.values():
            assert value not in text
