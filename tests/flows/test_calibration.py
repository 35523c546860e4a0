"""Calibration: the habits are fitted so that the rows reproduce a column; equipment stays as given."""

import json

import pytest

from simulator.errors import UserError
from simulator.flows import Scenario, run_replications
from simulator.flows.calibration import FITTED_ROWS, calibrate, get_setting
from tests.flows.conftest import small

TRUE = {"adoption.internal.electronic": 0.3, "adoption.internal.electronic_with_paper": 0.6,
        "adoption.internal.digital_signature": 0.4, "adoption.interagency.electronic": 0.7,
        "adoption.interagency.digital_signature": 0.25}


def _world(**changes):
    return small(days=15, **{"adoption.document_system": 1.0, "adoption.connected": 0.9,
                             "adoption.interagency.electronic_with_paper": 0.2, **changes})


def test_calibration_recovers_known_habits_from_the_rows_they_produce():
    truth = _world(**TRUE)
    measured = run_replications(truth, 2, seed=5, days=15)
    targets = {rid: measured.interval(rid).mean for rid in ("I.1", "I.2", "I.4", "II.1", "II.4")}
    start = _world(**{"calibration.parameters": list(TRUE), "calibration.targets": targets,
                      "calibration.weights": {rid: 0.0 for rid in FITTED_ROWS if rid not in targets},
                      "calibration.days": 15, "calibration.seed": 5, "calibration.tolerance": 0.01})
    cal = calibrate(start)
    assert cal.evaluations == 1 + len(TRUE) + start.calibration.iterations
    rows = {r.id: r for r in cal.rows}
    assert all(rows[rid].within for rid in targets), [(r.id, r.target, r.after) for r in cal.rows]
    assert not all(rows[rid].before == pytest.approx(rows[rid].target, abs=0.01) for rid in targets)
    for path, value in TRUE.items():
        assert cal.values[path][1] == pytest.approx(value, abs=0.06), path
        assert get_setting(cal.fitted, path) == pytest.approx(cal.values[path][1], abs=1e-4)
    # equipment is an input: untouched
    assert cal.fitted.adoption.connected == 0.9 and cal.fitted.adoption.certificates == start.adoption.certificates
    assert cal.history[-1] < cal.history[0]


def test_fitted_habits_keep_the_sum_of_a_group_within_100_percent():
    # The column asks 50% + 50% of internal documents, but a tenth of the units have no system.
    sc = small(days=10, **{"adoption.document_system": 0.8, "calibration.days": 10, "calibration.iterations": 1,
                           "calibration.parameters": ["adoption.internal.electronic",
                                                      "adoption.internal.electronic_with_paper"],
                           "calibration.weights": {rid: 0.0 for rid in FITTED_ROWS if rid not in ("I.1", "I.2")},
                           "plan_year": 2018})
    cal = calibrate(sc)
    e, p = (cal.values[k][1] for k in ("adoption.internal.electronic", "adoption.internal.electronic_with_paper"))
    assert 0.0 <= e <= 1.0 and 0.0 <= p <= 1.0 and e + p <= 1.0 + 1e-9
    assert e + p > 0.99          # the fit wants more than the causes allow: the habit is all electronic


def test_calibration_settings_are_checked():
    with pytest.raises(UserError, match="II.9"):
        Scenario.from_dict({"calibration": {"weights": {"II.9": 1.0}}})
    with pytest.raises(UserError, match="volumes.reply_share"):
        Scenario.from_dict({"calibration": {"parameters": ["volumes.reply_share"]}})


def test_cli_calibrate_writes_its_report(tmp_path, capsys):
    from simulator.cli.calibrate import calibrate as command

    out = tmp_path / "cal"
    with pytest.raises(SystemExit) as done:
        command.main(["scenarios/baseline-2018.yaml", "--district", "Thị xã Thái Hoà", "--days", "5",
                      "--replications", "1", "--workers", "1", "--then", "scenarios/plan-2019.yaml",
                      "--out", str(out), "--json"], standalone_mode=True)
    assert done.value.code == 0
    payload = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in payload["rows"]} == set(FITTED_ROWS)
    assert payload["then"]["plan_year"] == 2019 and len(payload["then"]["indicators"]) == 17
    text = (out / "calibration.md").read_text(encoding="utf-8")
    assert "Các dòng trước và sau hiệu chỉnh" in text and "dự kiến của Kế hoạch" in text
    assert (out / "fitted.yaml").read_text(encoding="utf-8").count("adoption.") == 9
