import pytest
from hypothesis import given, strategies as st

from simulator.errors import UserError
from simulator.province import IdentifierCode, load_official_list, load_province, parse, validate

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@st.composite
def codes(draw):
    level1 = draw(st.sampled_from("GH")) + draw(st.text("0123456789", min_size=2, max_size=2))
    depth = draw(st.integers(1, 4))
    y = draw(st.text(ALNUM, min_size=2, max_size=2).filter(lambda s: s != "00")) if depth >= 2 else "00"
    z = draw(st.text(ALNUM, min_size=2, max_size=2).filter(lambda s: s != "00")) if depth >= 3 else "00"
    v = draw(st.text(ALNUM, min_size=3, max_size=3).filter(lambda s: s != "000")) if depth >= 4 else "000"
    return f"{v}.{z}.{y}.{level1}", depth


@given(codes())
def test_round_trip(case):
    text, depth = case
    code = parse(text)
    assert str(code) == text
    assert code.depth == depth
    assert len(str(code)) == 13
    if depth > 1:
        parent = code.parent
        assert parent.depth == depth - 1
        # the parent keeps every level to the right and zeroes the deepest one
        parts, parent_parts = text.split("."), str(parent).split(".")
        deepest = 4 - depth
        assert parent_parts[deepest + 1:] == parts[deepest + 1:]
        assert set(parent_parts[deepest]) == {"0"}


@given(st.text(max_size=20))
def test_random_text_is_rejected_or_valid(text):
    try:
        code = parse(text)
    except UserError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert str(code) == text.strip()


@pytest.mark.parametrize("text, fragment", [
    ("000.00.00.H4", "13"),
    ("000-00.00.H41", "dấu chấm"),
    ("000.00.00.X41", "G hoặc H"),
    ("000.12.00.H41", "cấp 2 là 00"),
    ("001.00.05.H41", "cấp 3 là 00"),
    ("000.00.a1.H41", "chữ in hoa"),
])
def test_rejections_name_the_problem(text, fragment):
    with pytest.raises(UserError) as info:
        validate(text)
    assert fragment in str(info.value)


def test_rejection_in_english(lang_en):
    with pytest.raises(UserError, match="must have 13"):
        validate("000.00.00.H4")


def test_nghe_an_people_committee_and_reading_right_to_left():
    code = parse("000.00.18.G12")
    assert code.is_central and code.level1 == "G12" and code.level2 == "18" and code.depth == 2
    assert str(load_province().committee.code) == "000.00.00.H41"


@pytest.mark.parametrize("structure", [2024, 2025])
def test_every_unit_has_a_unique_valid_code(structure):
    province = load_province("Nghệ An", structure)
    seen = set()
    for unit in province:
        parsed = parse(unit.code)
        assert unit.code not in seen
        seen.add(unit.code)
        if unit.parent:
            assert str(parsed.parent) == unit.parent
            assert province.get(unit.parent) is not None
        if not parsed.is_central:
            assert parsed.level1 == "H41"


def test_official_list_replaces_generated_codes(tmp_path):
    csv = tmp_path / "ds.csv"
    csv.write_text("code,name,parent\n000.00.07.H41,Ủy ban nhân dân huyện Kỳ Sơn,000.00.00.H41\n"
                   "000.00.02.H41,Sở Nội vụ,000.00.00.H41\n", encoding="utf-8")
    province = load_province("Nghệ An", 2024, official_list=csv)
    ky_son = province.find("Huyện Kỳ Sơn")
    assert ky_son.code == "000.00.07.H41"
    assert province.find("Sở Nội vụ").code == "000.00.02.H41"
    communes = province.children(ky_son.code)
    assert communes and all(parse(c.code).parent == parse("000.00.07.H41") for c in communes)
    assert len({u.code for u in province}) == len(province)


def test_official_list_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,parent\n000.00.7.H41,Sở X,\n", encoding="utf-8")
    with pytest.raises(UserError, match="bad.csv:2"):
        load_official_list(bad)
    dup = tmp_path / "dup.csv"
    dup.write_text("code,name\n000.00.01.H41,A\n000.00.01.H41,B\n", encoding="utf-8")
    with pytest.raises(UserError, match="trùng"):
        load_official_list(dup)


def test_identifier_code_type_validates():
    with pytest.raises(UserError):
        IdentifierCode("H41", "00", "12")
