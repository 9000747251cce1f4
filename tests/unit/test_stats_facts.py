"""What a grievance event and a feedback count as (the definitions the rollups use)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.stats.facts import Count, day_bucket, district_of, event_counts, feedback_counts, median_days

FILED = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


def test_a_closure_is_a_disposal_with_its_duration_and_a_decision_on_a_dispute_is_not() -> None:
    at = FILED + timedelta(days=3, hours=2)
    counts = event_counts("close", "under_review", "closed", {"office": 7}, at, FILED)
    seconds = int((at - FILED).total_seconds())
    assert counts == [Count("disposed", 1, seconds), Count("closed"), Count("disposal_day:3")]
    assert event_counts("uphold", "disputed", "closed", {}, at, FILED) == [Count("upheld")]
    assert event_counts("reject", "registered", "rejected", {}, FILED, FILED)[1] == Count("rejected")


def test_stage_ends_escalations_and_simple_events() -> None:
    done = {"stage_done": {"stage": "final_report", "late": True}}
    assert event_counts("final_report", "assigned", "under_review", done, FILED, FILED) == [
        Count("sla_late:final_report")]
    assert event_counts("escalate", "assigned", "assigned", {"level": 2}, FILED, FILED) == [Count("escalated:2")]
    assert event_counts("file", "", "filed", {}, FILED, FILED) == [Count("received")]
    assert event_counts("comment", "assigned", "assigned", {}, FILED, FILED) == []


def test_feedback_counts_per_source_and_the_first_verdict_on_a_closure() -> None:
    assert feedback_counts("citizen", True, 4, first_on_closure=True) == [
        Count("feedback:citizen"), Count("feedback_resolved:citizen", 1), Count("rating:citizen", 1, 4), Count("resolved")]
    assert feedback_counts("call_centre", False, None, first_on_closure=False) == [
        Count("feedback:call_centre"), Count("feedback_resolved:call_centre", 0)]


def test_bands_districts_and_the_median() -> None:
    assert [day_bucket(d) for d in (-1, 0, 60, 61, 90, 91, 365, 400)] == [0, 0, 60, 90, 90, 180, 365, 366]
    assert district_of("BR-PAT-BIHTA") == "BR-PAT" and district_of("BR") == "BR"
    assert median_days({}) is None
    assert median_days({1: 1, 2: 1, 10: 1}) == 2.0
    assert median_days({0: 5, 30: 1}) == 0.0
