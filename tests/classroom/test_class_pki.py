"""A seat opened where the class's folder cannot be read (a trainee's account on a hub, another machine) copies
the class's PKI from the class's server (``GET /pki``, a seat's token), and verifies what another seat signs."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from simulator.lab import Session
from simulator.lab.class_pki import sync_class_pki
from simulator.signing.pki import STATE_FILE

from .conftest import dispatch_to


def _pki(url: str, token: str | None) -> int:
    request = urllib.request.Request(url + "/pki", headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_seat_away_from_the_class_folder_takes_the_pki_from_the_server(classroom, tmp_path):
    room, tickets, served = classroom
    away = {**tickets["a"], "class_folder": str(tmp_path / "not-readable-here")}
    assert _pki(room.url, None) == 401 and _pki(room.url, "not-a-seat") == 401
    assert _pki(room.url, tickets["a"]["token"]) == 200

    seat = Session.open(tmp_path / "xa-a", classroom=away)
    copied = json.loads((tmp_path / "xa-a" / "pki" / STATE_FILE).read_text(encoding="utf-8"))
    class_state = json.loads((room.folder / "pki" / STATE_FILE).read_text(encoding="utf-8"))
    assert set(copied["holders"]) == set(class_state["holders"])     # every seat's certificates, the district's too
    district = Session.open(tmp_path / "huyen", classroom=tickets["district"])
    dispatch_to(district, [seat.seat.code], "V/v thử chứng thư của lớp", "Đề nghị Ủy ban nhân dân xã kiểm tra.")
    for _ in range(8):
        items = [i for i in seat.receive() if i.item_id.startswith("L")]
        if items:
            break
        seat.wait_until_end_of_session()
    assert items, "the district's document did not reach the commune"
    assert seat.verify(items[0].item_id).indication == "TOTAL_PASSED"   # the class's root, from the server

    served.stop()   # the server down: the copy made serves; a seat with no copy is told in one line
    try:
        assert sync_class_pki(seat.classroom, tmp_path / "xa-a", seat.seat.code) is False
        from simulator.errors import UserError

        with pytest.raises(UserError, match="PKI|chứng thư"):
            sync_class_pki(away, tmp_path / "empty", away["unit"])
        assert not (tmp_path / "empty" / "pki").exists()
    finally:
        served.start()
