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


def test_serve_answers_with_the_class_tokens(tmp_path):
    """``vbdt class serve`` in its own process: the class's tokens, the seats held, nothing without a token."""
    import os
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    from tests.classroom.conftest import free_port

    folder = tmp_path / "lop"
    port = free_port()
    assert main(["class", "open", str(folder), "--unit", "Huyện Nghi Lộc", "--start", "2025-03-03T07:30",
                 "--port", str(port)]) == 0
    room = ClassRoom.read(folder)
    commune = room.units[3]
    room.seat("hv01", commune)
    process = subprocess.Popen([sys.executable, "-m", "simulator", "class", "serve", str(folder)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, PYTHONPATH=os.getcwd()))
    try:
        assert f"127.0.0.1:{port}" in process.stdout.readline()

        def get(path, token=None):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as exc:
                return exc.code, json.loads(exc.read())

        assert get("/seats", room.instructor_token) == (200, {commune: "clerk"})
        assert get("/seats")[0] == 401
        ticket = json.loads((folder / "seats" / "hv01.json").read_text(encoding="utf-8"))
        assert get(f"/pending?org={commune}", ticket["token"]) == (200, [])
        code, body = get(f"/pending?org={room.units[4]}", ticket["token"])
        assert code == 403 and "\n" not in body["error"]
    finally:
        process.terminate()
        process.wait(timeout=20)
