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


def _key_units(pki_folder) -> set[str]:
    """The units whose signing keys (.p12) a PKI folder holds."""
    holders = json.loads((pki_folder / STATE_FILE).read_text(encoding="utf-8"))["holders"]
    return {holders[p.stem]["unit_code"] for p in (pki_folder / "holders").glob("*.p12")}


def test_a_seat_holds_its_own_signing_keys_only(classroom, tmp_path):
    """A trainee's seat has every classmate's certificate (to verify) but none of their keys: not from the
    class's folder, not from the server's zip. In the seat's world the classmates' units are automated
    senders, which sign with certificates the seat's copy issues them, and their documents verify."""
    import io
    import zipfile

    from simulator.routing.client import AxisClient

    room, tickets, served = classroom
    district_code = tickets["district"]["unit"]
    archive = zipfile.ZipFile(io.BytesIO(AxisClient(room.url, token=tickets["b"]["token"]).pki()))
    holders = json.loads(archive.read(STATE_FILE))["holders"]
    keys = {holders[name.removeprefix("holders/").removesuffix(".p12")]["unit_code"]
            for name in archive.namelist() if name.endswith(".p12")}
    assert keys == {tickets["b"]["unit"]}

    seat = Session.open(tmp_path / "xa-a", classroom=tickets["a"])   # the class folder readable here
    assert _key_units(tmp_path / "xa-a" / "pki") == {tickets["a"]["unit"]}
    assert district_code in {h["unit_code"] for h in json.loads(
        (tmp_path / "xa-a" / "pki" / STATE_FILE).read_text(encoding="utf-8"))["holders"].values()}

    from_district = []
    for _ in range(10):
        from_district = [i for i in seat.receive()
                         if i.arrival.sender_code == district_code and i.trap is None and not i.item_id.startswith("L")]
        if from_district:
            break
        seat.next_working_day()
    assert from_district, "the district's automated desk sent the commune nothing in ten working days"
    assert seat.verify(from_district[0].item_id).indication == "TOTAL_PASSED"
    class_holders = json.loads((room.folder / "pki" / STATE_FILE).read_text(encoding="utf-8"))["holders"]
    mine = json.loads((tmp_path / "xa-a" / "pki" / STATE_FILE).read_text(encoding="utf-8"))["holders"]
    keys = {p.stem for p in (tmp_path / "xa-a" / "pki" / "holders").glob("*.p12")}
    assert {class_holders[k]["unit_code"] for k in keys & set(class_holders)} == {tickets["a"]["unit"]}
    assert district_code in {mine[k]["unit_code"] for k in keys - set(class_holders)}   # issued in this world


def test_a_seat_away_downloads_the_class_pki_only_when_it_changed(classroom, tmp_path):
    """The server tags its zip (ETag, the zip's SHA-256) and answers 304 to a seat whose copy is current; a seat
    handed out since changes the zip, and the next sync takes the newcomer's certificates."""
    from simulator.lab.class_pki import SERVED_TAG
    from simulator.routing.client import AxisClient, pki_tag

    room, tickets, served = classroom
    client = AxisClient(room.url, token=tickets["b"]["token"])
    archive = client.pki()
    assert client.pki(have=pki_tag(archive)) is None                 # 304: nothing sent
    assert client.pki(have="0" * 64) == archive                      # another tag: the zip

    away = {**tickets["b"], "class_folder": str(tmp_path / "not-readable-here")}
    folder = tmp_path / "xa-b"
    assert sync_class_pki(away, folder, away["unit"]) is True        # the first copy
    tag = (folder / "pki" / SERVED_TAG).read_text(encoding="ascii")
    assert tag == pki_tag(archive)
    assert sync_class_pki(away, folder, away["unit"]) is False       # unchanged: the copy serves

    newcomer = room.units[3]
    room.seat("hv-xa-d", newcomer)                                    # the instructor hands out one more seat
    assert sync_class_pki(away, folder, away["unit"]) is True
    assert (folder / "pki" / SERVED_TAG).read_text(encoding="ascii") != tag
    holders = json.loads((folder / "pki" / STATE_FILE).read_text(encoding="utf-8"))["holders"]
    assert newcomer in {h["unit_code"] for h in holders.values()}
