"""The planner's commands: simulate, compare, sweep (small worlds)."""

import json
from pathlib import Path

import pytest
import yaml

from simulator.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny(tmp_path):
    """plan-2020 cut to one small district and two weeks."""
    data = yaml.safe_load((ROOT / "scenarios" / "plan-2020.yaml").read_text(encoding="utf-8"))
    data["period"] = {"start": "2020-03-02", "days": 14}
    data["only_district"] = "Thị xã Thái Hoà"
    data["overrides"] = []
    data.pop("structure", None)  # 2020: the date gives the 3-level structure
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_simulate_writes_the_report(tmp_path, tiny, capsys):
    out = tmp_path / "out"
    assert main(["simulate", str(tiny), "-n", "2", "--seed", "4", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "II.4" in text and ("đạt" in text)
    for name in ("report.md", "report.html", "kpis.csv", "indicators.png", "events.parquet", "events.csv",
                 "events.xes", "events.jsonocel", "events.sqlite", "quarterly.csv", "districts.csv"):
        assert (out / name).stat().st_size > 0, name
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "Kế hoạch số 338/KH-UBND" in report and "Quý I" in report and "Khoảng tin cậy 95%" in report
    assert "Cơ cấu đơn vị năm 2024" in report  # the structure in force on the period's first day, named
    assert "![" in report and "indicators.png" in report
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<table>" in html and 'lang="vi"' in html
    kpis = (out / "kpis.csv").read_text(encoding="utf-8").splitlines()
    assert len(kpis) == 3  # header + 2 replications


def test_simulate_json_and_english(tiny, capsys):
    assert main(["simulate", str(tiny), "-n", "2", "--json", "--lang", "en"]) == 0
    payload = json.loads(capsys.readouterr().out)
    rows = {r["id"]: r for r in payload["indicators"]}
    assert list(rows) == ["I.1", "I.2", "I.4", "I.5", "II.1", "II.3", "II.4", "II.5", "III.1", "III.3", "III.4",
                          "III.5", "IV.1", "IV.2", "IV.3", "IV.4", "IV.5"]
    assert rows["II.4"]["target"] == 0.8 and isinstance(rows["II.4"]["met"], bool)
    assert rows["II.4"]["low"] <= rows["II.4"]["value"] <= rows["II.4"]["high"]
    assert rows["IV.1"]["label"] == "Document systems connected on 4 levels"


def test_compare_paired(tmp_path, tiny, capsys):
    other = tmp_path / "other.yaml"
    data = yaml.safe_load(tiny.read_text(encoding="utf-8"))
    data["adoption"]["interagency"]["electronic"] = 0.6
    data["adoption"]["interagency"]["electronic_with_paper"] = 0.4
    other.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["compare", str(tiny), str(other), "-n", "3", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    diffs = {d["key"]: d for d in payload["differences"]}
    assert diffs["II.1"]["difference"] < 0 and diffs["II.1"]["high"] < 0     # less electronic, clearly
    assert diffs["pages_printed_per_working_day"]["low"] > 0
    assert "pages_printed" not in diffs       # totals count the calendar: compared per working day only


def test_sweep(tmp_path, tiny, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", str(tiny), "--set", "adoption.citizens.electronic=0.2,0.8", "-n", "2",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "adoption.citizens.electronic = 0.2" in text and "adoption.citizens.electronic = 0.8" in text
    assert (out / "sweep.csv").exists() and (out / "sweep.png").exists()


def test_sweep_bad_value_exit_2(tiny, capsys):
    assert main(["sweep", str(tiny), "--set", "adoption.citizens.electronic=0.5,1.7"]) == 2
    err = capsys.readouterr().err
    assert "adoption.citizens.electronic" in err and len(err.strip().splitlines()) == 1


def test_the_report_says_which_unit_list_a_2018_run_uses(tmp_path):
    """No release has Nghệ An's 2018 communes: the report says which list stands in, and why."""
    from simulator.flows import Scenario, run_replications
    from simulator.flows.report import build_report

    data = yaml.safe_load((ROOT / "scenarios" / "baseline-2018.yaml").read_text(encoding="utf-8"))
    data["period"] = {"start": "2018-06-04", "days": 2}
    data["only_district"] = "Thị xã Thái Hoà"
    data["overrides"] = []
    results = run_replications(Scenario.model_validate(data), 1, seed=1)
    text = build_report(results, tmp_path, charts=False).markdown()
    assert "Danh sách đơn vị:" in text and "04/01/2025" in text and "25/02/2020" in text
