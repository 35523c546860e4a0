"""Administration: the identifier registry and accounts; every change audited, bad input changes nothing."""

from __future__ import annotations

import pytest

from simulator.errors import UserError
from simulator.routing import Directory


def test_registry_and_accounts_with_audit(tmp_path, province, district, lang_en):
    d = Directory(tmp_path / "dir.sqlite")
    assert d.seed(province, "quan_tri") == len(province.units)
    assert d.seed(province, "quan_tri") == 0
    new = d.add_org("000.98.40.H41", "Ủy ban nhân dân phường Mới", "quan_tri", parent=district.code)
    assert new.active and d.is_active("000.98.40.H41")
    for bad in (lambda: d.add_org("000.98.40.H41", "Trùng mã", "quan_tri"),
                lambda: d.add_org("000.98.40.H4", "Sai hình dạng", "quan_tri"),
                lambda: d.add_org("000.97.40.H41", "Cha không có", "quan_tri", parent="000.00.77.H41"),
                lambda: d.add_org("000.97.40.H41", "  ", "quan_tri"),
                lambda: d.add_org("000.97.40.H41", "Không rõ ai", " "),
                lambda: d.add_user("a b", "A B", district.code, "van_thu", "quan_tri"),
                lambda: d.add_user("ab", "A B", district.code, "thu_kho", "quan_tri"),
                lambda: d.add_user("ab", "A B", "000.66.66.H41", "van_thu", "quan_tri"),
                lambda: d.remove_user("nobody", "quan_tri"),
                lambda: d.retire_org("000.55.55.H41", "quan_tri")):
        with pytest.raises(UserError):
            bad()
    assert [a.action for a in d.audit()] == ["seed", "org.add"]
    d.add_user("tthuong", "Trần Thị Hương", "000.98.40.H41", "van_thu", "quan_tri")
    with pytest.raises(UserError, match="already exists"):
        d.add_user("tthuong", "Trần Thị Hương", "000.98.40.H41", "van_thu", "quan_tri")
    d.retire_org("000.98.40.H41", "quan_tri", reason="Sáp nhập vào phường Vinh Tân")
    assert not d.is_active("000.98.40.H41") and d.org("000.98.40.H41").name == "Ủy ban nhân dân phường Mới"
    assert "000.98.40.H41" not in {o.organ_id for o in d.orgs()}
    assert "000.98.40.H41" in {o.organ_id for o in d.orgs(include_retired=True)}
    d.remove_user("tthuong", "quan_tri")
    assert d.users() == [] and d.users(include_removed=True)[0].active is False
    d.add_org("000.98.40.H41", "Ủy ban nhân dân phường Vinh Tân", "quan_tri")  # a retired code may return
    trail = d.audit()
    assert [a.action for a in trail] == ["seed", "org.add", "user.add", "org.retire", "user.remove", "org.add"]
    assert trail[3].details == {"reason": "Sáp nhập vào phường Vinh Tân"}
    assert all(a.by == "quan_tri" and a.at.endswith("+07:00") for a in trail)
