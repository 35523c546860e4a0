from collections import Counter

import pytest

from simulator.errors import UserError
from simulator.province import Level, Role, UnitKind, load_province, province_names


def test_nghe_an_3_level_counts():
    p = load_province("Nghệ An", 2024)
    assert len(p.districts) == 20
    assert len(p.communes) == 412
    assert len(p.departments) == 20
    assert p.committee.name == "Ủy ban nhân dân tỉnh Nghệ An"
    assert Counter(u.level for u in p)[Level.CENTRAL] >= 1


def test_nghe_an_2_level_counts():
    p = load_province("Nghệ An", 2025)
    assert len(p.communes) == 130
    assert Counter(u.division_type for u in p.communes) == {"xã": 119, "phường": 11}
    assert p.districts == []
    assert len(p.departments) == 14


def test_departments_follow_the_date():
    from datetime import date

    before = load_province("Nghệ An", 2024, as_of=date(2025, 2, 28))
    after = load_province("Nghệ An", 2024, as_of=date(2025, 3, 1))
    assert len(before.departments) == 20 and len(after.departments) == 14
    assert any("Nông nghiệp và Môi trường" in u.name for u in after.departments)


def test_any_province_loads():
    names = province_names(2024)
    assert len(names) == 63
    thanh_hoa = load_province("Thanh Hóa", 2024)
    assert thanh_hoa.level1_code == "H56"
    assert len(load_province("Lào Cai", 2025).communes) > 50
    assert len(province_names(2025)) == 34


def test_terrain_and_staffing_defaults():
    p = load_province()
    ky_son = p.find("Huyện Kỳ Sơn")
    assert ky_son.terrain == "high-mountain" and ky_son.distance_km > 150
    commune = p.communes[0]
    assert commune.staffing.count(Role.CLERK) >= 1 and commune.staffing.count(Role.LEADER) >= 2
    assert all(c.district for c in p.communes)
    assert p.find("Sở Y tế").kind == UnitKind.DEPARTMENT


def test_equipment_is_bounded():
    unit = load_province().communes[0]
    assert unit.with_equipment(certificate_share=0.5).equipment.certificate_share == 0.5
    with pytest.raises(ValueError):
        unit.with_equipment(mailbox_share=1.5)


def test_unknown_names():
    with pytest.raises(UserError, match="Không tìm thấy"):
        load_province().find("Xã Không Có Thật")
    with pytest.raises(UserError):
        load_province("Atlantis")
