"""Checks for planners: they answer in code; the grader reruns the same world with the
trainee's seed and compares numbers by type and value (never ``==`` on their objects)."""

from __future__ import annotations

import math
from typing import Any

from simulator.grading.quiet import quiet
from simulator.grading.result import Marks, Result, zero
from simulator.grading.tasks import (
    COMPARISON_REPLICATIONS, ROLLOUT_REPLICATIONS, scenario_task, scenarios_dir,
)
from simulator.grading.values import same_bool, same_number
from simulator.i18n import translator

_ = translator("grading")
# The rows a rollout can reach in 2020: II.1 cannot, since the plan keeps its paper exceptions (finance,
# personnel, complaints, legal normative documents go with a paper copy; scenarios/plan-2020.yaml, rules)
ROLLOUT_ROWS = ("I.1", "III.1", "II.4", "IV.3")
COST_KEY = "total_cost_vnd"


def _scenario(name: str):
    from simulator.flows import Scenario

    return Scenario.load(scenarios_dir() / f"{name}.yaml")


def grade_scenario(trainee_id: str, answers: Any) -> Result:
    """One run of plan-2020 with the trainee's seed: II.1, the total cost, and whether II.1 meets its target."""
    with quiet():
        from simulator.flows import run_one
        from simulator.flows.indicators import target_for

        if type(answers) is not dict:
            return zero(5, _("The answers must be a dict as in the template."))
        task = scenario_task(trainee_id)
        kpis = run_one(_scenario("plan-2020"), task["seed"], 0, days=task["ngay"])["kpis"]
        target, _direction = target_for("II.1", 2020)
        marks = Marks()
        marks.check(same_number(answers.get("II.1"), kpis["II.1"]), 2,
                    _("II.1 is not the value of your run: run plan-2020 with your seed and {days} days and read "
                      "kpis['II.1'] (a share between 0 and 1).", days=task["ngay"]))
        marks.check(same_number(answers.get("chi_phi"), kpis[COST_KEY]), 2,
                    _("The total cost is not the value of your run: read kpis['total_cost_vnd'] (VND)."))
        marks.check(same_bool(answers.get("dat_II1"), bool(kpis["II.1"] >= target)), 1,
                    _("Whether II.1 meets the 2020 target ({target:.0%}) is not right: answer True or False.",
                      target=target))
        return marks.result()


def grade_comparison(trainee_id: str, answers: Any) -> Result:
    """baseline-2018 against plan-2020 on the total cost: the paired difference, its 95% interval, significance."""
    with quiet():
        from simulator.flows import compare

        if type(answers) is not dict:
            return zero(5, _("The answers must be a dict as in the template."))
        task = scenario_task(trainee_id)
        diff = compare(_scenario("baseline-2018"), _scenario("plan-2020"), n=COMPARISON_REPLICATIONS,
                       seed=task["seed"], days=task["ngay"], keys=[COST_KEY])[0]
        marks = Marks()
        marks.check(same_number(answers.get("chenh_lech"), diff.paired.mean, rel=1e-4), 2,
                    _("The mean difference is not right: compare(baseline, plan, n={n}, seed=your seed, days={days}) "
                      "and read the paired difference (B − A).", n=COMPARISON_REPLICATIONS, days=task["ngay"]))
        interval = answers.get("khoang_tin_cay")
        ok = (type(interval) is tuple and len(interval) == 2
              and same_number(interval[0], diff.paired.low, rel=1e-4)
              and same_number(interval[1], diff.paired.high, rel=1e-4))
        marks.check(ok, 2, _("The 95% interval must be a tuple (low, high) of the paired difference, not the "
                             "unpaired one."))
        significant = not (diff.paired.low <= 0.0 <= diff.paired.high)
        marks.check(same_bool(answers.get("co_y_nghia"), significant), 1,
                    _("Whether the difference is significant is not right: it is when the interval does not contain 0."))
        return marks.result()


def grade_rollout(trainee_id: str, answers: Any) -> Result:
    """A rollout (settings over plan-2020) meeting the 2020 targets at no more cost, and its quarterly report."""
    with quiet():
        from simulator.errors import UserError
        from simulator.flows import quarterly_report, run_replications

        if type(answers) is not dict or type(answers.get("thay_doi")) is not dict:
            return zero(5, _("The answers must be a dict with 'thay_doi' (a dict of settings) and 'bao_cao'."))
        changes = answers["thay_doi"]
        if not all(type(k) is str and type(v) in (int, float) for k, v in changes.items()):
            return zero(5, _("'thay_doi' maps setting names (text) to numbers, e.g. "
                             "{{\"adoption.interagency.electronic\": 0.9}}."))
        task = scenario_task(trainee_id)
        base = _scenario("plan-2020")
        try:
            plan = base.override(changes)
        except UserError as problem:
            return zero(5, str(problem))
        mine = run_replications(plan, ROLLOUT_REPLICATIONS, task["seed"], days=task["ngay"])
        reference = run_replications(base, ROLLOUT_REPLICATIONS, task["seed"], days=task["ngay"])
        rows = {r.id: r for r in mine.indicators()}
        marks = Marks()
        missed = [rid for rid in ROLLOUT_ROWS if not rows[rid].met]
        marks.check(not missed, 2, _("Your plan misses the 2020 targets of {rows}: raise the matching adoption "
                                     "settings.", rows=", ".join(missed)))
        cost, ref = mine.interval(COST_KEY).mean, reference.interval(COST_KEY).mean
        marks.check(cost <= ref * 1.0001, 1, _("Your plan costs more than plan-2020 ({cost:,.0f} against {ref:,.0f} "
                                               "VND): reach the targets with less.", cost=cost, ref=ref))
        report = answers.get("bao_cao")
        expected = quarterly_report(mine)
        ok = type(report) is list and len(report) == len(expected) and all(
            type(got) is dict and same_bool(got.get("met"), bool(want["met"]))
            and type(got.get("id")) is str and str.__eq__(got["id"], want["id"])
            and (same_number(got.get("year"), want["year"], rel=1e-6)
                 or (math.isnan(want["year"]) and type(got.get("year")) is float and math.isnan(got["year"])))
            for got, want in zip(report, expected))
        marks.check(ok, 2, _("The quarterly report is not the one of your plan: build it with "
                             "quarterly_report(results) from the replications of your plan."))
        return marks.result()
