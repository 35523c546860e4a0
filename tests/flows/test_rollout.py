"""Investments over time: a rollout by quarter raises equipment where and when it says, and costs what it buys."""

import math

import numpy as np
import pytest

from simulator.errors import UserError
from simulator.flows import Scenario, World
from simulator.flows import records as R
from simulator.flows.indicators import measure
from tests.flows.conftest import SMALL_DISTRICT, small

TARGET = "Kỳ Sơn"


def _signed_by_district(world, lo: float, hi: float) -> dict[str, float]:
    """Per district: share of the electronic documents its units issued in [lo, hi) that were signed digitally."""
    d = world.docs
    issuer = np.frombuffer(d.issuer, dtype=np.int32)
    mode = np.frombuffer(d.mode, dtype=np.uint8)
    signed = np.frombuffer(d.signed, dtype=np.uint8)
    created = np.frombuffer(d.created, dtype=float)
    flow = np.frombuffer(d.flow, dtype=np.uint8)
    district = np.asarray(world.district_of + [-1])[issuer]
    electronic = (mode != R.M_PAPER) & (flow != R.CITIZENS_IN) & (created >= lo) & (created < hi)
    out = {}
    for i, u in enumerate(world.units):
        if u.kind.value == "district_committee":
            m = electronic & (district == i)
            out[u.short_name] = float(np.count_nonzero(m & (signed == R.S_DIGITAL))) / max(1, int(m.sum()))
    return out


@pytest.fixture(scope="module")
def province_pair():
    """The whole province over a quarter's turn (2019Q2 -> Q3), without and with certificates for one district."""
    base = Scenario(name="rollout", period={"start": "2019-06-10", "days": 42},
                    adoption={"certificates": 0.3, "interagency": {"digital_signature": 0.3},
                              "internal": {"digital_signature": 0.3}})
    step = {"quarter": "2019Q3", "where": {"districts": [TARGET]}, "set": {"certificates": 1.0, "training": 1.0,
                                                                    "computers": 1.0}}
    worlds = [World(sc, 7).run() for sc in (base, base.override({"rollout": [step]}))]
    return worlds


def test_certificates_in_q3_raise_one_districts_signed_share_from_q3_only(province_pair):
    before, after = province_pair
    q3 = before.calendar.to_minutes(__import__("datetime").date(2019, 7, 1))
    q2_a, q2_b = (_signed_by_district(w, w.start, q3) for w in province_pair)
    q3_a, q3_b = (_signed_by_district(w, q3, w.horizon) for w in province_pair)
    target = next(name for name in q3_a if name in TARGET or TARGET in name)
    assert q2_b[target] == pytest.approx(q2_a[target], abs=0.02)          # nothing before its quarter
    assert q3_b[target] > q3_a[target] + 0.3                               # from Q3 on
    assert q3_b[target] > 0.9                                              # trained signers with certificates
    for name in q3_a:
        if name != target:
            assert q3_b[name] == pytest.approx(q3_a[name], abs=0.02), name  # no other district's
            assert q2_b[name] == pytest.approx(q2_a[name], abs=0.02), name


def test_rows_and_costs_come_per_calendar_quarter(province_pair):
    before, after = province_pair
    k = measure(after)
    assert (k["quarter.year@Q1"], k["quarter.q@Q1"], k["quarter.q@Q2"]) == (2019, 2, 3)
    assert k["quarter.days@Q1"] == 21 and k["quarter.days@Q2"] == 21
    assert "IV.3@Q3" not in k and "cost.investment@Q3" not in k          # a quarter the run never reached
    assert k["IV.3@Q2"] > k["IV.3@Q1"]                                      # equipment at each quarter's end
    assert k["IV.3@Q1"] == pytest.approx(0.3, abs=0.06)
    assert k["cost.operating@Q1"] + k["cost.operating@Q2"] == pytest.approx(k["total_cost_vnd"], rel=1e-9)
    trained = [i for i, t in enumerate(after.trained_share) if t > 0]
    people = sum(sum(after.staff[i]) for i in trained)
    c = after.scenario.investment_costs
    assert k["cost.capital@Q1"] == 0
    computers = sum(round((after.computer_share[i] - before.computer_share[i]) * sum(after.staff[i]))
                    for i in trained)
    assert computers > 0
    assert k["cost.capital@Q2"] == pytest.approx(people * c.training_days * c.training_per_person_day
                                                 + computers * c.computer)
    assert k["cost.investment@Q2"] == pytest.approx(k["cost.capital@Q2"] + k["cost.recurring@Q2"])
    assert k["cost.recurring@Q2"] > k["cost.recurring@Q1"] > 0             # more certificates held, per year pro rata


def test_a_unit_equipped_at_a_lower_share_stays_equipped_at_a_higher():
    low = small(35, **{"adoption.computers": 0.6, "adoption.mailbox": 0.5})
    grown = low.override({"rollout": [{"quarter": "2019Q2", "where": {"all": True},
                                       "set": {"computers": 0.8, "mailbox": 0.7}}]})
    direct = small(35, **{"adoption.computers": 0.8, "adoption.mailbox": 0.7})
    a, b, c = (World(sc, 3) for sc in (low, grown, direct))
    assert a.computer_share == b.computer_share                    # before 2019Q2: as at 0.6
    b.run()                                                         # the period crosses into 2019Q2
    c.run(until=0)
    assert b.computer_share == c.computer_share and b.mailbox_share == c.mailbox_share
    assert all(x >= y for x, y in zip(b.computer_share, a.computer_share))
    assert b.computer_share != a.computer_share


def test_connecting_gives_a_document_system_and_steps_before_the_period_are_history():
    sc = small(21, **{"adoption.document_system": 0.5, "adoption.connected": 0.3})
    sc = sc.override({"rollout": [{"quarter": "2018Q4", "where": {"level": "commune"}, "set": {"connected": 1.0}}]})
    world = World(sc, 1)
    communes = [i for i, u in enumerate(world.units) if u.kind.value == "commune_committee"]
    assert all(world.connected[i] and world.has_system[i] for i in communes)
    k = measure(world.run())
    assert k["cost.capital"] == 0                                    # in place before the period: not costed


@pytest.mark.parametrize("step, words", [
    ({"quarter": "2019Q5", "where": {"all": True}, "set": {"computers": 1}}, "2019Q2"),
    ({"quarter": "2019Q2", "where": {}, "set": {"computers": 1}}, "all: true"),
    ({"quarter": "2019Q2", "where": {"all": True}, "set": {}}, "training"),
    ({"quarter": "2019Q2", "where": {"all": True}, "set": {"computers": 1.5}}, "0"),
])
def test_bad_rollout_steps_are_one_line_errors(step, words):
    with pytest.raises(UserError) as info:
        Scenario.from_dict({"rollout": [step]})
    assert words in str(info.value) and "\n" not in str(info.value) and "rollout.0" in str(info.value)


def test_an_unknown_district_in_a_rollout_is_bad_input(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("rollout:\n  - quarter: 2019Q2\n    where: {districts: [Nowhere]}\n    set: {computers: 1}\n",
                    encoding="utf-8")
    with pytest.raises(UserError, match="Nowhere"):
        Scenario.load(path)


def test_the_shipped_rollout_scenario_loads_and_costs_its_investments():
    sc = Scenario.load("scenarios/rollout-2019-2020.yaml")
    assert sc.rollout and min(s.quarter for s in sc.rollout) >= "2019Q1"
    assert max(s.quarter for s in sc.rollout) <= "2020Q4"
    world = World(sc.override({"only_district": SMALL_DISTRICT}), 0).run(until=120)
    k = measure(world)
    assert k["cost.capital"] > 0 and not math.isnan(k["IV.1@Q2"])


def _unexplained(path) -> list[str]:
    """Lines setting a number with no comment on them, on a parent line, or in a comment block above them."""
    import re

    lines = path.read_text(encoding="utf-8").split("\n")
    out = []
    for n, line in enumerate(lines):
        m = re.match(r"^(\s*)(?:- )?[\w.]+:\s*([-+\d.eE_]+|\{[^#]*\d[^#]*\})\s*(#.*)?$", line)
        if not m or m.group(3) or re.fullmatch(r"\d{4}-\d\d-\d\d", m.group(2)):
            continue
        indent, explained = len(m.group(1)), False
        for above in reversed(lines[:n]):
            text = above.strip()
            depth = len(above) - len(above.lstrip())
            if not text:
                break
            if text.startswith("#") or (depth < indent and "#" in text):
                explained = True
                break
            if depth < indent:
                indent = depth
                if depth == 0:
                    break
        if not explained:
            out.append(f"{path.name}:{n + 1}: {line.strip()}")
    return out


def test_every_rate_in_the_shipped_scenarios_has_its_source_or_reason():
    from simulator.flows.scenario import SCENARIOS_DIR

    missing = [line for path in sorted(SCENARIOS_DIR.glob("*.yaml")) for line in _unexplained(path)]
    assert not missing, missing
