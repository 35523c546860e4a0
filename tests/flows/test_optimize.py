"""The optimizer finds the cheapest rollout on a small case built so that the answer is known."""

import json

import pytest

from simulator.cli.main import main
from simulator.flows import Scenario
from simulator.flows.optimize import DROPPED, optimize, scheduled
from tests.flows.conftest import SMALL_DISTRICT

# One district over the turn of a quarter (2019Q1: 14 days, 2019Q2: 14 days). Staff habits never sign
# digitally, so certificates change no document and cost only what they cost: operating costs are the same in
# every schedule (common random numbers) and the cheapest schedule is known by construction:
#   step 0, certificates for every unit: needed for IV.3 (100% in 2020); a certificate costs per year, so the
#           latest quarter (2019Q2) is cheapest;
#   step 1, certificates for the communes only: already given by step 0, so dropping it is cheapest;
#   step 2, mailboxes for the communes only: no required row needs it: dropped.
CASE = {
    "name": "known-cheapest", "only_district": SMALL_DISTRICT, "plan_year": 2020,
    "period": {"start": "2019-03-18", "days": 28},
    "adoption": {"certificates": 0.5, "mailbox": 0.5, "internal": {"digital_signature": 0.0},
                 "interagency": {"digital_signature": 0.0}, "citizens": {"digital_signature": 0.0}},
    "investment_costs": {"certificate_per_year": 40_000_000, "mailbox_per_year": 40_000_000},
    "rollout": [
        {"quarter": "2019Q1", "where": {"all": True}, "set": {"certificates": 1.0}},
        {"quarter": "2019Q1", "where": {"level": "commune"}, "set": {"certificates": 1.0}},
        {"quarter": "2019Q1", "where": {"level": "commune"}, "set": {"mailbox": 1.0}},
    ],
}


@pytest.fixture(scope="module")
def search():
    return optimize(Scenario.from_dict(CASE), rows=["IV.3"], replications=2, workers=1)


def test_the_known_cheapest_schedule_is_found(search):
    assert search.quarters == ["2019Q1", "2019Q2"]
    assert search.best is not None and search.best.feasible
    assert search.best.schedule == ("2019Q2", DROPPED, DROPPED)
    assert all(e.cost >= search.best.cost - 1e-6 for e in search.evaluations if e.feasible)
    nothing = next(e for e in search.evaluations if e.schedule == (DROPPED,) * 3)
    assert not nothing.feasible and nothing.verdicts["IV.3"] != "met"


def test_the_frontier_is_cost_against_rows_met(search):
    front = search.frontier()
    assert [e.met for e in front] == sorted(e.met for e in front)
    assert [e.cost for e in front] == sorted(e.cost for e in front)
    assert len(front) >= 2 and front[-1].met > front[0].met


def test_a_schedule_places_or_drops_the_steps():
    sc = scheduled(Scenario.from_dict(CASE), ("2019Q2", DROPPED, "2019Q1"))
    assert [(s.quarter, s.set.shares()) for s in sc.rollout] == [("2019Q2", {"certificates": 1.0}),
                                                                ("2019Q1", {"mailbox": 1.0})]


def test_vbdt_optimize_writes_the_frontier_and_the_chosen_schedule(tmp_path, capsys):
    import yaml

    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(CASE, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["optimize", str(path), "--rows", "IV.3", "-n", "2", "--workers", "1", "--out", str(out), "--json"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    payload = json.loads(printed.out)
    assert [s["quarter"] for s in payload["chosen"]["steps"]] == ["2019Q2", None, None]
    for name in ("optimize.md", "optimize.html", "frontier.csv", "evaluations.csv"):
        assert (out / name).stat().st_size > 0
    assert "2019Q2" in (out / "optimize.md").read_text(encoding="utf-8")


def test_bad_rows_and_a_scenario_without_rollout_are_one_line_errors(tmp_path, capsys):
    path = tmp_path / "case.yaml"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    assert main(["optimize", str(path), "--rows", "IV.9"]) == 2
    err = capsys.readouterr().err
    assert "IV.9" in err and err.strip().count("\n") == 0
    empty = tmp_path / "empty.yaml"
    empty.write_text(json.dumps({k: v for k, v in CASE.items() if k != "rollout"}), encoding="utf-8")
    assert main(["optimize", str(empty)]) == 2
    assert "rollout" in capsys.readouterr().err
