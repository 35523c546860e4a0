"""Honest verdicts (met / not met / not yet certain) and comparisons per working day."""

import math

from simulator.flows import compare
from simulator.flows.indicators import MET, NOT_MET, UNCERTAIN, indicator_rows, verdict
from tests.flows.conftest import small


def _row(rid, values, year=2020):
    return next(r for r in indicator_rows([{rid: v} for v in values], year) if r.id == rid)


def test_an_interval_straddling_the_target_is_not_yet_certain():
    # II.3 is a ceiling of 20% in 2020: 20.1% [19.1–21.1] cannot be called either way.
    row = _row("II.3", [0.191, 0.211, 0.201])
    assert row.low < 0.2 < row.high
    assert row.verdict == UNCERTAIN and row.met is False
    assert _row("II.3", [0.15, 0.16, 0.17]).verdict == MET
    assert _row("II.3", [0.25, 0.26, 0.27]).verdict == NOT_MET
    # A floor: II.4 at least 80%.
    assert _row("II.4", [0.70, 0.95]).verdict == UNCERTAIN
    assert _row("II.4", [0.90, 0.91]).verdict == MET
    assert _row("II.4", [0.50, 0.51]).verdict == NOT_MET


def test_verdicts_read_the_table_at_whole_percents():
    assert verdict(">=", 0.8, 0.7962, 0.7990) == MET          # shows as 80% in the plan's table
    assert verdict(">=", 0.8, 0.7940, 0.7990) == UNCERTAIN    # 79% .. 80%
    assert verdict(">=", 0.8, 0.7900, 0.7940) == NOT_MET
    assert verdict("<=", 0.2, 0.2040, 0.2049) == MET
    assert verdict("<=", 0.2, math.nan, math.nan) == UNCERTAIN   # no documents: nothing to judge


def test_identical_scenarios_on_different_calendars_show_no_effect_per_working_day():
    # The same scenario over 28 days with Tết (2019: 2-10 February) and without: fewer working days.
    tet = small(days=28, **{"period.start": "2019-01-28"})
    plain = small(days=28, **{"period.start": "2019-03-04"})
    diffs = {d.key: d for d in compare(tet, plain, n=3, seed=4,
                                       keys=["working_days", "documents", "documents_per_working_day",
                                             "total_cost_vnd", "total_cost_vnd_per_working_day"])}
    assert diffs["working_days"].paired.low > 0            # the calendars differ
    assert diffs["documents"].paired.low > 0                # so totals differ: not an effect of the scenario
    for key in ("documents_per_working_day", "total_cost_vnd_per_working_day"):
        d = diffs[key].paired
        assert d.low <= 0.0 <= d.high, key
        assert abs(d.mean) < 0.05 * diffs[key].a.mean, key
