"""A few grievances of the demo citizen at different points of seed 004's flow, made
through the real services (so their numbers, clocks, timelines and messages are real)."""

from __future__ import annotations

from datetime import datetime, timedelta

from backend.accounts.models import Citizen, StaffUser
from backend.accounts.sign_in import grants_of
from backend.authz.actors import Actor, ActorKind
from backend.categories.models import Category
from backend.grievances import intake, reports, services
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.grievances.states import State
from backend.orgs.models import Unit
from backend.settings import Settings

CITIZEN_MOBILE = "9000000001"
# (subject, description, relief sought, how far it has gone, category code)
STORIES = (
    ("Mutation application pending for eight months", "दाखिल-खारिज का आवेदन आठ महीने से लंबित है। अंचल कार्यालय में कई बार गया।",
     "Complete the mutation and correct the jamabandi.", "filed", "REV-MUT-DELAY"),
    ("Land record shows the wrong area", "My jamabandi shows 12 decimal instead of 21 decimal after the survey.",
     "Correct the land record.", "in_progress", "REV-LR-CORR-AREA"),
    ("Encroachment on the village pond", "Government pond land in ward 4 has been encroached and filled with earth.",
     "Remove the encroachment.", "under_review", "REV-GOVLAND-POND"),
    ("Land possession certificate not issued", "Applied for an LPC in August; the office keeps asking me to come later.",
     "Issue the LPC.", "closed", "REV-LPC-DELAY"),
)


async def _staff(username: str) -> Actor:
    user = await StaffUser.get(username=username)
    return Actor(ActorKind.STAFF, user.id, user.full_name, await grants_of(user.id))


async def load_demo_grievances(settings: Settings, now: datetime) -> int:
    categories = {c.code: c for c in await Category.filter(code__in=[s[4] for s in STORIES], active=True)}
    if len(categories) < len(STORIES):
        return 0
    citizen = await Citizen.get_or_none(mobile=CITIZEN_MOBILE) or await Citizen.create(
        mobile=CITIZEN_MOBILE, name="Demo Citizen", language="hi", created_at=now)
    me = Actor(ActorKind.CITIZEN, citizen.id, citizen.name)
    cell, nodal, officer = await _staff("cell.operator"), await _staff("nodal.patna"), await _staff("bdo.bihta")
    district, block = await Unit.get(code="PAT-DM"), await Unit.get(code="PAT-BIHTA")
    start = now - timedelta(days=6)
    for i, (subject, description, relief, goal, code) in enumerate(STORIES):
        t = start + timedelta(days=i, hours=2)
        g = (await intake.file_grievance(settings, me, intake.FilingInput(
            channel=Channel.WEB, category_id=categories[code].id, area_code="BR-PAT-BIHTA", subject=subject,
            description=description, relief_sought=relief, citizen_name="Demo Citizen", language="hi",
            idempotency_key=f"demo-story-{i:04d}"), now=t)).grievance
        if goal == "filed":
            continue
        if g.status in (State.FILED, State.REGISTERED):
            g = await services.allot(cell, g.id, unit_id=district.id, now=t + timedelta(minutes=40))
        if g.unit_id == district.id:  # type: ignore[attr-defined]
            g = await services.transfer(nodal, g.id, unit_id=block.id, now=t + timedelta(hours=2))
        if g.status is State.ALLOTTED:
            g = await services.assign(nodal, g.id, officer_id=officer.id or 0, now=t + timedelta(hours=3))
        g, _ = await reports.preliminary_report(officer, g.id, reports.ReportInput(
            concerns_office=True, known_before=False, action_taken="Records called for from the circle office.",
            resolvable_in_72h=True, reply="We are looking into it."), now=t + timedelta(hours=20))
        if goal == "in_progress":
            continue
        g, _ = await reports.final_report(officer, g.id, reports.ReportInput(
            action_taken="Matter resolved on the spot after verification.",
            reply="The matter has been resolved; please confirm."), now=t + timedelta(hours=60))
        if goal == "under_review":
            continue
        reviewers = {"PAT-DM": "dm.patna", "GOB": "cell.operator"}
        while g.status is State.UNDER_REVIEW:
            level_unit = await Unit.get(id=g.unit_id)  # type: ignore[attr-defined]
            actor = await _staff(reviewers.get(level_unit.code, "nodal.revenue"))
            at = t + timedelta(hours=62 + g.review_level)
            if g.review_level >= len(g.review_chain) - 1:
                g = await reports.close(actor, g.id, note="Resolved as reported.", now=at)
            else:
                g = await reports.review_approve(actor, g.id, now=at)
    return await Grievance.filter(citizen_id=citizen.id).count()
