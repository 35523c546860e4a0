"""Indicator IV.4 (staff with an official mailbox) as ``vbdt mail review`` shows it: counted from the real
accounts of the mail folder against the staff in the identifier registry, for the units in scope, so that
adding a mailbox raises it and disabling one lowers it."""

from __future__ import annotations

import json
from datetime import date

from simulator.cli.main import main
from simulator.province import load_province
from simulator.routing import Directory

ON = ["--on", "2026-03-02"]
STAFF = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")


def _iv4(capsys, folder, db, unit) -> float:
    capsys.readouterr()
    main(["mail", "--folder", str(folder), "review", "--unit", unit, "--db", str(db), "--json", *ON])
    return json.loads(capsys.readouterr().out)["iv4_mailbox_share"]


def test_adding_and_disabling_a_mailbox_moves_iv4(tmp_path, capsys):
    province = load_province("Nghệ An", on=date(2026, 3, 2))
    unit, other = province.find("Xã Hải Châu"), province.find("Xã Diễn Châu")
    db, folder = tmp_path / "dinh-danh.sqlite", tmp_path / "mail"
    registry = Directory(db)
    registry.seed([unit, other], by="tccb")
    for n, name in enumerate(STAFF):
        registry.add_user(f"cb{n}", name, unit.code, "chuyen_vien", "tccb")
    registry.add_user("khac", "Hồ Thị Khác", other.code, "chuyen_vien", "tccb")  # another unit: out of scope
    registry.engine.dispose()

    def add(name: str, where=unit) -> None:
        assert main(["mail", "--folder", str(folder), "user", "add", "--unit", where.code, "--name", name,
                     *ON]) == 0

    add(STAFF[0])
    add(STAFF[1])
    add("Hồ Thị Khác", other)
    assert _iv4(capsys, folder, db, unit.code) == 0.5            # 2 of the unit's 4
    add(STAFF[2])
    assert _iv4(capsys, folder, db, unit.code) == 0.75           # a mailbox added: 3 of 4
    address = "an.nv.xahaichau@nghean.gov.vn"
    assert main(["mail", "--folder", str(folder), "user", "disable", address, "--reason", "nghỉ hưu"]) == 0
    assert _iv4(capsys, folder, db, unit.code) == 0.5            # disabled: no longer counts
    assert main(["mail", "--folder", str(folder), "user", "reset", address]) == 0
    assert _iv4(capsys, folder, db, unit.code) == 0.75           # enabled again by the reset
    assert _iv4(capsys, folder, db, other.code) == 1.0           # the other unit, on its own
    main(["mail", "--folder", str(folder), "review", "--unit", unit.code, "--db", str(db), *ON])
    assert "IV.4 (cán bộ có hộp thư công vụ): 75%" in capsys.readouterr().out
