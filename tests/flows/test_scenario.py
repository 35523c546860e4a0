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
    assert loaded["plan-2020"].adoption.internal.electronic == 1.0


TTTT = "Sở Thông tin và Truyền thông"


def test_the_structure_follows_the_period_start():
    # DOMAIN.md §1: 3 levels before 1/7/2025, 2 from then; the agencies of that date.
    loaded = {n: Scenario.load(ROOT / "scenarios" / f"{n}.yaml") for n in SHIPPED}
    assert all(loaded[n].structure is None for n in ("baseline-2018", "plan-2019", "reform-2025"))
    # plan-2020 forces 3 levels while the lab's 2026 seats are 3-level communes (see its comment)
    assert loaded["plan-2020"].structure in (None, 2024)
    baseline = loaded["baseline-2018"].load_province()
    assert baseline.structure == 2024 and baseline.on.isoformat() == "2018-01-01"
    assert len(baseline.districts) == 20 and TTTT in {d.name for d in baseline.departments}
    reform = loaded["reform-2025"].load_province()
    assert reform.structure == 2025 and reform.districts == [] and len(reform.departments) == 14
    later = loaded["baseline-2018"].override({"period.start": "2026-03-02"}).load_province()
    assert later.structure == 2025 and TTTT not in {d.name for d in later.departments}


def test_a_forced_structure_still_wins_and_the_world_follows_it():
    from simulator.flows import World

    forced = Scenario(structure=2024, period={"start": "2026-03-02", "days": 2})
    assert forced.load_province().structure == 2024
    world = World(forced, 1)
    assert world.topology.province.structure == 2024 and world.topology.province.districts
    dated = World(Scenario(period={"start": "2026-03-02", "days": 2}), 1)
    assert dated.topology.province.structure == 2025 and not dated.topology.province.districts
    # the 2-level world sends the province's broadcasts to every commune directly
    committee = next(i for i, u in enumerate(dated.topology.units) if u.kind.value == "province_committee")
    communes = [i for i, u in enumerate(dated.topology.units) if u.kind.value == "commune_committee"]
    assert sorted(dated.topology.down_all[committee]) == communes


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
