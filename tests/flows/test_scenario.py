"""Scenario files: the shipped ones load; bad input is one line naming file, field and problem."""

from pathlib import Path

import pytest

from simulator.errors import UserError
from simulator.flows import Scenario

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ["baseline-2018", "plan-2019", "plan-2020", "reform-2025"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_load_and_explain_their_readings(name):
    sc = Scenario.load(ROOT / "scenarios" / f"{name}.yaml")
    assert sc.name == name
    assert any("II.1" in key for key in sc.readings), "each file says how it reads II.1 / II.3"
    text = (ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8")
    for flow in ("internal:", "down:", "up:", "lateral:", "citizens_out:", "citizens_in:"):
        assert flow in text, f"{name} spells out its {flow} rates"


def test_plan_years_and_structures():
    loaded = {n: Scenario.load(ROOT / "scenarios" / f"{n}.yaml") for n in SHIPPED}
    assert [loaded[n].plan_year for n in SHIPPED] == [2018, 2019, 2020, 2020]
    assert loaded["reform-2025"].structure == 2025
    assert loaded["plan-2020"].adoption.internal.electronic == 1.0


def _write(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, field, words_vi", [
    ("volumes:\n  interal: {commune: 1}\n", "volumes.interal", "không có"),
    ("volumes:\n  up: {commune: nhiều}\n", "volumes.up.commune", "số"),
    ("adoption:\n  interagency: {electronic: 1.5}\n", "adoption.interagency.electronic", "0 và 1"),
    ("volumes:\n  down: {district: -2}\n", "volumes.down.district", "âm"),
    ("overrides:\n  - district: Huyện Không Có\n    unit_network_per_week: 1\n", "overrides.0.district",
     "huyện"),
])
def test_bad_input_is_one_vietnamese_line(tmp_path, text, field, words_vi):
    path = _write(tmp_path, text)
    with pytest.raises(UserError) as info:
        Scenario.load(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message and field in message
    assert words_vi in message.lower()


def test_bad_input_in_english(tmp_path, lang_en):
    path = _write(tmp_path, "adoption:\n  citizens: {electronic: 2}\n")
    with pytest.raises(UserError) as info:
        Scenario.load(path)
    assert "share must be between 0 and 1" in str(info.value)


def test_mix_above_one_is_refused(tmp_path):
    path = _write(tmp_path, "adoption:\n  internal: {electronic: 0.7, electronic_with_paper: 0.5}\n")
    with pytest.raises(UserError) as info:
        Scenario.load(path)
    assert "adoption.internal" in str(info.value)


def test_override_by_dotted_path_validates():
    sc = Scenario()
    changed = sc.override({"adoption.interagency.electronic": 0.55})
    assert changed.adoption.interagency.electronic == 0.55 and sc.adoption.interagency.electronic == 0.5
    with pytest.raises(UserError):
        sc.override({"adoption.interagency.nonsense": 1})
    with pytest.raises(UserError):
        sc.override({"adoption.interagency.electronic": -0.1})


def test_cli_exit_code_2_for_bad_scenario(tmp_path, capsys):
    from simulator.cli.main import main

    path = _write(tmp_path, "volumes:\n  down: {district: -2}\n")
    assert main(["simulate", str(path), "-n", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "volumes.down.district" in err[0]
    assert "Traceback" not in err[0]
