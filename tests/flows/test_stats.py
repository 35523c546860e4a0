"""Output analysis: t intervals, MSER-5, common random numbers."""

import math

import numpy as np
import pytest

from simulator.flows import compare, mean_interval, mser5, run_replications
from simulator.flows.stats import t_quantile, welch_interval
from tests.flows.conftest import small


def test_t_interval_matches_the_textbook():
    ci = mean_interval([1.0, 2.0, 3.0, 4.0, 5.0])
    assert ci.mean == 3.0
    assert ci.half_width == pytest.approx(2.776 * math.sqrt(2.5) / math.sqrt(5), rel=1e-6)
    assert t_quantile(40) == pytest.approx(2.021, abs=2e-3)
    assert t_quantile(120) == pytest.approx(1.980, abs=2e-3)


def test_mser5_cuts_the_transient():
    rng = np.random.default_rng(0)
    transient = np.linspace(100, 10, 40)
    series = np.concatenate([transient, 10 + rng.normal(0, 1, 260)])
    cut = mser5(series)
    assert 25 <= cut <= 60
    assert mser5(10 + rng.normal(0, 1, 300)) < 30


def test_replications_use_child_seeds_by_index():
    sc = small(days=7)
    r3 = run_replications(sc, 3, seed=9)
    r2 = run_replications(sc, 2, seed=9)
    assert r3.kpis[:2] == r2.kpis                 # replication k does not depend on n
    assert r3.kpis[1]["deliveries"] != r3.kpis[0]["deliveries"]


def test_common_random_numbers_narrow_the_interval():
    a = small(days=14)
    b = a.override({"service.handle": 130.0})    # a close scenario: handling a little slower
    diffs = {d.key: d for d in compare(a, b, n=6, seed=3, keys=["staff_hours", "lead_time_days"])}
    for key in ("staff_hours", "lead_time_days"):
        d = diffs[key]
        assert d.paired.half_width < d.unpaired.half_width, key
    assert diffs["staff_hours"].paired.low > 0    # slower handling costs more hours, clearly


def test_welch_interval_of_identical_samples_is_centred_on_zero():
    ci = welch_interval([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    assert ci.mean == 0 and ci.low < 0 < ci.high
