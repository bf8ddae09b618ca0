"""The secretary's dashboard figures (registry/services/dashboard.py) and the geometry of
its charts (registry/views/charts.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from registry.extensions import db
from registry.models import AssessmentRound, AuditEvent
from registry.services import dashboard
from registry.services.validity import add_months
from registry.views import charts
from tests.factories import make_intervention
from tests.unit.procedure.support import drive, make_cast, make_user

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def _transitions(round_id: int, *steps: tuple[float, str | None, str]) -> None:
    """Audit events of a round's transitions: (days before NOW, from state, to state)."""
    for days_ago, from_state, to_state in steps:
        db.session.add(AuditEvent(
            action="step", entity_type=AssessmentRound.__tablename__, entity_id=round_id,
            occurred_at=NOW - timedelta(days=days_ago), from_state=from_state,
            to_state=to_state))
    db.session.flush()


def _times() -> dict[str, dashboard.StageTime]:
    return {t.state: t for t in dashboard.stage_times(NOW)}


def test_stage_times_are_the_median_and_90th_percentile_of_visits_that_ended():
    # Screening took 2, 4 and 10 days in three rounds.
    for round_id, days in ((900001, 2), (900002, 4), (900003, 10)):
        _transitions(round_id, (50, "draft", "submitted"), (40, "submitted", "screening"),
                     (40 - days, "screening", "in_review"))
    times = _times()
    assert times["screening"].visits == 3
    assert times["screening"].median_days == pytest.approx(4)
    assert times["screening"].p90_days == pytest.approx(10)  # nearest rank: 3rd of 3
    assert times["submitted"].median_days == pytest.approx(10)
    # in_review was entered but never left: not counted until it is.
    assert times["in_review"].visits == 0
    assert times["in_review"].median_days is None


def test_a_visit_that_ended_before_the_window_does_not_count():
    _transitions(900010, (500, "submitted", "screening"), (400, "screening", "in_review"),
                 (30, "in_review", "in_discussion"))
    times = _times()
    assert times["screening"].visits == 0  # ended 400 days ago
    assert times["in_review"].visits == 1
    assert times["in_review"].median_days == pytest.approx(370)


def test_a_stage_visited_twice_counts_each_visit():
    # Screening, returned to the owner, resubmitted, screened again.
    _transitions(900020, (60, "draft", "submitted"), (59, "submitted", "screening"),
                 (55, "screening", "returned"), (30, "returned", "submitted"),
                 (29, "submitted", "screening"), (20, "screening", "in_review"))
    times = _times()
    assert times["screening"].visits == 2
    assert times["screening"].median_days == pytest.approx(6.5)  # 4 and 9 days
    assert "returned" not in times  # the owner's time is not the procedure's


def test_rounds_per_stage_counts_every_state_in_the_procedures_order():
    cast = make_cast()
    drive(cast, "submitted")
    drive(cast, "in_review")
    drive(cast, "in_review")
    stages = dashboard.rounds_per_stage()
    assert [s for s, _n in stages][:3] == ["draft", "submitted", "screening"]
    counts = dict(stages)
    assert (counts["submitted"], counts["in_review"], counts["published"]) == (1, 2, 0)


def test_lapsing_lists_current_recognitions_ending_within_six_months_soonest_first():
    today = date.today()
    soon, later, beyond = (make_intervention(outcome="effective_good") for _ in range(3))
    expired = make_intervention(outcome="well_founded", expired=True)
    soon.current_decision.valid_until = today + timedelta(days=30)
    later.current_decision.valid_until = add_months(today, 6)  # the last day counted
    beyond.current_decision.valid_until = add_months(today, 6) + timedelta(days=1)
    expired.current_decision.valid_until = today + timedelta(days=10)  # but expired
    db.session.flush()
    assert dashboard.lapsing(today) == [soon.current_decision, later.current_decision]


def test_workload_counts_open_panels_and_assessments_still_to_submit():
    cast = make_cast()
    idle = make_user("reviewer", name="Zeger Zonderwerk")
    drive(cast, "in_review")
    drive(cast, "assessed")  # both reviewers submitted here
    drive(cast, "published")
    rows = {w.reviewer.id: w for w in dashboard.workload(
        [cast.reviewer_a, cast.reviewer_b, idle], datetime.now(UTC))}
    a = rows[cast.reviewer_a.id]
    assert (a.open_rounds, a.to_submit, a.submitted_recently) == (2, 1, 2)
    assert (rows[idle.id].open_rounds, rows[idle.id].to_submit) == (0, 0)
    order = [w.reviewer.id for w in dashboard.workload(
        [idle, cast.reviewer_a], datetime.now(UTC))]
    assert order == [cast.reviewer_a.id, idle.id]  # busiest first


def test_kappa_trend_has_eight_quarters_ending_with_this_one():
    trend = dashboard.kappa_trend([], date(2026, 5, 10))
    assert [(q.year, q.quarter) for q in trend] == [
        (2024, 3), (2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1),
        (2026, 2)]
    assert trend[-1].ends_on == date(2026, 6, 30)
    assert trend[0].ends_on == date(2024, 9, 30)
    assert all(q.agreement.kappa is None and q.agreement.rounds == 0 for q in trend)


def test_kappa_trend_counts_only_rounds_opened_by_each_quarters_end():
    cast = make_cast()
    first = drive(cast, "in_discussion")  # agreement counts discussed rounds only
    second = drive(cast, "in_discussion")
    first.opened_at = datetime(2026, 2, 1, tzinfo=UTC)
    second.opened_at = datetime(2026, 5, 1, tzinfo=UTC)
    trend = dashboard.kappa_trend([first, second], date(2026, 5, 10))
    assert [q.agreement.rounds for q in trend[-3:]] == [0, 1, 2]


def test_bar_chart_scales_the_largest_value_to_the_width_less_room_for_its_text():
    chart = charts.bar_chart([("a", 2, "2"), ("b", 8, "8"), ("c", 0, "0")])
    assert [b.length for b in chart.bars] == [
        pytest.approx((charts.WIDTH - charts.VALUE_ROOM) / 4), charts.WIDTH - charts.VALUE_ROOM, 0]
    assert chart.bars[1].top > chart.bars[0].top
    assert charts.bar_chart([]).bars == []


def test_line_chart_breaks_the_line_where_a_value_is_missing():
    chart = charts.line_chart(
        [("K1", "2026", 0.2, "0.20"), ("K2", "2026", 0.4, "0.40"), ("K3", "2026", None, "–"),
         ("K4", "2026", 0.8, "0.80"), ("K1", "2027", 1.0, "1.00")],
        low=0.0, high=1.0, ticks=(0.0, 1.0))
    assert len(chart.lines) == 2
    assert [len(line.split(" ")) for line in chart.lines] == [2, 2]
    top_tick, bottom_tick = chart.ticks[1], chart.ticks[0]
    assert chart.points[-1].y == pytest.approx(top_tick.y)
    assert chart.points[0].y > chart.points[1].y  # higher values are higher up
    assert bottom_tick.y == pytest.approx(chart.plot_bottom)
