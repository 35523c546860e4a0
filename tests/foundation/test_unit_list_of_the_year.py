"""Issue 16 part 7: a run dated before its unit list says plainly which list it uses, and why.

No release of the unit data we can get holds Nghệ An's 2018 list (21
district-level units, 480 communes, DOMAIN.md §1): the oldest release of
vietnam-provinces (0.2) is the list of 25/2/2020. A 2018 run therefore uses
the 3-level list of 4/1/2025 and its province's ``source`` (shown by
``vbdt province show --on``) says so, in the user's language.
"""

from datetime import date

import pytest

from simulator.cli.main import main
from simulator.i18n import set_language
from simulator.province import load_province
from simulator.province.history import era_on, list_note


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language(None)


def test_a_2018_run_is_told_which_list_it_uses_and_why():
    source = load_province("Nghệ An", on=date(2018, 6, 1)).source
    assert source.startswith("vietnam-provinces 0.6.0")
    assert "dùng danh sách đơn vị ngày 04/01/2025 cho ngày 01/06/2018" in source
    assert "không có bản phát hành dữ liệu nào chứa danh sách của ngày đó" in source
    assert "vietnam-provinces 0.2" in source and "25/02/2020" in source


def test_the_baseline_scenario_carries_the_note():
    from pathlib import Path

    from simulator.flows import Scenario

    path = Path(__file__).resolve().parents[2] / "scenarios" / "baseline-2018.yaml"
    province = Scenario.load(path).load_province()
    assert province.list_note.startswith("dùng danh sách đơn vị ngày 04/01/2025 cho ngày")
    assert province.source.endswith(province.list_note)


def test_the_same_in_english(english):
    source = load_province("Nghệ An", on=date(2018, 6, 1)).source
    assert "the unit list of 04/01/2025 stands for 01/06/2018" in source
    assert "no release of the unit data has the list of that day" in source


def test_between_the_oldest_release_and_the_list_the_note_says_older_lists_are_not_loaded(english):
    source = load_province("Nghệ An", on=date(2021, 6, 1)).source
    assert "stands for 01/06/2021" in source and "not loaded" in source


@pytest.mark.parametrize("day", [date(2025, 1, 4), date(2025, 3, 1), date(2025, 6, 30), date(2026, 3, 2)])
def test_no_note_when_the_list_is_of_that_time(day):
    assert list_note(era_on(day), day) == ""
    province = load_province("Nghệ An", on=day)
    assert province.list_note == "" and ";" not in province.source


def test_the_language_is_not_cached_across_calls():
    day = date(2018, 5, 30)
    vietnamese = load_province("Nghệ An", on=day).source
    set_language("en")
    try:
        english = load_province("Nghệ An", on=day).source
    finally:
        set_language(None)
    assert vietnamese != english and load_province("Nghệ An", on=day).source == vietnamese


def test_vbdt_province_show_says_it(capsys):
    code = main(["province", "show", "--on", "2018-06-01"])
    first = capsys.readouterr().out.splitlines()[0]
    assert code == 0 and "danh sách đơn vị ngày 04/01/2025 cho ngày 01/06/2018" in first
