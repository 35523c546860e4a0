"""The recall button in a class (issue 15): the district clerk recalls, on the signing desk, a document sent to the
two commune seats; one agrees (15), the other refuses (16); the signing desk's trace shows 13, 15 and 16 in words
once the class panel (another desk of the same session) has taken the answers back. A class of three seats served
on 127.0.0.1 (tests/classroom/conftest.py)."""

from __future__ import annotations

from simulator.lab import SEAT_PASSPHRASE, Session
from simulator.lab.widgets import ClassPanel, InboxDesk, SigningDesk
from tests.classroom.conftest import class_items, classroom, until_class_item  # noqa: F401 (the class fixture)
from tests.lab.test_widgets import _click, _confirm

REASON = "Văn bản gửi nhầm số liệu"


def _until(session, done, receive, tries: int = 8) -> None:
    for _ in range(tries):
        receive()
        if done():
            return
        session.wait_until_end_of_session()
    receive()
    assert done()


def test_the_recall_button_in_a_class(classroom, tmp_path):  # noqa: F811
    _room, tickets, _served = classroom
    seats = {k: Session.open(tmp_path / k, classroom=tickets[k]) for k in tickets}
    district, a, b = seats["district"], seats["a"], seats["b"]
    out = district.draft([a.seat.code, b.seat.code], "V/v báo cáo số liệu", "Đề nghị các xã báo cáo số liệu.")
    district.sign(out.item_id, SEAT_PASSPHRASE)
    district.seal(out.item_id, SEAT_PASSPHRASE)
    district.dispatch(out.item_id)
    for commune in (a, b):
        until_class_item(commune)
    desk, panel = SigningDesk(district), ClassPanel(district)
    desk.outgoing.value = out.item_id
    desk.recall_reason.value = REASON
    _click(desk, "Thu hồi văn bản")
    _confirm(desk, "Xác nhận")
    assert district.outgoing(out.item_id).recall.reason == REASON
    assert "13 đề nghị thu hồi" in desk.traces.value
    for commune, answer in ((a, "Đồng ý thu hồi"), (b, "Không đồng ý thu hồi")):   # at their incoming desks
        _until(commune, lambda c=commune: len(class_items(c)) == 2, commune.receive)
        [request] = [i for i in class_items(commune) if i.is_recall]
        inbox = InboxDesk(commune)
        inbox.items.value = request.item_id
        inbox.reason.value = "" if commune is a else "Đã triển khai tại xã"
        _click(inbox, answer)
        assert inbox.last_call.startswith(f'session.answer_recall("{request.item_id}", agree={commune is a}')
    assert b.item("L001").status != "recalled"   # refused: the document stays
    assert a.item("L001").status == "recalled"
    answered = {(a.seat.code, "15"), (b.seat.code, "16")}
    _until(district, lambda: answered <= {(s.org, s.code) for s in district.class_statuses},
           lambda: _click(panel, "Nhận văn bản của lớp"))  # on the panel: the signing desk redraws too
    trace = desk.traces.value
    row_a = next(r for r in trace.split("<tr>") if a.seat.name in r and "thu hồi" in r)
    row_b = next(r for r in trace.split("<tr>") if b.seat.name in r and "thu hồi" in r and "16" in r)
    assert "15 đồng ý thu hồi" in row_a and "16 không đồng ý thu hồi" in row_b
    assert desk.recall_row.layout.display == "none"  # recalled once: no second recall offered
