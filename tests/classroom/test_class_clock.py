"""A seat whose clock has not reached the moment a classmate sent a document does not take it: the class's axis
keeps the delivery untouched (nothing dated before the sending), and the seat takes it once its clock gets there."""

from __future__ import annotations

import sqlite3

from simulator.lab import Session

from .conftest import dispatch_to


def _state(room, doc_id: str, org: str) -> str:
    with sqlite3.connect(f"file:{room.folder / 'axis.sqlite'}?mode=ro", uri=True) as db:
        [(state,)] = db.execute(
            "SELECT d.state FROM axis_deliveries d JOIN axis_messages m ON m.id = d.message_id "
            "WHERE m.doc_id = ? AND m.kind = 'edoc' AND d.org_id = ?", (doc_id, org)).fetchall()
    return state


def test_a_document_sent_later_on_the_senders_clock_waits_untouched(classroom, tmp_path):
    room, tickets, _served = classroom
    district = Session.open(tmp_path / "huyen", classroom=tickets["district"])
    commune = Session.open(tmp_path / "xa", classroom=tickets["a"])
    district.next_working_day()   # the district works a day ahead of the commune
    out = dispatch_to(district, [commune.seat.code], "V/v kiểm tra giờ gửi", "Đề nghị Ủy ban nhân dân xã kiểm tra.")
    doc_id = out.document.document_id

    assert commune.clock < district.clock
    assert not [i for i in commune.receive() if i.item_id.startswith("L")]
    assert _state(room, doc_id, commune.seat.code) == "pending"     # not taken, not dated before the sending
    announced = commune.class_next   # when the desk expects it: the district's sending moment
    assert announced is not None and commune.clock < announced <= district.clock
    for _ in range(8):
        if [i for i in commune.receive() if i.item_id.startswith("L")]:
            break
        commune.next_working_day()
    assert _state(room, doc_id, commune.seat.code) == "fetched"
    assert commune.clock >= announced
