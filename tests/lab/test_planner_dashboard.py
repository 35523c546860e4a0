"""The planner's dashboard runs the same functions as the CLI; sliders change the scenario."""

from simulator.flows import indicators, run_replications
from simulator.lab.widgets import PlannerDashboard


def test_dashboard_matches_the_api_and_responds_to_sliders():
    desk = PlannerDashboard(days=5, replications=2, seed=11)
    desk.sliders["signature"].value = 0.2
    rows = desk.run(desk.simulate)
    assert rows, desk.status.value
    direct = indicators(run_replications(desk.scenario(), 2, seed=11, days=5))
    assert [(r.id, r.value) for r in rows] == [(r.id, r.value) for r in direct]
    signed = {r.id: r for r in rows}["II.4"]
    assert signed.value < 0.5 and not signed.met
    desk.sliders["signature"].value = 1.0
    desk.sliders["interagency"].value = 1.0  # the paper-copy share shrinks to keep the total at 100%
    rows = desk.run(desk.simulate)
    assert {r.id: r for r in rows}["II.4"].value > 0.9
    assert "run_replications" in desk.last_call and desk.chart.value[:4] == b"\x89PNG"


def test_dashboard_table_reads_like_the_report():
    """Targets with their direction (II.3 is a ceiling), Vietnamese figures and the three verdicts."""
    from simulator.flows.indicators import verdict_text
    from simulator.flows.report import pct, target_text

    desk = PlannerDashboard(days=5, replications=2, seed=11)
    rows = desk.run(desk.simulate)
    view = desk.view.value
    ii3 = {r.id: r for r in rows}["II.3"]
    assert target_text(ii3.direction, ii3.target) in view and "≤" in view
    assert all(verdict_text(r.verdict) in view for r in rows)
    assert all(pct(r.value) in view for r in rows)
    assert ">met<" not in view and ">not met<" not in view
