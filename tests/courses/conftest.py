"""Work folders built once per test run in Python (the desks' calls), then graded many ways."""

from __future__ import annotations

import logging
import shutil
import warnings
from pathlib import Path

import pytest

from simulator.lab import SEAT_PASSPHRASE

from .helpers import _has_bad, _make_mistakes, _no_recall, find_trainee, open_desk, shared

logging.getLogger("pyhanko").setLevel(logging.ERROR)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", message=".*SAWarning.*")


@pytest.fixture(scope="session")
def ids():
    return {"good": find_trainee("hv-tot", _has_bad),
            "mistakes": find_trainee("hv-sai", lambda p: _has_bad(p) and _no_recall(p)),
            "cheat": "hv-gian-lan"}


@pytest.fixture(scope="session")
def seats(tmp_path_factory, ids):
    """{role: work folder}: a good trainee, one with typical mistakes, and a fresh (unworked) seat."""
    from simulator.grading import practice

    def make(base: Path) -> None:
        practice.keep_records(open_desk(base / "good", ids["good"]), SEAT_PASSPHRASE)
        _make_mistakes(open_desk(base / "mistakes", ids["mistakes"]))
        open_desk(base / "fresh", ids["cheat"])

    # each worker grades its own copy (grading reads only, but some tests change their folder)
    base = tmp_path_factory.mktemp("seats")
    shutil.copytree(shared(tmp_path_factory, "seats", make), base, dirs_exist_ok=True)
    return {"good": base / "good", "mistakes": base / "mistakes", "fresh": base / "fresh",
            "good_session": open_desk(base / "good", ids["good"]),
            "mistakes_session": open_desk(base / "mistakes", ids["mistakes"])}




@pytest.fixture(scope="session")
def class_seat(tmp_path_factory, ids):
    """The class assignment's world (can-bo-xa 08): a district class served on 127.0.0.1, the good trainee at a
    commune, a classmate at another, the district's clerk (scripted) having dispatched to both. Yields the good
    trainee's ticket as JSON (what the hub puts in VBDT_CLASS_TICKET)."""
    import json
    import threading
    from datetime import datetime

    from simulator.grading.practice import work_the_class_exchange
    from simulator.lab import Session
    from simulator.seat.classroom import ClassRoom, class_server

    base = tmp_path_factory.mktemp("class-course")
    room = ClassRoom.open(base / "lop", unit="Huyện Nghi Lộc", start=datetime(2025, 3, 3, 7, 30),
                          scenario="plan-2020", port=0)
    district = room.seat("gv-huyen", room.units[0])
    mine = room.seat(ids["good"], room.units[1])
    room.seat("hv-xa-khac", room.units[2])
    server = class_server(room.folder, 0)
    ClassRoom.read(room.folder).move(server.server_address[1])
    threading.Thread(target=server.serve_forever, daemon=True, name="class-course-axis").start()
    huyen = Session.open(base / "huyen", classroom=ClassRoom.read(room.folder).ticket(district["unit"]))
    work_the_class_exchange(huyen, SEAT_PASSPHRASE, rounds=1)
    yield json.dumps(ClassRoom.read(room.folder).ticket(mine["unit"]))
    server.shutdown()
    server.server_close()
