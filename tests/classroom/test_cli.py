"""``vbdt class``: open a class, hand out seats; a seat held by someone is not handed to another."""

from __future__ import annotations

import json

from simulator.cli.main import main
from simulator.seat.classroom import ClassRoom


def test_open_and_hand_out_seats(tmp_path, capsys):
    folder = tmp_path / "lop"
    assert main(["class", "open", str(folder), "--unit", "Huyện Nghi Lộc", "--start", "2025-03-03T07:30",
                 "--port", "8751", "--json"]) == 0
    opened = json.loads(capsys.readouterr().out)
    assert opened["scenario"] == "plan-2020" and opened["units"][0] == "000.00.56.H41" and len(opened["units"]) > 3
    commune = opened["units"][1]
    assert main(["class", "seat", str(folder), "--trainee", "hv01", "--unit", commune]) == 0
    capsys.readouterr()
    assert main(["class", "seat", str(folder), "--trainee", "hv02", "--unit", commune]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "hv01" in err
    assert main(["--lang", "en", "class", "seat", str(folder), "--trainee", "hv03", "--unit", "Xã Hải Châu"]) == 2
    assert main(["class", "seat", str(folder), "--trainee", "hv01", "--unit", opened["units"][2]]) == 2
    room = ClassRoom.read(folder)
    assert list(room.seats) == [commune] and room.holder(commune) == "hv01"
    ticket = json.loads((folder / "seats" / "hv01.json").read_text(encoding="utf-8"))
    assert ticket["token"] == room.seats[commune]["token"] and ticket["url"] == "http://127.0.0.1:8751"
    assert (folder / "class.json").stat().st_mode & 0o077 == 0  # the tokens: the instructor's only
    assert main(["class", "open", str(folder), "--unit", "Huyện Nghi Lộc"]) == 2  # a class is opened once
    assert main(["class", "open", str(tmp_path / "x"), "--unit", "Xã Hải Châu"]) == 2  # not a district
