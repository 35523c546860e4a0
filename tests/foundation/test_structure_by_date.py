"""The province follows the world's date: structure, agencies, and codes that are never reused.

DOMAIN.md §1: before 1/7/2025 three levels, from then two; from 1/3/2025 the
Department of Information and Communications' duties belong to the
Department of Science and Technology; an identifier code, once used for a
unit, is never given to a different unit later.
"""

import json
from datetime import date, datetime

import pytest

from simulator.cli.main import main
from simulator.errors import UserError
from simulator.province import Level, UnitKind, load_province, structure_on

TTTT = "Sở Thông tin và Truyền thông"
KHCN = "Sở Khoa học và Công nghệ"


def names(units):
    return {u.name for u in units}


# ------------------------------------------------------------------------------------------------ levels by date
def test_districts_until_30_6_2025_and_none_from_1_7_2025():
    before = load_province("Nghệ An", on=date(2025, 6, 30))
    after = load_province("Nghệ An", on=date(2025, 7, 1))
    assert before.structure == 2024 and len(before.districts) == 20 and len(before.communes) == 412
    assert all(c.district for c in before.communes)
    assert after.structure == 2025 and after.districts == [] and after.by_level(Level.DISTRICT) == []
    assert len(after.communes) == 130
    assert all(c.parent == after.committee.code and c.district is None for c in after.communes)
    assert before.on == date(2025, 6, 30) and after.on == date(2025, 7, 1)
    assert structure_on("30/06/2025") == 2024 and structure_on("01/07/2025") == 2025


def test_the_trainees_2026_world_and_the_2018_baseline():
    seat = load_province(code_or_name="Nghệ An", on=date(2026, 3, 2))
    assert seat.districts == [] and len(seat.communes) == 130
    assert TTTT not in names(seat.departments) and len(seat.departments) == 14
    baseline = load_province("Nghệ An", on=date(2018, 5, 30))
    assert len(baseline.districts) == 20 and TTTT in names(baseline.departments)
    assert len(baseline.departments) == 20 and baseline.former == ()


@pytest.mark.parametrize("on", ["02/03/2026", "2/3/2026", "2026-03-02", date(2026, 3, 2),
                                datetime(2026, 3, 2, 8, 30)])
def test_the_date_in_its_usual_forms(on):
    assert load_province("Nghệ An", on=on).on == date(2026, 3, 2)


@pytest.mark.parametrize("bad", ["31/02/2026", "2026-13-01", "mai", "", "02.03.2026", 20260302])
def test_a_bad_date_is_refused(bad):
    with pytest.raises(UserError, match="dd/mm/yyyy"):
        load_province("Nghệ An", on=bad)


def test_by_identifier_code_as_by_name():
    by_code = load_province("H41", on=date(2026, 3, 2))
    by_full = load_province("000.00.00.H41", on=date(2026, 3, 2))
    by_name = load_province("nghe an", on=date(2026, 3, 2))
    assert by_code == by_full == by_name and by_code.name == "Nghệ An"
    with pytest.raises(UserError):
        load_province("H99", on=date(2026, 3, 2))


def test_the_structure_setting_is_an_explicit_override():
    # Scenarios and `--structure` choose a structure; agencies still follow the date.
    kept = load_province("Nghệ An", 2024, on=date(2026, 3, 2))
    assert kept.structure == 2024 and len(kept.districts) == 20 and TTTT not in names(kept.departments)
    assert load_province("Nghệ An", "2025").structure == 2025
    assert load_province("Nghệ An", 2025).on == date(2025, 7, 1)
    assert load_province("Nghệ An", 2024).on == date(2024, 12, 31)
    assert load_province("Nghệ An").structure == 2024  # the historical default, unchanged
    with pytest.raises(UserError):
        load_province("Nghệ An", 2019, on=date(2026, 3, 2))


# ------------------------------------------------------------------------------------------------ agencies by date
def test_information_and_communications_until_28_2_2025():
    before = load_province("Nghệ An", on=date(2025, 2, 28))
    after = load_province("Nghệ An", on=date(2025, 3, 1))
    assert TTTT in names(before.departments) and KHCN in names(before.departments)
    assert TTTT not in names(after.departments)
    holder = after.holder_of(TTTT)
    assert holder.name == KHCN and holder.kind == UnitKind.DEPARTMENT
    assert before.holder_of(TTTT).name == TTTT
    with pytest.raises(UserError, match=KHCN):
        after.find(TTTT)
    gone = after.former_unit(TTTT)
    assert gone.ceased == date(2025, 3, 1) and gone.duties_to == holder.code
    assert gone.code == before.find(TTTT).code  # the code stays reserved, never reused


# Mergings of 1/3/2025 (DOMAIN.md §1 names the 14 agencies after; the table gives the dates).
MERGED = [
    ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
    ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"),
    ("Sở Giao thông vận tải", "Sở Xây dựng"),
    ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường"),
    ("Sở Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Ban Dân tộc", "Sở Dân tộc và Tôn giáo"),
    (TTTT, KHCN),
]


@pytest.mark.parametrize("old, heir", MERGED)
def test_merged_agencies(old, heir):
    before = load_province("Nghệ An", on=date(2025, 2, 28))
    after = load_province("Nghệ An", on=date(2025, 3, 1))
    assert old in names(before.departments) and old not in names(after.departments)
    assert after.holder_of(old).name == heir
    # A world dated 2026 (2-level) still knows where the duties went.
    assert load_province("Nghệ An", on=date(2026, 3, 2)).holder_of(old).name == heir


def test_the_14_agencies_of_domain_md():
    after = load_province("Nghệ An", on=date(2025, 3, 1))
    assert {u.name for u in after.departments} == {
        "Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Công Thương",
        "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", KHCN, "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Giáo dục và Đào tạo", "Sở Y tế", "Thanh tra tỉnh", "Sở Ngoại vụ", "Sở Dân tộc và Tôn giáo"}


def test_the_agency_table_is_checked():
    from simulator.province import history

    with pytest.raises(ValueError, match="duties"):
        history.agencies([{"name": "Sở A", "abbreviation": "SA", "until": date(2025, 3, 1), "duties_to": "Sở B"}])
    with pytest.raises(ValueError, match="duties"):  # the heir must exist on the day the duties move
        history.agencies([{"name": "Sở A", "abbreviation": "SA", "until": date(2025, 3, 1), "duties_to": "Sở B"},
                          {"name": "Sở B", "abbreviation": "SB", "from": date(2025, 7, 1)}])
    with pytest.raises(ValueError, match="twice"):
        history.agencies([{"name": "Sở A", "abbreviation": "SA"}, {"name": "Sở A", "abbreviation": "SA"}])


# ------------------------------------------------------------------------------------------------ codes never reused
DAYS = (date(2025, 2, 28), date(2025, 3, 1), date(2025, 6, 30), date(2025, 7, 1), date(2026, 3, 2))


@pytest.mark.parametrize("province", ["Nghệ An", "Thanh Hóa", "Lào Cai"])
def test_no_code_names_two_units_across_structures(province):
    seen: dict[str, tuple] = {}
    for day in DAYS:
        prov = load_province(province, on=day)
        for unit in prov.units:
            # a unit is its kind, name and parent: a 2025 commune that took an old commune's name is not it
            who = (unit.kind, unit.name, unit.parent)
            assert seen.setdefault(unit.code, who) == who, (unit.code, seen[unit.code], who, day)
        for gone in prov.former:
            assert seen.get(gone.code, (gone.kind, gone.name))[:2] == (gone.kind, gone.name)
    three = load_province(province, on=date(2025, 6, 30))
    two = load_province(province, on=date(2025, 7, 1))
    shared = {u.code for u in three} & {u.code for u in two}
    # Only what goes on keeps its code: the central bodies, the committee, continuing departments.
    assert {three.get(c).kind for c in shared} <= {UnitKind.CENTRAL_BODY, UnitKind.PROVINCE_COMMITTEE,
                                                   UnitKind.DEPARTMENT}
    # Every 3-level unit that ceased keeps its code reserved in the 2-level structure.
    reserved = {u.code: u for u in two.former}
    for unit in three.districts + three.communes:
        assert unit.code not in {u.code for u in two} and reserved[unit.code].name == unit.name
        assert reserved[unit.code].ceased == date(2025, 7, 1)


@pytest.mark.parametrize("province", ["Nghệ An", "Thanh Hóa"])
def test_no_code_reused_between_the_two_structure_settings(province):
    """The same check through the old setting alone (``structure=2024|2025``)."""
    three, two = load_province(province, 2024), load_province(province, 2025)
    for unit in two:
        old = three.get(unit.code)
        assert old is None or (old.kind, old.name) == (unit.kind, unit.name), (unit.code, old.name, unit.name)


def test_a_ceased_commune_is_named_with_its_reserved_code():
    three = load_province("Nghệ An", on=date(2025, 6, 30))
    two = load_province("Nghệ An", on=date(2026, 3, 2))
    district = three.find("Huyện Kỳ Sơn")
    with pytest.raises(UserError, match=district.code.replace(".", r"\.")):
        two.find(district.code)


def test_an_official_list_code_is_given_once(tmp_path):
    # The official list names a 2-level commune; no 3-level unit may get that code, and vice versa.
    two = load_province("Nghệ An", on=date(2025, 7, 1))
    commune = two.communes[0]
    listed = tmp_path / "ds.csv"
    listed.write_text(f"code,name,parent\n000.00.40.H41,{commune.name},000.00.00.H41\n", encoding="utf-8")
    official_two = load_province("Nghệ An", on=date(2025, 7, 1), official_list=listed)
    official_three = load_province("Nghệ An", on=date(2025, 6, 30), official_list=listed)
    assert official_two.find(commune.name).code == "000.00.40.H41"
    assert official_three.get("000.00.40.H41") is None  # Vinh, first in the list, moved to another code
    assert {u.code for u in official_three.districts}.isdisjoint({u.code for u in official_two.communes})


# ------------------------------------------------------------------------------------------------ the CLI
def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_show_on_a_date(capsys):
    code, out, _ = run(["province", "show", "--on", "02/03/2026", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["structure"] == 2025 and data["on"] == "2026-03-02"
    assert not any(u["level"] == "district" for u in data["units"])
    assert not any(u["name"] == TTTT for u in data["units"])
    assert any(u["name"] == TTTT and u["duties_to"] for u in data["former"])
    code, out, _ = run(["province", "show", "--on", "2025-06-30"], capsys)
    assert code == 0 and "30/06/2025" in out and "Đơn vị cấp huyện: 20" in out


def test_cli_structure_override_still_works(capsys):
    code, out, _ = run(["province", "show", "--structure", "2024", "--on", "02/03/2026", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["structure"] == 2024 and data["on"] == "2026-03-02"
    assert sum(1 for u in data["units"] if u["level"] == "district") == 20


@pytest.mark.parametrize("bad", ["31/02/2026", "hôm nay", "2026-02-30"])
def test_cli_bad_date_is_a_one_line_refusal(bad, capsys):
    code, out, err = run(["province", "show", "--on", bad], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--on" in err and "dd/mm/yyyy" in err
    code, out, err = run(["--lang", "en", "province", "show", "--on", bad], capsys)
    assert code == 2 and "expected a date" in err and len(err.strip().splitlines()) == 1


def test_a_province_refuses_a_reserved_code_given_again():
    from dataclasses import replace

    from simulator.province import FormerUnit

    two = load_province("Nghệ An", on=date(2026, 3, 2))
    gone = two.former[0]
    taken = replace(two.communes[0], code=gone.code, parent=two.committee.code)
    with pytest.raises(ValueError, match="reused"):
        two.replace_units([u for u in two.units if u.code != two.communes[0].code] + [taken])
    with pytest.raises(ValueError, match="reused"):
        replace(two, former=two.former + (FormerUnit(two.communes[1].code, "X", "X", UnitKind.COMMUNE_COMMITTEE,
                                                     date(2025, 7, 1)),))
